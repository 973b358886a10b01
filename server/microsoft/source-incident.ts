import { z } from "zod";

/**
 * The one incident model the portal works on, whatever API it came from. Two adapters produce it:
 * Microsoft Graph's security API (graph-incident.ts, the default) and the legacy Defender XDR API
 * (defender-incident.ts, until Microsoft turns it off). The sync, the queue, the incident page,
 * the actions and the CSV never see an API's own shape; `raw` keeps the record exactly as it came.
 *
 * Enum values are canonical PascalCase (Graph's camelCase `inProgress` becomes `InProgress`, as
 * the Defender API spells it), so stored rows, filters and URLs read the same for both sources.
 * Unknown values pass through (canonicalised the same way): Microsoft adds members over time.
 */
export type IncidentSource = "graph" | "defender";

export const INCIDENT_SOURCES: readonly IncidentSource[] = ["graph", "defender"];

/** A labelled value of a piece of evidence, as staff read it. */
export type EvidenceField = { label: string; value: string };

export type SourceEvidence = {
  /** Neutral type name (see EVIDENCE_KIND_LABEL), or the API's own name for a type the portal does not know. */
  kind: string;
  known: boolean;
  verdict: string | null;
  remediationStatus: string | null;
  roles: string[];
  /** What the incident page shows, in order. */
  fields: EvidenceField[];
  /** Values people search for: field name and value (user, IP, URL, hash, device, sender, …). */
  searchValues: { field: string; value: string }[];
};

export type SourceAlert = {
  id: string;
  title: string;
  description: string | null;
  severity: string | null;
  status: string | null;
  category: string | null;
  serviceSource: string | null;
  detectionSource: string | null;
  createdTime: Date | null;
  firstActivity: Date | null;
  lastActivity: Date | null;
  threatFamilyName: string | null;
  actorName: string | null;
  mitreTechniques: string[];
  webUrl: string | null;
  evidence: SourceEvidence[];
};

export type SourceComment = { comment: string; createdBy: string | null; createdTime: Date | null };

export type SourceIncident = {
  source: IncidentSource;
  /** Graph's `id` is the Defender `incidentId`: one identity for both sources. */
  incidentId: number;
  displayName: string;
  /** A person's link into Microsoft Defender (Graph's incidentWebUrl, Defender's incidentUri). */
  webUrl: string | null;
  redirectIncidentId: number | null;
  status: string | null;
  severity: string | null;
  classification: string | null;
  determination: string | null;
  assignedTo: string | null;
  detectionSources: string[];
  /** Tags people set (editable). */
  customTags: string[];
  /** Tags Microsoft sets (e.g. "Defender Experts"); shown apart, never edited. */
  systemTags: string[];
  description: string | null;
  summary: string | null;
  resolvingComment: string | null;
  lastModifiedBy: string | null;
  createdTime: Date;
  lastUpdateTime: Date;
  comments: SourceComment[];
  alerts: SourceAlert[];
  /** The record exactly as received (unknown fields and enum values included). */
  raw: Record<string, unknown>;
};

/** A record that could not be read: kept for staff to see, never dropped silently. */
export type MalformedIncident = { sample: string; problem: string; incidentId?: string };

export type ParsedIncident = { ok: true; incident: SourceIncident } | { ok: false; malformed: MalformedIncident };

/** The change a person makes, in canonical values; each adapter writes it in its API's words. */
export type IncidentPatch = {
  status?: string;
  assignedTo?: string | null;
  classification?: string;
  determination?: string;
  customTags?: string[];
  comment?: string;
};

/** `inProgress` → `InProgress`; PascalCase values stay as they are. */
export function canonicalEnum(value: string | null): string | null {
  if (!value) return null;
  return value.charAt(0).toUpperCase() + value.slice(1);
}

/** Graph's severity `unknown` is the Defender API's `UnSpecified`: one value in the store. */
export function canonicalSeverity(value: string | null): string | null {
  const canonical = canonicalEnum(value);
  return canonical === "Unknown" ? "UnSpecified" : canonical;
}

/** Words for evidence types, keyed by the neutral kind both adapters use. */
export const EVIDENCE_KIND_LABEL: Record<string, string> = {
  user: "User",
  ip: "IP address",
  device: "Device",
  file: "File",
  process: "Process",
  url: "URL",
  mailbox: "Mailbox",
  mailMessage: "Email message",
  mailCluster: "Email cluster",
  cloudApplication: "Cloud application",
  registryKey: "Registry key",
  registryValue: "Registry value",
  securityGroup: "Security group",
};

const SAMPLE_CHARS = 2_000;

/** A short JSON sample of a record that could not be read. */
export function sampleOf(record: unknown): string {
  try {
    return (JSON.stringify(record) ?? String(record)).slice(0, SAMPLE_CHARS);
  } catch {
    return String(record).slice(0, SAMPLE_CHARS);
  }
}

/** Lenient readers for untrusted JSON. */
export const json = {
  obj: (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {}),
  arr: (v: unknown): unknown[] => (Array.isArray(v) ? v : []),
  str: (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null),
  strings: (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string" && s !== "") : []),
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Microsoft's seven-digit fractions parse fine in JS; precision below 1 ms is dropped. */
export function parseApiTime(value: unknown): Date | null {
  if (typeof value !== "string" || !ISO_TIME.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** Evidence fields from a table of [field path, label]; paths may reach into objects ("fileDetails.sha256"). */
export function fieldsFrom(record: Record<string, unknown>, spec: readonly (readonly [string, string])[]): EvidenceField[] {
  return spec.flatMap(([path, label]) => {
    const value = json.str(path.split(".").reduce<unknown>((at, key) => json.obj(at)[key], record));
    return value ? [{ label, value }] : [];
  });
}

/** Every scalar field of an unknown evidence type, so nothing is hidden from staff. */
export function genericFields(record: Record<string, unknown>, skip: ReadonlySet<string>): EvidenceField[] {
  return Object.entries(record)
    .filter(([key, value]) => !skip.has(key) && value !== null && value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0))
    .map(([key, value]) => ({ label: key, value: json.str(value) ?? JSON.stringify(value) }));
}

/** A timestamp an incident cannot do without (identity and order): a bad one makes the record malformed. */
export const strictApiTime = z.unknown().transform((value, ctx) => {
  const date = parseApiTime(value);
  if (!date) {
    ctx.addIssue({ code: "custom", message: `not a date: ${JSON.stringify(value)?.slice(0, 60)}` });
    return z.NEVER;
  }
  return date;
});

/**
 * The part of reading a record both adapters share: a JSON object that passes the adapter's
 * schema, or a malformed record (with a sample, the problems, and the id when there is one)
 * that is kept for staff instead of thrown.
 */
export function readIncidentRecord<S extends z.ZodType>(
  record: unknown,
  schema: S,
  idField: string,
): { ok: true; data: z.output<S>; raw: Record<string, unknown> } | { ok: false; malformed: MalformedIncident } {
  const sample = sampleOf(record);
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    return { ok: false, malformed: { sample, problem: "the record is not a JSON object" } };
  }
  const raw = record as Record<string, unknown>;
  const result = schema.safeParse(raw);
  if (!result.success) {
    const problem = result.error.issues.map((issue) => `${issue.path.join(".") || "record"}: ${issue.message}`).join("; ");
    const id = raw[idField];
    const incidentId = typeof id === "string" || typeof id === "number" ? String(id).slice(0, 100) : undefined;
    return { ok: false, malformed: { sample, problem, ...(incidentId !== undefined ? { incidentId } : {}) } };
  }
  return { ok: true, data: result.data, raw };
}
