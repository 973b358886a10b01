// Service levels (issue #11 §1): how long an incident may wait for acknowledgement and for
// resolution, and where each clock stands now. Pure: the queue, the incident page and the server share it.
import { addWorkingMinutes, workingMinutesBetween, type BusinessHours } from "./business-hours";
import { UserFacingError } from "./errors";
import { isClosedStatus } from "./incident-status";
import { formatDuration } from "./time";

export { addWorkingMinutes, InvalidBusinessHoursError, validateBusinessHours, workingMinutesBetween, type BusinessHours } from "./business-hours";

export const SERVICE_LEVEL_SEVERITIES = ["High", "Medium", "Low", "Informational"] as const;
export type ServiceLevelSeverity = (typeof SERVICE_LEVEL_SEVERITIES)[number];

/** Working minutes allowed for each step; null means no target. */
export interface SeverityTargets {
  acknowledgeMinutes: number | null;
  resolveMinutes: number | null;
}

export type ServiceLevelPolicy = Readonly<Record<ServiceLevelSeverity, Readonly<SeverityTargets>>>;

/** A customer's exceptions to a policy: only the values given replace the default's (null clears a target). */
export type ServiceLevelPolicyOverride = Partial<Record<ServiceLevelSeverity, Partial<SeverityTargets>>>;

const HOUR = 60;
const MINUTE_MS = 60_000;

export const DEFAULT_SERVICE_LEVEL_POLICY: ServiceLevelPolicy = Object.freeze({
  High: Object.freeze({ acknowledgeMinutes: 15, resolveMinutes: 4 * HOUR }),
  Medium: Object.freeze({ acknowledgeMinutes: HOUR, resolveMinutes: 24 * HOUR }),
  Low: Object.freeze({ acknowledgeMinutes: 4 * HOUR, resolveMinutes: 72 * HOUR }),
  Informational: Object.freeze({ acknowledgeMinutes: 24 * HOUR, resolveMinutes: null }),
});

/** A clock due within this many minutes is "due soon". */
export const DUE_SOON_MINUTES = 60;

/** Thrown for a policy that cannot be used; the message names the field and is safe to show. */
export class InvalidServiceLevelPolicyError extends UserFacingError {
  constructor(message: string) {
    super(message, "InvalidServiceLevelPolicy");
  }
}

function checkTarget(value: unknown, field: string): number | null {
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidServiceLevelPolicyError(
      `${field} must be a number of minutes above 0, or null for no target; not ${typeof value === "number" ? value : JSON.stringify(value)}.`,
    );
  }
  return value;
}

/** `base` with a customer's override laid over it, checked; throws InvalidServiceLevelPolicyError naming the field. */
export function mergeServiceLevelPolicy(base: ServiceLevelPolicy, override: ServiceLevelPolicyOverride | null | undefined): ServiceLevelPolicy {
  const merged = {} as Record<ServiceLevelSeverity, SeverityTargets>;
  for (const severity of SERVICE_LEVEL_SEVERITIES) {
    const own = override?.[severity];
    const pick = (key: keyof SeverityTargets) => checkTarget(own?.[key] !== undefined ? own[key] : base[severity][key], `${severity}.${key}`);
    merged[severity] = Object.freeze({ acknowledgeMinutes: pick("acknowledgeMinutes"), resolveMinutes: pick("resolveMinutes") });
  }
  return Object.freeze(merged);
}

/**
 * The targets for an incident's severity (any case, as Graph and Defender spell it differently).
 * Severities the policy does not name (UnSpecified, Graph's unknownFutureValue, anything Microsoft
 * adds later) get the policy's Low targets: an incident is never left without a clock.
 */
export function targetsForSeverity(policy: ServiceLevelPolicy, severity: string): SeverityTargets {
  const known = SERVICE_LEVEL_SEVERITIES.find((s) => s.toLowerCase() === severity.toLowerCase());
  return policy[known ?? "Low"];
}

/** What the portal knows of an incident's first handling, each null when it has not happened. */
export interface AcknowledgementFacts {
  /** Creation in Microsoft: the clock starts here, not when the portal first saw the incident. */
  createdAt: Date;
  firstAssignedAt: Date | null;
  firstInProgressAt: Date | null;
  firstStaffCommentAt: Date | null;
}

/** When the incident was acknowledged: the earliest of assignment, InProgress or a staff comment
 * (never before creation, which clock skew between systems could otherwise suggest); null if none yet. */
export function acknowledgedAt(facts: AcknowledgementFacts): Date | null {
  const times = [facts.firstAssignedAt, facts.firstInProgressAt, facts.firstStaffCommentAt].flatMap((d) => (d ? [d.getTime()] : []));
  if (times.length === 0) return null;
  return new Date(Math.max(facts.createdAt.getTime(), Math.min(...times)));
}

/** A span during which the clock stood still (the incident awaited the customer); `to` null: still paused. */
export interface PauseInterval {
  from: Date;
  to: Date | null;
}

export interface ServiceLevelIncident {
  severity: string;
  /** Creation in Microsoft. */
  createdAt: Date;
  /** Graph or portal spelling, any case: "AwaitingAction" pauses the clock, "Resolved" / "Redirected" stop it. */
  status: string;
  acknowledgedAt: Date | null;
  /** Counts only while the status is closed: a reopened incident's clock runs again from creation. */
  resolvedAt: Date | null;
  pauses: readonly PauseInterval[];
}

export interface TargetState {
  targetMinutes: number | null;
  /** When the target falls due; while paused, as if the clock resumed now. Null: no target. */
  dueAt: Date | null;
  /** Whether the step was done in time; null while it is pending and not yet due (or without a target). */
  met: boolean | null;
  breached: boolean;
  /** Wall-clock minutes from now (or from when the step was done) to `dueAt`; negative when late. */
  remainingMinutes: number | null;
  /** Working minutes the clock has run, pauses excluded. */
  elapsedWorkingMinutes: number;
}

/** "missed": nothing pending and a target was breached (the incident must not look overdue any more). */
export type ServiceLevelBand = "overdue" | "due_soon" | "ok" | "met" | "missed" | "none";

export interface ServiceLevelState {
  acknowledge: TargetState;
  resolve: TargetState;
  /** The nearest due time of a clock still running (overdue ones included), for sorting by next due. */
  next: Date | null;
  band: ServiceLevelBand;
  /** The incident awaits the customer: the clock stands still. */
  paused: boolean;
}

export interface ServiceLevelInput {
  incident: ServiceLevelIncident;
  policy: ServiceLevelPolicy;
  hours: BusinessHours | null;
  now: Date;
}

/** Pauses within [start, end], sorted and merged so overlapping ones count once. */
function clippedPauses(pauses: readonly PauseInterval[], start: number, end: number): Array<{ from: number; to: number }> {
  const spans = pauses
    .map((p) => ({ from: Math.max(p.from.getTime(), start), to: Math.min(p.to?.getTime() ?? end, end) }))
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from);
  const merged: Array<{ from: number; to: number }> = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

/** The due time of `minutes` working minutes from `start`, each pause pushing it later by its working length. */
function dueWithPauses(start: number, minutes: number, pauses: ReadonlyArray<{ from: number; to: number }>, hours: BusinessHours | null): number {
  let cursor = start;
  let remaining = minutes;
  for (const pause of pauses) {
    const unpaused = addWorkingMinutes(new Date(cursor), remaining, hours).getTime();
    if (unpaused <= pause.from) return unpaused;
    remaining -= workingMinutesBetween(new Date(cursor), new Date(pause.from), hours);
    cursor = pause.to;
  }
  return addWorkingMinutes(new Date(cursor), remaining, hours).getTime();
}

function targetState(
  minutes: number | null,
  start: number,
  stoppedAt: number | null,
  stopKnown: boolean,
  pauses: readonly PauseInterval[],
  hours: BusinessHours | null,
  now: number,
): TargetState {
  const end = stoppedAt ?? now;
  const spans = clippedPauses(pauses, start, end);
  const paused = spans.reduce((sum, p) => sum + workingMinutesBetween(new Date(p.from), new Date(p.to), hours), 0);
  const elapsedWorkingMinutes = Math.max(0, workingMinutesBetween(new Date(start), new Date(end), hours) - paused);
  if (minutes === null) return { targetMinutes: null, dueAt: null, met: null, breached: false, remainingMinutes: null, elapsedWorkingMinutes };
  const due = dueWithPauses(start, minutes, spans, hours);
  const remainingMinutes = Math.floor((due - end) / MINUTE_MS);
  if (!stopKnown) return { targetMinutes: minutes, dueAt: new Date(due), met: null, breached: false, remainingMinutes: null, elapsedWorkingMinutes };
  const met = stoppedAt !== null ? stoppedAt <= due : now > due ? false : null;
  return { targetMinutes: minutes, dueAt: new Date(due), met, breached: met === false, remainingMinutes, elapsedWorkingMinutes };
}

/** Where an incident's acknowledgement and resolution clocks stand at `now`. */
export function serviceLevelState({ incident, policy, hours, now }: ServiceLevelInput): ServiceLevelState {
  const targets = targetsForSeverity(policy, incident.severity);
  const start = incident.createdAt.getTime();
  const at = Math.max(now.getTime(), start);
  const status = incident.status.toLowerCase();
  const closed = isClosedStatus(status, { anyCase: true });
  const resolvedAt = closed && incident.resolvedAt ? Math.max(start, incident.resolvedAt.getTime()) : null;
  // Resolving an incident acknowledges it too, if nothing did so earlier.
  const ackTimes = [incident.acknowledgedAt?.getTime(), resolvedAt ?? undefined].filter((t): t is number => t !== undefined);
  const ackAt = ackTimes.length ? Math.max(start, Math.min(...ackTimes)) : null;
  const running = !closed;
  // The pause list measures the stops; the status alone (a pause not yet recorded) only flags one.
  const openPause = incident.pauses.some((p) => p.to === null && p.from.getTime() <= at);
  const isPaused = running && (openPause || status === "awaitingaction");
  const pauses = incident.pauses.filter((p) => p.from.getTime() <= at);

  // A closed incident without a resolution time stopped at an unknown moment: neither met nor breached.
  const acknowledge = targetState(targets.acknowledgeMinutes, start, ackAt, ackAt !== null || running, pauses, hours, at);
  const resolve = targetState(targets.resolveMinutes, start, resolvedAt, resolvedAt !== null || running, pauses, hours, at);

  // Clocks still running: not done, with a target, on an incident not closed.
  const pendingDue = running ? [ackAt === null ? acknowledge.dueAt : null, resolve.dueAt].flatMap((d) => (d ? [d.getTime()] : [])) : [];
  const next = pendingDue.length ? Math.min(...pendingDue) : null;
  return { acknowledge, resolve, next: next === null ? null : new Date(next), band: bandOf(next, [acknowledge, resolve], at), paused: isPaused };
}

function bandOf(next: number | null, targets: TargetState[], now: number): ServiceLevelBand {
  if (next !== null) return next < now ? "overdue" : next - now <= DUE_SOON_MINUTES * MINUTE_MS ? "due_soon" : "ok";
  if (targets.some((t) => t.breached)) return "missed";
  return targets.some((t) => t.met === true) ? "met" : "none";
}

/** The due-time columns as stored with an incident (server/service-levels/due-times.ts). */
export interface StoredServiceLevel {
  status: string;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  slaAcknowledgeDueAt: Date | null;
  slaResolveDueAt: Date | null;
  /** Year 9999 when no clock runs. */
  slaNextDueAt: Date;
  /** The incident awaits the customer: its clock stands still. */
  paused: boolean;
}

export interface ServiceLevelCell {
  band: ServiceLevelBand | "paused";
  /** The clock the cell is about while one runs. */
  step: "acknowledge" | "resolve" | null;
  dueAt: Date | null;
  /** Wall-clock minutes to the due time, negative when late; null when no clock runs. */
  remainingMinutes: number | null;
  text: string;
}

const NOT_RUNNING_YEAR = 9999;

/** What the queue shows for an incident's service level, from its stored due times (no policy needed). */
export function serviceLevelCell(row: StoredServiceLevel, now: Date): ServiceLevelCell {
  const closed = isClosedStatus(row.status, { anyCase: true });
  if (!closed && row.paused) return { band: "paused", step: null, dueAt: null, remainingMinutes: null, text: "Paused: awaiting customer" };
  if (row.slaNextDueAt.getUTCFullYear() < NOT_RUNNING_YEAR && !closed) {
    const step = !row.acknowledgedAt && row.slaAcknowledgeDueAt?.getTime() === row.slaNextDueAt.getTime() ? "acknowledge" : "resolve";
    const remainingMinutes = Math.floor((row.slaNextDueAt.getTime() - now.getTime()) / MINUTE_MS);
    const band: ServiceLevelBand = remainingMinutes < 0 ? "overdue" : remainingMinutes <= DUE_SOON_MINUTES ? "due_soon" : "ok";
    const verb = step === "acknowledge" ? "Acknowledge" : "Resolve";
    return { band, step, dueAt: row.slaNextDueAt, remainingMinutes, text: `${verb} ${formatDuration(remainingMinutes, { style: "countdown" })}` };
  }
  const ackMet = row.slaAcknowledgeDueAt === null ? null : row.acknowledgedAt !== null && row.acknowledgedAt <= row.slaAcknowledgeDueAt;
  const resolveMet = !closed || row.slaResolveDueAt === null ? null : row.resolvedAt !== null && row.resolvedAt <= row.slaResolveDueAt;
  const outcomes = [ackMet, resolveMet].filter((m): m is boolean => m !== null);
  if (outcomes.length === 0) return { band: "none", step: null, dueAt: null, remainingMinutes: null, text: "No target" };
  const met = outcomes.every(Boolean);
  return { band: met ? "met" : "missed", step: null, dueAt: null, remainingMinutes: null, text: met ? "Met" : "Missed" };
}
