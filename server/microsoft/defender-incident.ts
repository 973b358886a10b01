import { z } from "zod";

/**
 * The shape of a Defender XDR incident as the portal reads it. Only identity and timestamps are
 * strict (without them a record cannot be stored or ordered); everything else is lenient: unknown
 * enum values pass through as strings, odd field types fall back to empty values, and the whole
 * record is always kept in `raw`, unknown fields included.
 */

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Defender's seven-digit fractions parse fine in JS; precision below 1 ms is dropped. */
export function parseDefenderTime(value: unknown): Date | null {
  if (typeof value !== "string" || !ISO_TIME.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

const strictTime = z.unknown().transform((value, ctx) => {
  const date = parseDefenderTime(value);
  if (!date) {
    ctx.addIssue({ code: "custom", message: `not a date: ${JSON.stringify(value)?.slice(0, 60)}` });
    return z.NEVER;
  }
  return date;
});
const lenientTime = z.unknown().transform((value) => parseDefenderTime(value));
const text = z.string().nullable().optional().catch(null).transform((v) => v ?? null);
const textList = z.array(z.unknown()).catch([]).transform((items) => items.filter((v): v is string => typeof v === "string"));
const objectList = z.array(z.unknown()).catch([]).transform((items) => items.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)));
const optionalId = z.number().int().nonnegative().nullable().optional().catch(null).transform((v) => v ?? null);

const alertSchema = z.object({
  alertId: text,
  title: text,
  severity: text,
  status: text,
  detectionSource: text,
  serviceSource: text,
  firstActivity: lenientTime,
  lastActivity: lenientTime,
  devices: objectList,
  entities: objectList,
});

const commentSchema = z.object({ comment: text, createdBy: text, createdTime: lenientTime });

const incidentSchema = z.object({
  incidentId: z.number({ error: "incidentId is not a number" }).int("incidentId is not an integer").nonnegative().refine(Number.isSafeInteger, "incidentId is too large"),
  incidentName: z.string().nullable().optional().catch(null),
  incidentUri: text,
  redirectIncidentId: optionalId,
  createdTime: strictTime,
  lastUpdateTime: strictTime,
  assignedTo: text,
  classification: text,
  determination: text,
  detectionSource: text,
  status: text,
  severity: text,
  tags: textList,
  comments: z.array(z.unknown()).catch([]).transform((items) => items.flatMap((c) => {
    const parsed = commentSchema.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  })),
  alerts: z.array(z.unknown()).catch([]).transform((items) => items.flatMap((a) => {
    const parsed = alertSchema.safeParse(a);
    return parsed.success ? [parsed.data] : [];
  })),
});

export type DefenderAlert = z.output<typeof alertSchema>;
export type DefenderComment = z.output<typeof commentSchema>;

export type DefenderIncident = Omit<z.output<typeof incidentSchema>, "incidentName"> & {
  incidentName: string;
  /** The record exactly as received (unknown fields and enum values included). */
  raw: Record<string, unknown>;
};

/** A record that could not be read: kept for staff to see, never dropped silently. */
export type MalformedIncident = { sample: string; problem: string; incidentId?: string };

const SAMPLE_CHARS = 2_000;

export type ParsedIncident = { ok: true; incident: DefenderIncident } | { ok: false; malformed: MalformedIncident };

/** Parses one record of a list or get answer; never throws. */
export function parseDefenderIncident(record: unknown): ParsedIncident {
  const sample = (() => {
    try {
      return (JSON.stringify(record) ?? String(record)).slice(0, SAMPLE_CHARS);
    } catch {
      return String(record).slice(0, SAMPLE_CHARS);
    }
  })();
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    return { ok: false, malformed: { sample, problem: "the record is not a JSON object" } };
  }
  const raw = record as Record<string, unknown>;
  const result = incidentSchema.safeParse(raw);
  if (!result.success) {
    const problem = result.error.issues.map((issue) => `${issue.path.join(".") || "record"}: ${issue.message}`).join("; ");
    const id = raw.incidentId;
    const incidentId = typeof id === "string" || typeof id === "number" ? String(id).slice(0, 100) : undefined;
    return { ok: false, malformed: { sample, problem, ...(incidentId !== undefined ? { incidentId } : {}) } };
  }
  const { incidentName, ...rest } = result.data;
  // A missing name is not worth losing the incident over: show its id instead.
  return { ok: true, incident: { ...rest, incidentName: incidentName ?? `Incident ${rest.incidentId}`, raw } };
}
