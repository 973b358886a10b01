import type { Prisma } from "../../prisma/generated/client/client";
import type { DefenderIncident } from "../microsoft/defender-incident";

/** UnSpecified and unknown values 0 … High 4, so the queue sorts and filters by severity. */
const SEVERITY_RANK: Record<string, number> = { unspecified: 0, informational: 1, low: 2, medium: 3, high: 4 };

export function severityRank(severity: string | null): number {
  return SEVERITY_RANK[(severity ?? "").toLowerCase()] ?? 0;
}

/**
 * Entity fields whose values people search for (an analyst pastes a UPN, IP, URL, hash, file name,
 * host or mailbox). Keyed by field, not entity type, so types we do not know yet still contribute.
 */
const SEARCHABLE_ENTITY_FIELDS = [
  "userPrincipalName", "accountName", "aadUserId",
  "ipAddress", "senderIp",
  "url",
  "sha1", "sha256", "fileName",
  "deviceDnsName",
  "mailboxAddress", "sender", "recipient",
  "securityGroupName", "applicationName", "registryKey",
] as const;

/** Index keys stay well under PostgreSQL's btree row limit; a prefix still finds long URLs. */
const MAX_ENTITY_VALUE_CHARS = 512;

export type IncidentEntityValue = { entityType: string; value: string };

export type IncidentRecord = {
  incident: Prisma.IncidentCreateManyInput;
  entities: IncidentEntityValue[];
};

/** Every searchable entity value of an incident: lower case, trimmed, unique per (type, value). */
export function incidentEntityValues(incident: DefenderIncident): IncidentEntityValue[] {
  const seen = new Map<string, IncidentEntityValue>();
  const add = (entityType: string, value: unknown) => {
    if (typeof value !== "string") return;
    const normalized = value.trim().toLowerCase().slice(0, MAX_ENTITY_VALUE_CHARS);
    if (!normalized) return;
    const key = `${entityType}\u0000${normalized}`;
    if (!seen.has(key)) seen.set(key, { entityType, value: normalized });
  };
  for (const alert of incident.alerts) {
    for (const entity of alert.entities) {
      const entityType = typeof entity.entityType === "string" && entity.entityType ? entity.entityType : "Unknown";
      for (const field of SEARCHABLE_ENTITY_FIELDS) add(entityType, entity[field]);
    }
    for (const device of alert.devices) add("Device", device.deviceDnsName);
  }
  return [...seen.values()];
}

function earliest(dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((min, d) => (d && (!min || d < min) ? d : min), null);
}

function latest(dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((max, d) => (d && (!max || d > max) ? d : max), null);
}

/** Maps one Defender incident to its Incident row and IncidentEntity values (pure). */
export function toIncidentRecord(input: { tenantId: string; incident: DefenderIncident; syncedAt: Date }): IncidentRecord {
  const { tenantId, incident, syncedAt } = input;
  const detectionSources = [...new Set([incident.detectionSource, ...incident.alerts.map((a) => a.detectionSource)].filter((s): s is string => !!s))];
  return {
    incident: {
      tenantId,
      incidentId: BigInt(incident.incidentId),
      incidentName: incident.incidentName,
      incidentUri: incident.incidentUri,
      redirectIncidentId: incident.redirectIncidentId === null ? null : BigInt(incident.redirectIncidentId),
      status: incident.status ?? "Unknown",
      severity: incident.severity ?? "UnSpecified",
      severityRank: severityRank(incident.severity),
      classification: incident.classification,
      determination: incident.determination,
      assignedTo: incident.assignedTo,
      detectionSources,
      tags: [...new Set(incident.tags)],
      alertCount: incident.alerts.length,
      commentCount: incident.comments.length,
      createdTime: incident.createdTime,
      lastUpdateTime: incident.lastUpdateTime,
      firstActivity: earliest(incident.alerts.map((a) => a.firstActivity)),
      lastActivity: latest(incident.alerts.map((a) => a.lastActivity)),
      searchText: `${incident.incidentName.toLowerCase()} ${incident.incidentId}`,
      // The record came from JSON.parse, so it is JSON; Prisma's type cannot know that.
      raw: incident.raw as Prisma.InputJsonObject,
      syncedAt,
    },
    entities: incidentEntityValues(incident),
  };
}
