// Pure: what the versions of an incident the store has seen tell about its handling (issue #11).
// Microsoft keeps no history of assignments or status moves, so each new version is compared with
// the facts kept so far; a change seen in a version happened at or before its lastUpdateTime, which
// is what the facts record (comments carry their own exact times).
import type { AcknowledgementKind } from "../../prisma/generated/client/enums";
import { isClosedStatus } from "../../lib/incident-status";
import type { PauseInterval } from "../../lib/service-levels";

export type IncidentFacts = {
  firstSeenAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedHow: AcknowledgementKind | null;
  resolvedAt: Date | null;
  pauses: PauseInterval[];
};

/** The fields of one version that move the facts. */
export type IncidentVersion = {
  status: string;
  assignedTo: string | null;
  createdTime: Date;
  lastUpdateTime: Date;
  /** The earliest comment with a time, and its author. */
  firstComment: { at: Date; by: string | null } | null;
};

const AWAITING = "AwaitingAction";
/** Older pauses beyond this are merged into one, so the column stays small whatever happens. */
const MAX_PAUSES = 50;

type Candidate = { at: Date; by: string | null; how: AcknowledgementKind };

/** The order among candidates at the same instant: what a person did first reads best. */
const PREFERENCE: AcknowledgementKind[] = ["assigned", "in_progress", "comment", "resolved"];

function earliest(candidates: Candidate[]): Candidate | null {
  return candidates.reduce<Candidate | null>((best, c) => {
    if (!best) return c;
    const diff = c.at.getTime() - best.at.getTime();
    return diff < 0 || (diff === 0 && PREFERENCE.indexOf(c.how) < PREFERENCE.indexOf(best.how)) ? c : best;
  }, null);
}

/**
 * The facts after one more version: `previous` is what the store held (with that version's status),
 * null for an incident seen for the first time. Only newer versions reach here (the write path drops
 * older ones), so a fact once recorded only ever moves earlier (a comment found later may predate it).
 */
export function advanceFacts(previous: (IncidentFacts & { status: string }) | null, version: IncidentVersion, now: Date): IncidentFacts {
  const seenAt = version.lastUpdateTime;
  const clamp = (at: Date) => (at < version.createdTime ? version.createdTime : at);
  const candidates: Candidate[] = [];
  if (previous?.acknowledgedAt && previous.acknowledgedHow) {
    candidates.push({ at: previous.acknowledgedAt, by: previous.acknowledgedBy, how: previous.acknowledgedHow });
  }
  if (version.assignedTo) candidates.push({ at: clamp(seenAt), by: version.assignedTo, how: "assigned" });
  if (version.status === "InProgress") candidates.push({ at: clamp(seenAt), by: version.assignedTo, how: "in_progress" });
  if (version.firstComment) candidates.push({ at: clamp(version.firstComment.at), by: version.firstComment.by, how: "comment" });
  const closed = isClosedStatus(version.status);
  if (closed) candidates.push({ at: clamp(seenAt), by: version.assignedTo, how: "resolved" });
  const ack = earliest(candidates);

  const wasClosed = previous ? isClosedStatus(previous.status) : false;
  const resolvedAt = closed ? (wasClosed && previous?.resolvedAt ? previous.resolvedAt : clamp(seenAt)) : null;

  return {
    firstSeenAt: previous?.firstSeenAt ?? now,
    acknowledgedAt: ack?.at ?? null,
    acknowledgedBy: ack?.by ?? null,
    acknowledgedHow: ack?.how ?? null,
    resolvedAt,
    pauses: nextPauses(previous?.pauses ?? [], version.status === AWAITING, clamp(seenAt)),
  };
}

function nextPauses(pauses: PauseInterval[], awaiting: boolean, at: Date): PauseInterval[] {
  const open = pauses.at(-1)?.to === null ? pauses.at(-1)! : null;
  let next = pauses;
  if (awaiting && !open) next = [...pauses, { from: at, to: null }];
  if (!awaiting && open) next = [...pauses.slice(0, -1), { from: open.from, to: at < open.from ? open.from : at }];
  if (next.length > MAX_PAUSES) {
    const [first, second, ...rest] = next;
    // Merging the two oldest overstates that one pause by the gap between them: rare, and bounded.
    next = [{ from: first!.from, to: second!.to }, ...rest];
  }
  return next;
}

/** The pauses column as stored (ISO strings), read back; anything malformed is dropped, not trusted. */
export function parsePauses(value: unknown): PauseInterval[] {
  if (!Array.isArray(value)) return [];
  const out: PauseInterval[] = [];
  for (const item of value) {
    if (typeof item !== "object" || item === null) continue;
    const { from, to } = item as { from?: unknown; to?: unknown };
    const fromDate = typeof from === "string" ? new Date(from) : null;
    const toDate = typeof to === "string" ? new Date(to) : null;
    if (!fromDate || Number.isNaN(fromDate.getTime()) || (toDate && Number.isNaN(toDate.getTime()))) continue;
    out.push({ from: fromDate, to: toDate });
  }
  return out;
}

export function serializePauses(pauses: PauseInterval[]): Array<{ from: string; to: string | null }> {
  return pauses.map((p) => ({ from: p.from.toISOString(), to: p.to ? p.to.toISOString() : null }));
}

/** Whether the stored pauses end in one still open: the incident awaits the customer. */
export function isPausedNow(stored: unknown): boolean {
  return parsePauses(stored).at(-1)?.to === null;
}
