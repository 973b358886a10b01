import type { Prisma } from "../../prisma/generated/client/client";
import type { SourceIncident } from "../microsoft/source-incident";
import { incidentIndicatorValues } from "../indicators/incident-indicators";
import type { IndicatorValue } from "../indicators/indicator-normalise";

/** UnSpecified and unknown values 0 … High 4, so the queue sorts and filters by severity. */
const SEVERITY_RANK: Record<string, number> = { unspecified: 0, informational: 1, low: 2, medium: 3, high: 4 };

export function severityRank(severity: string | null): number {
  return SEVERITY_RANK[(severity ?? "").toLowerCase()] ?? 0;
}

/** Index keys stay well under PostgreSQL's btree row limit; a prefix still finds long URLs. */
const MAX_ENTITY_VALUE_CHARS = 512;

export type IncidentEntityValue = { entityType: string; value: string };

export type IncidentRecord = {
  incident: Prisma.IncidentCreateManyInput;
  entities: IncidentEntityValue[];
  /** Its evidence as normalised indicators (IP, hash, URL, domain, sender, file name, account). */
  indicators: IndicatorValue[];
  /** The earliest comment with a time: it acknowledges the incident (service levels). */
  firstComment: { at: Date; by: string | null } | null;
};

/**
 * Every searchable evidence value of an incident (an analyst pastes a UPN, IP, URL, hash, file
 * name, host or sender): lower case, trimmed, unique per (evidence kind, value). The adapters say
 * which fields are searchable, so evidence types we do not know yet still contribute.
 */
export function incidentEntityValues(incident: SourceIncident): IncidentEntityValue[] {
  const seen = new Map<string, IncidentEntityValue>();
  for (const alert of incident.alerts) {
    for (const evidence of alert.evidence) {
      for (const { value } of evidence.searchValues) {
        const normalized = value.trim().toLowerCase().slice(0, MAX_ENTITY_VALUE_CHARS);
        if (!normalized) continue;
        const key = `${evidence.kind}\u0000${normalized}`;
        if (!seen.has(key)) seen.set(key, { entityType: evidence.kind, value: normalized });
      }
    }
  }
  return [...seen.values()];
}

function earliest(dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((min, d) => (d && (!min || d < min) ? d : min), null);
}

function latest(dates: (Date | null)[]): Date | null {
  return dates.reduce<Date | null>((max, d) => (d && (!max || d > max) ? d : max), null);
}

/** Maps one incident (either source) to its Incident row and IncidentEntity values (pure). */
export function toIncidentRecord(input: { tenantId: string; incident: SourceIncident; syncedAt: Date }): IncidentRecord {
  const { tenantId, incident, syncedAt } = input;
  return {
    incident: {
      tenantId,
      incidentId: BigInt(incident.incidentId),
      incidentName: incident.displayName,
      incidentUri: incident.webUrl,
      redirectIncidentId: incident.redirectIncidentId === null ? null : BigInt(incident.redirectIncidentId),
      status: incident.status ?? "Unknown",
      severity: incident.severity ?? "UnSpecified",
      severityRank: severityRank(incident.severity),
      classification: incident.classification,
      determination: incident.determination,
      assignedTo: incident.assignedTo,
      detectionSources: incident.detectionSources,
      tags: incident.customTags,
      systemTags: incident.systemTags,
      source: incident.source,
      alertCount: incident.alerts.length,
      commentCount: incident.comments.length,
      createdTime: incident.createdTime,
      lastUpdateTime: incident.lastUpdateTime,
      firstActivity: earliest(incident.alerts.map((a) => a.firstActivity)),
      lastActivity: latest(incident.alerts.map((a) => a.lastActivity)),
      alertCategories: distinctSorted(incident.alerts.map((a) => a.category)),
      mitreTechniques: distinctSorted(incident.alerts.flatMap((a) => a.mitreTechniques)),
      searchText: `${incident.displayName.toLowerCase()} ${incident.incidentId}`,
      // The record came from JSON.parse, so it is JSON; Prisma's type cannot know that.
      raw: incident.raw as Prisma.InputJsonObject,
      syncedAt,
    },
    entities: incidentEntityValues(incident),
    indicators: incidentIndicatorValues(incident),
    firstComment: firstComment(incident),
  };
}

function distinctSorted(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === "string" && v !== ""))].sort();
}

function firstComment(incident: SourceIncident): IncidentRecord["firstComment"] {
  let first: IncidentRecord["firstComment"] = null;
  for (const comment of incident.comments) {
    if (comment.createdTime && (!first || comment.createdTime < first.at)) first = { at: comment.createdTime, by: comment.createdBy };
  }
  return first;
}
