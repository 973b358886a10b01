import { parseGraphIncident } from "@/server/microsoft/graph-incident";

/** What a test sets of a Graph incident; the rest is what Graph sends for a quiet one. */
export type GraphIncidentFields = {
  severity?: string;
  status?: string;
  created: Date;
  updated?: Date;
  assignedTo?: string | null;
  comments?: { at: Date; by: string }[];
  alerts?: Record<string, unknown>[];
};

/** A Graph incident as the list answer carries it, read through the sync's own parser. */
export function graphIncidentFixture(id: number, v: GraphIncidentFields) {
  const parsed = parseGraphIncident({
    id: String(id),
    displayName: `Incident ${id}`,
    status: v.status ?? "active",
    severity: v.severity ?? "medium",
    assignedTo: v.assignedTo ?? null,
    classification: "unknown",
    determination: "unknown",
    createdDateTime: v.created.toISOString(),
    lastUpdateDateTime: (v.updated ?? v.created).toISOString(),
    customTags: [],
    systemTags: [],
    comments: (v.comments ?? []).map((c) => ({ comment: "looking", createdByDisplayName: c.by, createdDateTime: c.at.toISOString() })),
    alerts: v.alerts ?? [],
  });
  if (!parsed.ok) throw new Error(parsed.malformed.problem);
  return parsed.incident;
}
