import "server-only";
import type { PrismaClient } from "../../prisma/generated/client/client";
import { isApiBadRequest, isApiNotFound } from "../microsoft/api-errors";
import type { GraphSecurityClient } from "../microsoft/graph-security-client";
import { logger } from "../services";
import { toIncidentRecord } from "./incident-record";
import { incrementalStart } from "./sync-paging";
import { assertStillSyncing } from "./sync-lease";
import { commitSyncPage, type SyncProgress } from "./sync-store";
import { DEFAULT_OVERLAP_MS, type SyncRunResult } from "./sync-tenant";

/**
 * How a tenant's incidents are read from Microsoft Graph (`/v1.0/security/incidents?$expand=alerts`).
 *
 * A pass asks for everything changed since a bound (`lastUpdateDateTime ge`), then follows
 * `@odata.nextLink` verbatim until there is none. Graph documents no order (its page says the most
 * recent incidents come first), so nothing about the bound can be learnt from a page: each page is
 * committed with the pass's position (the nextLink to follow), and only a finished pass moves the
 * bound. A crash or a failing page resumes at the stored nextLink; a nextLink Graph no longer
 * accepts restarts the pass from its stored bound, never from scratch.
 *
 * The bound of the next pass is the start of the last finished pass minus the overlap: a change
 * stamped before that had reached the list when the pass began (Microsoft indexes a change within
 * the overlap), so it was read. This keeps an idle poll at one call once a burst of changes is
 * older than the overlap, instead of re-reading the burst on every poll. Microsoft's clock and
 * ours may differ a little; the 2-minute overlap covers seconds of skew, and the reconciliation
 * pass (every `reconcileEveryMs`, default daily) re-reads every incident without a filter and
 * repairs whatever drifted (late indexing beyond the overlap, larger skew), reported on the
 * tenant page.
 */

export const DEFAULT_RECONCILE_EVERY_MS = 24 * 60 * 60_000;

export type GraphSyncDeps = {
  prisma: PrismaClient;
  graph: Pick<GraphSecurityClient, "listIncidents">;
};

export type GraphSyncInput = {
  tenantId: string;
  ownerId: string;
  leaseMs: number;
  overlapMs?: number;
  pageSize?: number;
  maxPages?: number;
  reconcileEveryMs?: number;
  signal?: AbortSignal;
  onPageCommitted?: (info: { tenantId: string; page: number; fetched: number }) => void | Promise<void>;
};

type PassStart = { from: Date | null; reconcile: boolean; startedAt: Date };

export async function syncTenantFromGraph(deps: GraphSyncDeps, input: GraphSyncInput): Promise<SyncRunResult> {
  const { prisma, graph } = deps;
  const { tenantId } = input;
  const overlapMs = input.overlapMs ?? DEFAULT_OVERLAP_MS;
  const maxPages = input.maxPages ?? 20;
  const reconcileEveryMs = input.reconcileEveryMs ?? DEFAULT_RECONCILE_EVERY_MS;
  const log = logger().child({ tenantId });
  const state = await prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId } });
  const result: SyncRunResult = { pages: 0, fetched: 0, malformed: 0, passCompleted: false };

  // A Graph pass in progress resumes at its nextLink; a pass of the other API is dropped, keeping
  // its (older) bound so nothing it had not reached yet is skipped.
  const resumable = state.passSource === "graph" && state.passStartedAt !== null;
  let pass: PassStart;
  let nextLink: string | null = null;
  let passFetched = 0;
  let passNewest: Date | null = null;
  let passRepaired = 0;
  if (resumable) {
    pass = { from: state.passStartedFrom?.getTime() === 0 ? null : state.passStartedFrom, reconcile: state.passReconcile, startedAt: state.passStartedAt! };
    nextLink = state.passNextLink;
    passFetched = state.passFetched;
    passNewest = state.passNewest;
    passRepaired = state.passRepaired;
    log.info(
      {
        event: "sync.pass_resumed",
        source: "graph",
        from: pass.from?.toISOString() ?? null,
        fetched: passFetched,
        atNextLink: nextLink !== null,
        reconcile: pass.reconcile,
      },
      "resuming an interrupted sync pass",
    );
  } else {
    const now = new Date();
    // A tenant coming from the Defender API continues from its cursor; its first reconciliation
    // is scheduled by its first finished Graph pass.
    const reconcileDue = state.backfillCompletedAt !== null && state.nextReconcileAt !== null && state.nextReconcileAt <= now;
    let from: Date | null = state.nextFrom ?? (state.cursor ? incrementalStart(state.cursor, overlapMs) : null);
    if (state.passStartedFrom && state.passSource !== "graph") from = from && state.passStartedFrom < from ? state.passStartedFrom : from;
    if (state.passStartedFrom?.getTime() === 0) from = null; // a backfill of the other API never finished
    pass = { from: reconcileDue ? null : from, reconcile: reconcileDue, startedAt: now };
    if (pass.reconcile) log.info({ event: "sync.reconcile_started" }, "reconciliation pass started: every incident is read again");
    else log.debug({ event: "sync.pass_started", source: "graph", from: pass.from?.toISOString() ?? null, backfill: pass.from === null }, "sync pass started");
  }

  while (result.pages < maxPages) {
    input.signal?.throwIfAborted();
    await assertStillSyncing(prisma, { tenantId, ownerId: input.ownerId });
    let page;
    try {
      page = await graph.listIncidents(
        nextLink ? { tenantId, nextLink, signal: input.signal } : { tenantId, lastUpdateGe: pass.from ?? undefined, top: input.pageSize, signal: input.signal },
      );
    } catch (error) {
      // Graph no longer takes this nextLink (its skip token expired): start the pass again from its bound.
      if (nextLink && (isApiBadRequest(error) || isApiNotFound(error))) {
        log.warn({ event: "sync.next_link_refused", message: error.apiMessage }, "Graph refused the stored nextLink; the pass restarts from its bound");
        await prisma.tenantSyncState.updateMany({ where: { tenantId, leaseOwner: input.ownerId }, data: { passNextLink: null, passFetched: 0 } });
        nextLink = null;
        passFetched = 0;
        continue;
      }
      throw error;
    }
    const now = new Date();
    passFetched += page.incidents.length;
    for (const incident of page.incidents) if (!passNewest || incident.lastUpdateTime > passNewest) passNewest = incident.lastUpdateTime;
    const records = page.incidents.map((incident) => toIncidentRecord({ tenantId, incident, syncedAt: now }));
    const done = page.nextLink === null;
    const cursor = passNewest && (!state.cursor || passNewest > state.cursor) ? passNewest : state.cursor;
    let progress: SyncProgress;
    if (!done) {
      progress = {
        passSource: "graph",
        passStartedFrom: pass.from ?? new Date(0),
        passSkip: 0,
        passFetched,
        passNextLink: page.nextLink,
        passStartedAt: pass.startedAt,
        passNewest,
        passReconcile: pass.reconcile,
        cursor: state.cursor,
      };
    } else {
      progress = {
        passSource: null,
        passStartedFrom: null,
        passSkip: 0,
        passFetched,
        passNextLink: null,
        passStartedAt: null,
        passNewest: null,
        passReconcile: false,
        passRepaired: 0,
        cursor,
        nextFrom: new Date(Math.max(pass.from?.getTime() ?? 0, pass.startedAt.getTime() - overlapMs)),
        lastSuccessAt: now,
        nextReconcileAt: pass.reconcile || !state.nextReconcileAt ? new Date(now.getTime() + reconcileEveryMs) : state.nextReconcileAt,
        ...(pass.reconcile ? { lastReconciledAt: now } : {}),
        ...(state.backfillCompletedAt ? {} : { backfillCompletedAt: now }),
      };
    }
    const committed = await commitSyncPage(prisma, {
      tenantId,
      ownerId: input.ownerId,
      leaseMs: input.leaseMs,
      records,
      malformed: page.malformed,
      progress,
      now,
    });
    if (pass.reconcile) {
      passRepaired += committed.changed;
      // Outside the page's transaction: a crash here loses the count, never data.
      await prisma.tenantSyncState.updateMany({
        where: { tenantId, leaseOwner: input.ownerId },
        data: done ? { lastReconcileRepaired: passRepaired } : { passRepaired },
      });
      if (done) {
        log[passRepaired > 0 ? "warn" : "info"](
          { event: "sync.reconcile_completed", repaired: passRepaired, fetched: passFetched },
          "reconciliation pass completed",
        );
      }
    }
    result.pages += 1;
    result.fetched += page.incidents.length;
    result.malformed += page.malformed.length;
    if (page.malformed.length > 0) {
      log.warn(
        { event: "sync.malformed_records", count: page.malformed.length, problems: page.malformed.map((m) => m.problem.slice(0, 200)) },
        "unreadable incident records kept as sync issues",
      );
    }
    await input.onPageCommitted?.({ tenantId, page: result.pages, fetched: result.fetched });
    if (done) {
      result.passCompleted = true;
      const level = result.pages > 1 || !state.backfillCompletedAt || result.malformed > 0 ? "info" : "debug";
      log[level](
        {
          event: "sync.pass_completed",
          source: "graph",
          pages: result.pages,
          fetched: passFetched,
          malformed: result.malformed,
          cursor: cursor?.toISOString() ?? null,
        },
        "sync pass completed",
      );
      break;
    }
    nextLink = page.nextLink;
  }
  return result;
}
