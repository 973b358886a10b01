// Pure: the incident page's views of alerts, devices, evidence and comments, from the one
// incident model (either source). Nothing is dropped: unknown evidence types show every field.
import { EVIDENCE_KIND_LABEL, type EvidenceField, type SourceIncident } from "../microsoft/source-incident";

export type Field = EvidenceField;
export type EntityItem = { fields: Field[]; verdict: string | null; remediationStatus: string | null; roles: string[] };
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
  creationTime: Date | null;
  firstActivity: Date | null;
  lastActivity: Date | null;
  threatFamilyName: string | null;
  actorName: string | null;
  mitreTechniques: string[];
  webUrl: string | null;
  devices: DeviceItem[];
  entityCount: number;
};
export type CommentItem = { comment: string; createdBy: string | null; createdTime: Date | null };

export function entityGroups(incident: SourceIncident): EntityGroup[] {
  const groups = new Map<string, { known: boolean; items: EntityItem[]; seen: Set<string> }>();
  for (const alert of incident.alerts) {
    for (const evidence of alert.evidence) {
      const entityType = EVIDENCE_KIND_LABEL[evidence.kind] ?? evidence.kind;
      // The same evidence often appears on several alerts of one incident: show it once.
      const key = JSON.stringify(evidence.fields);
      const group = groups.get(entityType) ?? { known: evidence.known, items: [], seen: new Set<string>() };
      groups.set(entityType, group);
      if (group.seen.has(key)) continue;
      group.seen.add(key);
      group.items.push({ fields: evidence.fields, verdict: evidence.verdict, remediationStatus: evidence.remediationStatus, roles: evidence.roles });
    }
  }
  return [...groups.entries()]
    .map(([entityType, g]) => ({ entityType, known: g.known, items: g.items }))
    .sort((a, b) => Number(b.known) - Number(a.known) || a.entityType.localeCompare(b.entityType));
}

export function alertItems(incident: SourceIncident): AlertItem[] {
  return incident.alerts.map((alert) => ({
    alertId: alert.id,
    title: alert.title,
    description: alert.description,
    severity: alert.severity,
    status: alert.status,
    category: alert.category,
    serviceSource: alert.serviceSource,
    detectionSource: alert.detectionSource,
    creationTime: alert.createdTime,
    firstActivity: alert.firstActivity,
    lastActivity: alert.lastActivity,
    threatFamilyName: alert.threatFamilyName,
    actorName: alert.actorName,
    mitreTechniques: alert.mitreTechniques,
    webUrl: safeDefenderLink(alert.webUrl),
    devices: alert.evidence
      .filter((e) => e.kind === "device")
      .map((device) => ({
        name: device.fields.find((f) => f.label === "Device")?.value ?? "Unnamed device",
        fields: device.fields.filter((f) => f.label !== "Device"),
      })),
    entityCount: alert.evidence.filter((e) => e.kind !== "device").length,
  }));
}

export function commentItems(incident: SourceIncident): CommentItem[] {
  return incident.comments.map((c) => ({ comment: c.comment, createdBy: c.createdBy, createdTime: c.createdTime }));
}

/**
 * A link from Microsoft's data is used only when it is https into Microsoft's security portals:
 * customer data could otherwise smuggle a javascript: URL or another host into the page.
 */
export function safeDefenderLink(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" && /(^|\.)(security\.microsoft\.(com|us)|microsoft\.com)$/.test(parsed.hostname) ? parsed.toString() : null;
  } catch {
    return null;
  }
}
