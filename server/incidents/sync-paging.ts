/**
 * How a sync pass walks through `GET /api/incidents` (pure, unit-tested).
 *
 * `$skip` paging over a set ordered by lastUpdateTime is unsafe while incidents change: when an
 * incident we already passed is updated it moves to the end, everything behind it shifts one place
 * forward, and the record at the page boundary is never seen (nor will it be: its lastUpdateTime
 * is older than the cursor). So while the answer is ordered we page by KEYSET instead: the next
 * page asks for `lastUpdateTime ge <newest time on this page>` with `$skip=0`. A record can only
 * leave that set by being updated, and then it re-enters it at the end, so nothing is skipped. The
 * records at exactly the boundary time are fetched twice; upserts are idempotent, so that is cheap.
 *
 * We do not trust the order blindly: a page that is not ascending (or holds records older than the
 * filter) switches the pass to plain `$skip` paging from a fixed bound, and sync-tenant.ts then
 * only advances the cursor when it can prove nothing moved during the pass (else the next pass
 * re-reads from the same start). More than a page of records with one identical timestamp also
 * falls back to `$skip` for that timestamp, since the keyset cannot move past it otherwise.
 */

/** Backfill marker: the first pass of a tenant reads everything (no $filter). */
export const PASS_FROM_BEGINNING = new Date(0);

export type PassPosition = { from: Date; skip: number };

export type PageStep = {
  /** A short page ends the pass. */
  done: boolean;
  next: PassPosition;
  /**
   * "keyset": every record from the bound up to `newest` has been seen, so the cursor may move to
   * `newest`. "offset": this page was read with $skip paging (disorder, ties, unreadable page, or a
   * pass already in $skip mode), and the cursor may not move until the pass proves it safe.
   */
  mode: "keyset" | "offset";
  /** Newest lastUpdateTime on the page (readable records only). */
  newest: Date | null;
  /** Ascending by lastUpdateTime and never older than the bound. */
  ordered: boolean;
};

/** `times` are the lastUpdateTime values of the readable records, in answer order. */
export function nextPassPosition(input: { position: PassPosition; times: readonly Date[]; received: number; top: number }): PageStep {
  const { position, times, received, top } = input;
  let ordered = true;
  let newest: Date | null = null;
  for (const time of times) {
    if (time < position.from || (newest && time < newest)) ordered = false;
    if (!newest || time > newest) newest = time;
  }
  // Once a pass pages by $skip it stays so: a keyset jump could pass over records not yet seen.
  const inOffsetMode = position.skip > 0;
  if (received < top) {
    // The last page holds the rest of the set, whatever its order.
    return { done: true, next: position, mode: inOffsetMode ? "offset" : "keyset", newest, ordered };
  }
  if (!inOffsetMode && ordered && newest && newest.getTime() > position.from.getTime()) {
    return { done: false, next: { from: newest, skip: 0 }, mode: "keyset", newest, ordered };
  }
  return { done: false, next: { from: position.from, skip: position.skip + received }, mode: "offset", newest, ordered };
}

/** The $filter lower bound of an incremental pass: the cursor minus the overlap. */
export function incrementalStart(cursor: Date | null, overlapMs: number): Date {
  if (!cursor) return PASS_FROM_BEGINNING;
  return new Date(Math.max(0, cursor.getTime() - overlapMs));
}
