// Pure: reads alerts, devices, entities and comments out of an incident's raw Defender JSON.
// Nothing here trusts the shape: unknown fields and entity types are shown, never dropped.

type Json = unknown;

export type Field = { label: string; value: string };
export type EntityItem = { fields: Field[]; verdict: string | null; remediationStatus: string | null };
export type EntityGroup = { entityType: string; known: boolean; items: EntityItem[] };
export type DeviceItem = { name: string; fields: Field[] };
export type AlertItem = {
  alertId: string;
  title: string;
  description: string | null;
  severity: string | null;
  status: string | null;
  category: string | null;
  serviceSource: string | null;
  detectionSource: string | null;
  creationTime: string | null;
  firstActivity: string | null;
  lastActivity: string | null;
  threatFamilyName: string | null;
  actorName: string | null;
  mitreTechniques: string[];
  devices: DeviceItem[];
  entityCount: number;
};
export type CommentItem = { comment: string; createdBy: string | null; createdTime: string | null };

const obj = (v: Json): Record<string, Json> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, Json>) : {});
const arr = (v: Json): Json[] => (Array.isArray(v) ? v : []);
const str = (v: Json): string | null => (typeof v === "string" && v !== "" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null);

/** The fields worth showing per known entity type, in order; other types show every field. */
const ENTITY_FIELDS: Record<string, [field: string, label: string][]> = {
  User: [["userPrincipalName", "UPN"], ["accountName", "Account"], ["domainName", "Domain"], ["displayName", "Name"], ["userSid", "SID"]],
  Ip: [["ipAddress", "IP address"]],
  Url: [["url", "URL"]],
  File: [["fileName", "File"], ["filePath", "Path"], ["sha256", "SHA-256"], ["sha1", "SHA-1"], ["detectionStatus", "Detection"]],
  Process: [["fileName", "Process"], ["processId", "PID"], ["processCommandLine", "Command line"], ["accountName", "Account"], ["sha256", "SHA-256"]],
  MailBox: [["mailboxAddress", "Mailbox"], ["mailboxDisplayName", "Name"]],
  MailMessage: [["subject", "Subject"], ["sender", "Sender"], ["recipient", "Recipient"], ["deliveryAction", "Delivery"], ["senderIp", "Sender IP"]],
  MailCluster: [["clusterBy", "Clustered by"], ["mailCount", "Messages"], ["query", "Query"]],
  Registry: [["registryKey", "Key"], ["registryValueName", "Value name"], ["registryValue", "Value"]],
  SecurityGroup: [["securityGroupName", "Group"], ["distinguishedName", "DN"]],
  CloudApplication: [["applicationName", "Application"], ["applicationId", "App ID"], ["instanceName", "Instance"]],
};
const COMMON_FIELDS = new Set(["entityType", "verdict", "remediationStatus", "deviceId", "evidenceCreationTime"]);

function genericFields(entity: Record<string, Json>): Field[] {
  return Object.entries(entity)
    .filter(([key, value]) => !COMMON_FIELDS.has(key) && value !== null && value !== undefined && value !== "")
    .map(([key, value]) => ({ label: key, value: str(value) ?? JSON.stringify(value) }));
}

export function entityGroups(raw: Json): EntityGroup[] {
  const groups = new Map<string, { known: boolean; items: EntityItem[]; seen: Set<string> }>();
  for (const alert of arr(obj(raw).alerts)) {
    for (const value of arr(obj(alert).entities)) {
      const entity = obj(value);
      const entityType = str(entity.entityType) ?? "Unknown";
      const spec = ENTITY_FIELDS[entityType];
      const fields = spec ? spec.flatMap(([field, label]) => (str(entity[field]) ? [{ label, value: str(entity[field])! }] : [])) : genericFields(entity);
      // The same evidence often appears on several alerts of one incident: show it once.
      const key = JSON.stringify(fields);
      const group = groups.get(entityType) ?? { known: Boolean(spec), items: [], seen: new Set<string>() };
      groups.set(entityType, group);
      if (group.seen.has(key)) continue;
      group.seen.add(key);
      group.items.push({ fields: fields.length ? fields : genericFields(entity), verdict: str(entity.verdict), remediationStatus: str(entity.remediationStatus) });
    }
  }
  return [...groups.entries()]
    .map(([entityType, g]) => ({ entityType, known: g.known, items: g.items }))
    .sort((a, b) => Number(b.known) - Number(a.known) || a.entityType.localeCompare(b.entityType));
}

const DEVICE_FIELDS: [string, string][] = [["osPlatform", "OS"], ["osBuild", "Build"], ["healthStatus", "Health"], ["riskScore", "Risk"], ["exposureLevel", "Exposure"], ["rbacGroupName", "Device group"]];

export function alertItems(raw: Json): AlertItem[] {
  return arr(obj(raw).alerts).map((value, index) => {
    const alert = obj(value);
    return {
      alertId: str(alert.alertId) ?? `alert-${index + 1}`,
      title: str(alert.title) ?? "Untitled alert",
      description: str(alert.description),
      severity: str(alert.severity),
      status: str(alert.status),
      category: str(alert.category),
      serviceSource: str(alert.serviceSource),
      detectionSource: str(alert.detectionSource),
      creationTime: str(alert.creationTime),
      firstActivity: str(alert.firstActivity),
      lastActivity: str(alert.lastActivity),
      threatFamilyName: str(alert.threatFamilyName),
      actorName: str(alert.actorName),
      mitreTechniques: arr(alert.mitreTechniques).map(str).filter((t): t is string => Boolean(t)),
      devices: arr(alert.devices).map((d) => {
        const device = obj(d);
        return {
          name: str(device.deviceDnsName) ?? str(device.mdatpDeviceId) ?? "Unnamed device",
          fields: DEVICE_FIELDS.flatMap(([field, label]) => (str(device[field]) ? [{ label, value: str(device[field])! }] : [])),
        };
      }),
      entityCount: arr(alert.entities).length,
    };
  });
}

export function commentItems(raw: Json): CommentItem[] {
  return arr(obj(raw).comments).flatMap((value) => {
    const c = obj(value);
    const comment = str(c.comment);
    return comment ? [{ comment, createdBy: str(c.createdBy), createdTime: str(c.createdTime) }] : [];
  });
}
