// What the one write path of incidents reports for each version it stored that was new or newer:
// notifications compare the version before with the one after. Pure types.

export type IncidentChangeSnapshot = {
  incidentName: string;
  status: string;
  severity: string;
  severityRank: number;
  assignedTo: string | null;
  classification: string | null;
  determination: string | null;
  lastUpdateTime: Date;
  slaAcknowledgeDueAt: Date | null;
  slaResolveDueAt: Date | null;
  slaNextDueAt: Date;
};

/** One stored version that is new or newer than the store's: `before` null for an incident the store did not have. */
export type IncidentChange = { tenantId: string; incidentId: bigint; before: IncidentChangeSnapshot | null; after: IncidentChangeSnapshot };
