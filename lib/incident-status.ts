// Which incident statuses close an incident, declared once. Pure: the server, the service-level
// arithmetic and pages share it.

/** Closed: resolved by someone, or redirected (Microsoft merged it into another incident). */
export const CLOSED_INCIDENT_STATUSES = ["Resolved", "Redirected"] as const;

const CLOSED_ANY_CASE = new Set<string>(CLOSED_INCIDENT_STATUSES.map((status) => status.toLowerCase()));

/**
 * Is an incident with this status closed? Stored statuses use Defender's spelling exactly;
 * `anyCase` also accepts Graph's ("resolved") where either spelling arrives.
 */
export function isClosedStatus(status: string, options: { anyCase?: boolean } = {}): boolean {
  return options.anyCase ? CLOSED_ANY_CASE.has(status.toLowerCase()) : (CLOSED_INCIDENT_STATUSES as readonly string[]).includes(status);
}
