import "server-only";
import type { PrismaClient } from "../../prisma/generated/client/client";
import type { DefenderClient } from "../microsoft/defender-client";
import { logger } from "../services";
import { toIncidentRecord } from "./incident-record";
import { PASS_FROM_BEGINNING, incrementalStart, nextPassPosition, type PassPosition } from "./sync-paging";
import { assertStillSyncing } from "./sync-lease";
import { commitSyncPage, type SyncProgress } from "./sync-store";

/**
 * Incremental polls start 2 minutes before the cursor. Defender stamps lastUpdateTime when a
 * change is made, but the change can reach the list API a little later (and our copy of the
 * time is cut to milliseconds); the overlap re-reads those borders. Its cost is re-fetching
 * the incidents changed in the last 2 minutes, usually a handful, within the one page an idle
 * poll costs anyway.
 */
export const DEFAULT_OVERLAP_MS = 2 * 60_000;

export type SyncTenantDeps = {
  prisma: PrismaClient;
  defender: Pick<DefenderClient, "listIncidents">;
};

/** The Defender API's pass (legacy); Graph's is sync-graph.ts. */

export type SyncTenantInput = {
  tenantId: string;
  /** The lease holder; every page commit checks it. */
  ownerId: string;
  leaseMs: number;
  overlapMs?: number;
  pageSize?: number;
  /** Pages per run, so one huge backfill yields its slot to other tenants between runs. */
  maxPages?: number;
  signal?: AbortSignal;
  /** Called after each committed page (tests use it to simulate a crash between pages). */
  onPageCommitted?: (info: { tenantId: string; page: number; fetched: number }) => void | Promise<void>;
};

export type SyncRunResult = { pages: number; fetched: number; malformed: number; passCompleted: boolean };

/**
 * One run for one tenant: continues the interrupted pass, or starts a new one (a backfill when
 * the tenant was never synced, else incremental from the cursor minus the overlap), and commits
 * page by page until a short page ends the pass or `maxPages` is reached.
 */
export async function syncTenantOnce(deps: SyncTenantDeps, input: SyncTenantInput): Promise<SyncRunResult> {
  const { prisma, defender } = deps;
  const { tenantId } = input;
  const pageSize = input.pageSize ?? 100;
  const maxPages = input.maxPages ?? 20;
  const overlapMs = input.overlapMs ?? DEFAULT_OVERLAP_MS;
  const runStartedAt = Date.now();

  const state = await prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId } });
  // A pass of the other API (Graph) is dropped, keeping its (older) bound.
  const otherPass = state.passStartedFrom !== null && state.passSource === "graph" ? state.passStartedFrom : null;
  const resumed = state.passStartedFrom !== null && !otherPass;
  const fresh = incrementalStart(state.cursor, overlapMs);
  let position: PassPosition = resumed
    ? { from: state.passStartedFrom!, skip: state.passSkip }
    : { from: otherPass && otherPass < fresh ? otherPass : fresh, skip: 0 };
  let cursor = state.cursor;
  let passFetched = resumed ? state.passFetched : 0;
  // Newest time seen on $skip-paged pages: the cursor may only move there once the pass proves safe.
  let offsetNewest: Date | null = null;
  let usedOffset = resumed && state.passSkip > 0;
  const result: SyncRunResult = { pages: 0, fetched: 0, malformed: 0, passCompleted: false };
  const log = logger().child({ tenantId });
  if (!resumed)
    log.debug(
      { event: "sync.pass_started", from: position.from.toISOString(), backfill: position.from.getTime() === PASS_FROM_BEGINNING.getTime() },
      "sync pass started",
    );
  else
    log.info({ event: "sync.pass_resumed", from: position.from.toISOString(), skip: position.skip, fetched: passFetched }, "resuming an interrupted sync pass");

  while (result.pages < maxPages) {
    input.signal?.throwIfAborted();
    await assertStillSyncing(prisma, { tenantId, ownerId: input.ownerId });
    const page = await defender.listIncidents({
      tenantId,
      filter: position.from.getTime() > PASS_FROM_BEGINNING.getTime() ? { lastUpdateTimeGe: position.from } : undefined,
      top: pageSize,
      skip: position.skip,
      signal: input.signal,
    });
    const step = nextPassPosition({ position, times: page.incidents.map((i) => i.lastUpdateTime), received: page.received, top: pageSize });
    const now = new Date();
    if (step.mode === "keyset" && !usedOffset) {
      cursor = maxDate(cursor, step.newest);
    } else {
      usedOffset = true;
      offsetNewest = maxDate(offsetNewest, step.newest);
    }
    passFetched += page.incidents.length;

    let progress: SyncProgress;
    if (step.done) {
      if (usedOffset) {
        // $skip paging may have missed records that shifted while the pass ran. Only when no record
        // changed since the run began (and the pass did not start in an earlier run) is that ruled
        // out; otherwise the cursor stays and the next pass re-reads from the same start.
        const changedDuringRun = offsetNewest !== null && offsetNewest.getTime() >= runStartedAt - overlapMs;
        if (!resumed && !changedDuringRun) cursor = maxDate(cursor, offsetNewest);
        else
          log.warn(
            { event: "sync.pass_repeat", reason: resumed ? "resumed $skip pass" : "records changed during a $skip pass" },
            "the next pass re-reads from the same start",
          );
      }
      progress = {
        passSource: null,
        passNextLink: null,
        passStartedAt: null,
        passNewest: null,
        nextFrom: null,
        passStartedFrom: null,
        passSkip: 0,
        passFetched,
        cursor,
        lastSuccessAt: now,
        ...(state.backfillCompletedAt ? {} : { backfillCompletedAt: now }),
      };
    } else {
      progress = {
        passSource: "defender",
        passNextLink: null,
        passStartedAt: null,
        passNewest: null,
        passStartedFrom: step.next.from,
        passSkip: step.next.skip,
        passFetched,
        cursor,
      };
    }

    const records = page.incidents.map((incident) => toIncidentRecord({ tenantId, incident, syncedAt: now }));
    await commitSyncPage(prisma, { tenantId, ownerId: input.ownerId, leaseMs: input.leaseMs, records, malformed: page.malformed, progress, now });
    result.pages += 1;
    result.fetched += page.incidents.length;
    result.malformed += page.malformed.length;
    if (page.malformed.length > 0) {
      log.warn(
        { event: "sync.malformed_records", count: page.malformed.length, problems: page.malformed.map((m) => m.problem.slice(0, 200)) },
        "unreadable incident records kept as sync issues",
      );
    }
    if (!step.ordered && !step.done)
      log.warn({ event: "sync.page_out_of_order", skip: position.skip }, "the API's page was not ordered by lastUpdateTime; paging by $skip");
    await input.onPageCommitted?.({ tenantId, page: result.pages, fetched: result.fetched });
    position = step.next;
    if (step.done) {
      result.passCompleted = true;
      // Routine one-page polls log at debug: at 30 s per tenant they would drown everything else.
      const level = result.pages > 1 || !state.backfillCompletedAt || result.malformed > 0 ? "info" : "debug";
      log[level](
        { event: "sync.pass_completed", pages: result.pages, fetched: passFetched, malformed: result.malformed, cursor: cursor?.toISOString() ?? null },
        "sync pass completed",
      );
      break;
    }
  }
  return result;
}

function maxDate(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
