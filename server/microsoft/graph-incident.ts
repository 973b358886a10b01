import { z } from "zod";
import {
  canonicalEnum,
  canonicalSeverity,
  fieldsFrom,
  genericFields,
  json,
  parseApiTime,
  readIncidentRecord,
  strictApiTime,
  type ParsedIncident,
  type SourceAlert,
  type SourceEvidence,
  type SourceIncident,
} from "./source-incident";
import { isIncidentId } from "../../lib/ids";

/**
 * Microsoft Graph's security incident (`microsoft.graph.security.incident`, with `$expand=alerts`
 * giving alerts_v2 objects and their `evidence[]`), read into the portal's one model. As with the
 * Defender adapter, only identity and timestamps are strict; the rest is lenient and `raw` keeps
 * everything. Microsoft's pages disagree on a few names (comments' `createdByDisplayName` vs
 * `createdBy`, `customTags` vs `tags` in one example): both are read.
 */

const strictTime = strictApiTime;
/** Graph ids are strings of digits (the Defender incidentId); some clients send numbers. */
const incidentIdSchema = z
  .union([z.string(), z.number()], { error: "id is missing" })
  .transform((v) => String(v))
  .refine(isIncidentId, "id is not a number")
  .transform(Number);
const optionalId = z
  .union([z.string(), z.number()])
  .nullable()
  .optional()
  .catch(null)
  .transform((v) => (v !== null && v !== undefined && isIncidentId(String(v)) ? Number(v) : null));
const text = z
  .string()
  .nullable()
  .optional()
  .catch(null)
  .transform((v) => v ?? null);
const objectList = z
  .array(z.unknown())
  .catch([])
  .transform((items) => items.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)));

const incidentSchema = z.object({
  id: incidentIdSchema,
  displayName: z.string().nullable().optional().catch(null),
  incidentWebUrl: text,
  redirectIncidentId: optionalId,
  createdDateTime: strictTime,
  lastUpdateDateTime: strictTime,
  assignedTo: text,
  classification: text,
  determination: text,
  status: text,
  severity: text,
  description: text,
  summary: text,
  resolvingComment: text,
  lastModifiedBy: text,
  comments: objectList,
  alerts: objectList,
});

type EvidenceSpec = { kind: string; fields: [string, string][]; search: string[] };

/** Graph's evidence `@odata.type` (without the namespace) → neutral kind, fields shown, values searched. */
const EVIDENCE: Record<string, EvidenceSpec> = {
  userEvidence: {
    kind: "user",
    fields: [
      ["userAccount.userPrincipalName", "UPN"],
      ["userAccount.accountName", "Account"],
      ["userAccount.domainName", "Domain"],
      ["userAccount.displayName", "Name"],
      ["userAccount.userSid", "SID"],
    ],
    search: ["userAccount.userPrincipalName", "userAccount.accountName", "userAccount.azureAdUserId"],
  },
  ipEvidence: {
    kind: "ip",
    fields: [
      ["ipAddress", "IP address"],
      ["countryLetterCode", "Country"],
    ],
    search: ["ipAddress"],
  },
  deviceEvidence: {
    kind: "device",
    fields: [
      ["deviceDnsName", "Device"],
      ["osPlatform", "OS"],
      ["osBuild", "Build"],
      ["healthStatus", "Health"],
      ["riskScore", "Risk"],
      ["rbacGroupName", "Device group"],
      ["mdeDeviceId", "Device ID"],
    ],
    search: ["deviceDnsName"],
  },
  fileEvidence: {
    kind: "file",
    fields: [
      ["fileDetails.fileName", "File"],
      ["fileDetails.filePath", "Path"],
      ["fileDetails.sha256", "SHA-256"],
      ["fileDetails.sha1", "SHA-1"],
      ["fileDetails.md5", "MD5"],
      ["detectionStatus", "Detection"],
    ],
    search: ["fileDetails.sha1", "fileDetails.sha256", "fileDetails.md5", "fileDetails.fileName"],
  },
  processEvidence: {
    kind: "process",
    fields: [
      ["imageFile.fileName", "Process"],
      ["processId", "PID"],
      ["processCommandLine", "Command line"],
      ["userAccount.accountName", "Account"],
      ["imageFile.sha256", "SHA-256"],
    ],
    search: ["imageFile.sha1", "imageFile.sha256", "imageFile.fileName", "userAccount.accountName"],
  },
  urlEvidence: { kind: "url", fields: [["url", "URL"]], search: ["url"] },
  mailboxEvidence: {
    kind: "mailbox",
    fields: [
      ["primaryAddress", "Mailbox"],
      ["displayName", "Name"],
    ],
    search: ["primaryAddress", "userAccount.userPrincipalName"],
  },
  analyzedMessageEvidence: {
    kind: "mailMessage",
    fields: [
      ["subject", "Subject"],
      ["p1Sender.emailAddress", "Sender"],
      ["recipientEmailAddress", "Recipient"],
      ["deliveryAction", "Delivery"],
      ["senderIp", "Sender IP"],
    ],
    search: ["p1Sender.emailAddress", "p2Sender.emailAddress", "recipientEmailAddress", "senderIp"],
  },
  mailClusterEvidence: {
    kind: "mailCluster",
    fields: [
      ["clusterBy", "Clustered by"],
      ["messageCount", "Messages"],
      ["query", "Query"],
    ],
    search: [],
  },
  cloudApplicationEvidence: {
    kind: "cloudApplication",
    fields: [
      ["displayName", "Application"],
      ["appId", "App ID"],
      ["instanceName", "Instance"],
    ],
    search: ["displayName"],
  },
  registryKeyEvidence: {
    kind: "registryKey",
    fields: [
      ["registryHive", "Hive"],
      ["registryKey", "Key"],
    ],
    search: ["registryKey"],
  },
  registryValueEvidence: {
    kind: "registryValue",
    fields: [
      ["registryKey", "Key"],
      ["registryValueName", "Value name"],
      ["registryValue", "Value"],
    ],
    search: ["registryKey"],
  },
  securityGroupEvidence: {
    kind: "securityGroup",
    fields: [
      ["displayName", "Group"],
      ["securityGroupId", "Group ID"],
    ],
    search: ["displayName"],
  },
};
const ANY_SEARCHABLE = [
  "userAccount.userPrincipalName",
  "ipAddress",
  "url",
  "fileDetails.sha256",
  "fileDetails.sha1",
  "deviceDnsName",
  "primaryAddress",
  "senderIp",
];
const COMMON_EVIDENCE_FIELDS = new Set([
  "@odata.type",
  "createdDateTime",
  "verdict",
  "remediationStatus",
  "remediationStatusDetails",
  "roles",
  "detailedRoles",
  "tags",
]);

function at(record: Record<string, unknown>, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => json.obj(value)[key], record);
}

function evidenceOf(record: Record<string, unknown>): SourceEvidence {
  const type = (json.str(record["@odata.type"]) ?? "#microsoft.graph.security.unknownEvidence").replace(/^#?microsoft\.graph\.security\./, "");
  const spec = EVIDENCE[type];
  const fields = spec ? fieldsFrom(record, spec.fields) : [];
  return {
    kind: spec?.kind ?? type.replace(/Evidence$/, ""),
    known: Boolean(spec),
    verdict: canonicalEnum(json.str(record.verdict)),
    remediationStatus: canonicalEnum(json.str(record.remediationStatus)),
    roles: json.strings(record.roles),
    fields: fields.length ? fields : genericFields(record, COMMON_EVIDENCE_FIELDS),
    searchValues: (spec?.search ?? ANY_SEARCHABLE).flatMap((path) => {
      const value = json.str(at(record, path));
      return value ? [{ field: path.split(".").pop()!, value }] : [];
    }),
  };
}

function alertOf(alert: Record<string, unknown>, index: number): SourceAlert {
  return {
    id: json.str(alert.id) ?? `alert-${index + 1}`,
    title: json.str(alert.title) ?? "Untitled alert",
    description: json.str(alert.description),
    severity: canonicalSeverity(json.str(alert.severity)),
    status: canonicalEnum(json.str(alert.status)),
    category: json.str(alert.category),
    serviceSource: canonicalEnum(json.str(alert.serviceSource)),
    detectionSource: canonicalEnum(json.str(alert.detectionSource)),
    createdTime: parseApiTime(alert.createdDateTime),
    firstActivity: parseApiTime(alert.firstActivityDateTime),
    lastActivity: parseApiTime(alert.lastActivityDateTime),
    threatFamilyName: json.str(alert.threatFamilyName),
    actorName: json.str(alert.actorDisplayName),
    mitreTechniques: json.strings(alert.mitreTechniques),
    webUrl: json.str(alert.alertWebUrl),
    evidence: json.arr(alert.evidence).map((e) => evidenceOf(json.obj(e))),
  };
}

/** Parses one record of a Graph list or get answer; never throws. */
export function parseGraphIncident(record: unknown): ParsedIncident {
  const read = readIncidentRecord(record, incidentSchema, "id");
  if (!read.ok) return read;
  const { data: r, raw } = read;
  const alerts = r.alerts.map(alertOf);
  const incident: SourceIncident = {
    source: "graph",
    incidentId: r.id,
    displayName: r.displayName ?? `Incident ${r.id}`,
    webUrl: r.incidentWebUrl,
    redirectIncidentId: r.redirectIncidentId,
    status: canonicalEnum(r.status),
    severity: canonicalSeverity(r.severity),
    classification: canonicalEnum(r.classification),
    determination: canonicalEnum(r.determination),
    assignedTo: r.assignedTo,
    detectionSources: [...new Set(alerts.map((a) => a.detectionSource).filter((s): s is string => !!s))],
    customTags: [...new Set(json.strings(raw.customTags ?? raw.tags))],
    systemTags: [...new Set(json.strings(raw.systemTags))],
    description: r.description,
    summary: r.summary,
    resolvingComment: r.resolvingComment,
    lastModifiedBy: r.lastModifiedBy,
    createdTime: r.createdDateTime,
    lastUpdateTime: r.lastUpdateDateTime,
    comments: r.comments.flatMap((c) => {
      const comment = json.str(c.comment);
      return comment
        ? [{ comment, createdBy: json.str(c.createdByDisplayName ?? c.createdBy), createdTime: parseApiTime(c.createdDateTime ?? c.createdTime) }]
        : [];
    }),
    alerts,
    raw,
  };
  return { ok: true, incident };
}

/** Graph's own words for a canonical value: `InProgress` → `inProgress`, `UnSpecified` → `unknown`. */
export function graphEnum(value: string): string {
  if (value === "UnSpecified") return "unknown";
  return value.charAt(0).toLowerCase() + value.slice(1);
}
