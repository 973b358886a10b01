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

/**
 * The legacy Defender XDR API's incident, read into the portal's one model (source-incident.ts).
 * Only identity and timestamps are strict (without them a record cannot be stored or ordered);
 * everything else is lenient: unknown enum values pass through as strings, odd field types fall
 * back to empty values, and the whole record is always kept in `raw`, unknown fields included.
 */

/** Defender's seven-digit fractions parse fine in JS; precision below 1 ms is dropped. */
export const parseDefenderTime = parseApiTime;

const strictTime = strictApiTime;
const text = z
  .string()
  .nullable()
  .optional()
  .catch(null)
  .transform((v) => v ?? null);
const textList = z
  .array(z.unknown())
  .catch([])
  .transform((items) => items.filter((v): v is string => typeof v === "string"));
const objectList = z
  .array(z.unknown())
  .catch([])
  .transform((items) => items.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)));
const optionalId = z
  .number()
  .int()
  .nonnegative()
  .nullable()
  .optional()
  .catch(null)
  .transform((v) => v ?? null);

const incidentSchema = z.object({
  incidentId: z
    .number({ error: "incidentId is not a number" })
    .int("incidentId is not an integer")
    .nonnegative()
    .refine(Number.isSafeInteger, "incidentId is too large"),
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
  comments: objectList,
  alerts: objectList,
});

/** Defender's entityType → the neutral evidence kind and the fields shown. */
const ENTITY_KINDS: Record<string, { kind: string; fields: [string, string][] }> = {
  User: {
    kind: "user",
    fields: [
      ["userPrincipalName", "UPN"],
      ["accountName", "Account"],
      ["domainName", "Domain"],
      ["displayName", "Name"],
      ["userSid", "SID"],
    ],
  },
  Ip: { kind: "ip", fields: [["ipAddress", "IP address"]] },
  Url: { kind: "url", fields: [["url", "URL"]] },
  File: {
    kind: "file",
    fields: [
      ["fileName", "File"],
      ["filePath", "Path"],
      ["sha256", "SHA-256"],
      ["sha1", "SHA-1"],
      ["detectionStatus", "Detection"],
    ],
  },
  Process: {
    kind: "process",
    fields: [
      ["fileName", "Process"],
      ["processId", "PID"],
      ["processCommandLine", "Command line"],
      ["accountName", "Account"],
      ["sha256", "SHA-256"],
    ],
  },
  MailBox: {
    kind: "mailbox",
    fields: [
      ["mailboxAddress", "Mailbox"],
      ["mailboxDisplayName", "Name"],
    ],
  },
  MailMessage: {
    kind: "mailMessage",
    fields: [
      ["subject", "Subject"],
      ["sender", "Sender"],
      ["recipient", "Recipient"],
      ["deliveryAction", "Delivery"],
      ["senderIp", "Sender IP"],
    ],
  },
  MailCluster: {
    kind: "mailCluster",
    fields: [
      ["clusterBy", "Clustered by"],
      ["mailCount", "Messages"],
      ["query", "Query"],
    ],
  },
  Registry: {
    kind: "registryValue",
    fields: [
      ["registryKey", "Key"],
      ["registryValueName", "Value name"],
      ["registryValue", "Value"],
    ],
  },
  SecurityGroup: {
    kind: "securityGroup",
    fields: [
      ["securityGroupName", "Group"],
      ["distinguishedName", "DN"],
    ],
  },
  CloudApplication: {
    kind: "cloudApplication",
    fields: [
      ["applicationName", "Application"],
      ["applicationId", "App ID"],
      ["instanceName", "Instance"],
    ],
  },
};
/**
 * Entity fields whose values people search for (an analyst pastes a UPN, IP, URL, hash, file name,
 * host or mailbox). Keyed by field, not entity type, so types we do not know yet still contribute.
 */
const SEARCHABLE = [
  "userPrincipalName",
  "accountName",
  "aadUserId",
  "ipAddress",
  "senderIp",
  "url",
  "sha1",
  "sha256",
  "fileName",
  "deviceDnsName",
  "mailboxAddress",
  "sender",
  "recipient",
  "securityGroupName",
  "applicationName",
  "registryKey",
];
const COMMON_ENTITY_FIELDS = new Set(["entityType", "verdict", "remediationStatus", "deviceId", "evidenceCreationTime"]);
const DEVICE_FIELDS: [string, string][] = [
  ["deviceDnsName", "Device"],
  ["osPlatform", "OS"],
  ["osBuild", "Build"],
  ["healthStatus", "Health"],
  ["riskScore", "Risk"],
  ["exposureLevel", "Exposure"],
  ["rbacGroupName", "Device group"],
];

function searchValues(entity: Record<string, unknown>, fields: readonly string[]): SourceEvidence["searchValues"] {
  return fields.flatMap((field) => {
    const value = json.str(entity[field]);
    return value ? [{ field, value }] : [];
  });
}

function entityEvidence(entity: Record<string, unknown>): SourceEvidence {
  const entityType = json.str(entity.entityType) ?? "Unknown";
  const spec = ENTITY_KINDS[entityType];
  const fields = spec ? fieldsFrom(entity, spec.fields) : [];
  return {
    kind: spec?.kind ?? entityType,
    known: Boolean(spec),
    verdict: canonicalEnum(json.str(entity.verdict)),
    remediationStatus: canonicalEnum(json.str(entity.remediationStatus)),
    roles: [],
    fields: fields.length ? fields : genericFields(entity, COMMON_ENTITY_FIELDS),
    searchValues: searchValues(entity, SEARCHABLE),
  };
}

function deviceEvidence(device: Record<string, unknown>): SourceEvidence {
  const fields = fieldsFrom(device, DEVICE_FIELDS);
  if (!fields.some((f) => f.label === "Device")) fields.unshift({ label: "Device", value: json.str(device.mdatpDeviceId) ?? "Unnamed device" });
  return { kind: "device", known: true, verdict: null, remediationStatus: null, roles: [], fields, searchValues: searchValues(device, ["deviceDnsName"]) };
}

function alertOf(alert: Record<string, unknown>, index: number): SourceAlert {
  return {
    id: json.str(alert.alertId) ?? `alert-${index + 1}`,
    title: json.str(alert.title) ?? "Untitled alert",
    description: json.str(alert.description),
    severity: canonicalSeverity(json.str(alert.severity)),
    status: canonicalEnum(json.str(alert.status)),
    category: json.str(alert.category),
    serviceSource: json.str(alert.serviceSource),
    detectionSource: json.str(alert.detectionSource),
    createdTime: parseApiTime(alert.creationTime),
    firstActivity: parseApiTime(alert.firstActivity),
    lastActivity: parseApiTime(alert.lastActivity),
    threatFamilyName: json.str(alert.threatFamilyName),
    actorName: json.str(alert.actorName),
    mitreTechniques: json.strings(alert.mitreTechniques),
    webUrl: null,
    evidence: [...json.arr(alert.devices).map((d) => deviceEvidence(json.obj(d))), ...json.arr(alert.entities).map((e) => entityEvidence(json.obj(e)))],
  };
}

/** Parses one record of a Defender list or get answer; never throws. */
export function parseDefenderIncident(record: unknown): ParsedIncident {
  const read = readIncidentRecord(record, incidentSchema, "incidentId");
  if (!read.ok) return read;
  const { data: r, raw } = read;
  const alerts = r.alerts.map(alertOf);
  const incident: SourceIncident = {
    source: "defender",
    incidentId: r.incidentId,
    // A missing name is not worth losing the incident over: show its id instead.
    displayName: r.incidentName ?? `Incident ${r.incidentId}`,
    webUrl: r.incidentUri,
    redirectIncidentId: r.redirectIncidentId,
    status: canonicalEnum(r.status),
    severity: canonicalSeverity(r.severity),
    classification: canonicalEnum(r.classification),
    determination: canonicalEnum(r.determination),
    assignedTo: r.assignedTo,
    detectionSources: [...new Set([r.detectionSource, ...alerts.map((a) => a.detectionSource)].filter((s): s is string => !!s))],
    customTags: [...new Set(r.tags)],
    systemTags: [],
    description: null,
    summary: null,
    resolvingComment: null,
    lastModifiedBy: null,
    createdTime: r.createdTime,
    lastUpdateTime: r.lastUpdateTime,
    comments: r.comments.flatMap((c) => {
      const comment = json.str(c.comment);
      return comment ? [{ comment, createdBy: json.str(c.createdBy), createdTime: parseApiTime(c.createdTime) }] : [];
    }),
    alerts,
    raw,
  };
  return { ok: true, incident };
}
