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
 * ours may differ a little; the 2-minute overlap covers seconds of skew.
 *
 * Reconciliation (issue #7: "low-priority ... inside the rate budget"): every `reconcileEveryMs`
 * (default daily) every incident is read again without a filter, to repair whatever drifted (late
 * indexing beyond the overlap, larger skew). It never delays the incremental poll: a run first
 * finishes its incremental pass, and only then reads at most `reconcilePagesPerRun` pages of the
 * reconciliation, which keeps its own resumable position (reconcileNextLink) and continues in the
 * next runs. Each reconciliation page is committed with that position in one transaction, so a
 * crash resumes after the last committed page; the store's "older never overwrites newer" rule
 * makes a page read before a newer poll harmless. Only incidents the store lacked or held in an
 * older version, stamped before the bound the polls had covered, count as repaired (reported on
 * the tenant page); a newer version of a recent change is an ordinary change, not drift.
 */

export const DEFAULT_RECONCILE_EVERY_MS = 24 * 60 * 60_000;
/**
 * Reconciliation list calls per run. With the 30 s poll interval that is at most 4 calls a minute
 * per tenant on top of the poll, a small share of Graph's 150 per minute (GRAPH_CALLS_PER_MINUTE);
 * a 5,000-incident tenant (100 pages of 50) is re-read in under an hour, once a day.
 */
export const DEFAULT_RECONCILE_PAGES_PER_RUN = 2;

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
  reconcilePagesPerRun?: number;
  signal?: AbortSignal;
  onPageCommitted?: (info: { tenantId: string; page: number; fetched: number; reconcile?: boolean }) => void | Promise<void>;
};

export type GraphSyncRunResult = SyncRunResult & {
  /** Reconciliation pages read in this run (after the incremental pass finished). */
  reconcilePages: number;
  /** A reconciliation finished in this run. */
  reconcileCompleted: boolean;
};

type PassStart = { from: Date | null; startedAt: Date };

export async function syncTenantFromGraph(deps: GraphSyncDeps, input: GraphSyncInput): Promise<GraphSyncRunResult> {
  const incremental = await incrementalPass(deps, input);
  const result: GraphSyncRunResult = { ...incremental.result, reconcilePages: 0, reconcileCompleted: false };
  // Low priority: only once the incremental pass is finished (the store is current up to its bound).
  if (incremental.coveredUntil) {
    const reconcile = await reconcilePages(deps, input, incremental.coveredUntil);
    result.reconcilePages = reconcile.pages;
    result.reconcileCompleted = reconcile.completed;
    result.malformed += reconcile.malformed;
  }
  return result;
}

/** The incremental (or first backfill) pass; `coveredUntil` is the bound of the next pass once this one finished. */
async function incrementalPass(deps: GraphSyncDeps, input: GraphSyncInput): Promise<{ result: SyncRunResult; coveredUntil: Date | null }> {
  const { prisma, graph } = deps;
  const { tenantId } = input;
  const overlapMs = input.overlapMs ?? DEFAULT_OVERLAP_MS;
  const maxPages = input.maxPages ?? 20;
  const reconcileEveryMs = input.reconcileEveryMs ?? DEFAULT_RECONCILE_EVERY_MS;
  const log = logger().child({ tenantId });
  const state = await prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId } });
  const result: SyncRunResult = { pages: 0, fetched: 0, malformed: 0, passCompleted: false };
  let coveredUntil: Date | null = null;

  // A Graph pass in progress resumes at its nextLink; a pass of the other API is dropped, keeping
  // its (older) bound so nothing it had not reached yet is skipped.
  const resumable = state.passSource === "graph" && state.passStartedAt !== null;
  let pass: PassStart;
  let nextLink: string | null = null;
  let passFetched = 0;
  let passNewest: Date | null = null;
  if (resumable) {
    pass = { from: state.passStartedFrom?.getTime() === 0 ? null : state.passStartedFrom, startedAt: state.passStartedAt! };
    nextLink = state.passNextLink;
    passFetched = state.passFetched;
    passNewest = state.passNewest;
    log.info(
      {
        event: "sync.pass_resumed",
        source: "graph",
        from: pass.from?.toISOString() ?? null,
        fetched: passFetched,
        atNextLink: nextLink !== null,
      },
      "resuming an interrupted sync pass",
    );
  } else {
    // A tenant coming from the Defender API continues from its cursor; its first reconciliation
    // is scheduled by its first finished Graph pass.
    let from: Date | null = state.nextFrom ?? (state.cursor ? incrementalStart(state.cursor, overlapMs) : null);
    if (state.passStartedFrom && state.passSource !== "graph") from = from && state.passStartedFrom < from ? state.passStartedFrom : from;
    if (state.passStartedFrom?.getTime() === 0) from = null; // a backfill of the other API never finished
    pass = { from, startedAt: new Date() };
    log.debug({ event: "sync.pass_started", source: "graph", from: pass.from?.toISOString() ?? null, backfill: pass.from === null }, "sync pass started");
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
        cursor: state.cursor,
      };
    } else {
      coveredUntil = new Date(Math.max(pass.from?.getTime() ?? 0, pass.startedAt.getTime() - overlapMs));
      progress = {
        passSource: null,
        passStartedFrom: null,
        passSkip: 0,
        passFetched,
        passNextLink: null,
        passStartedAt: null,
        passNewest: null,
        cursor,
        nextFrom: coveredUntil,
        lastSuccessAt: now,
        // The first finished pass schedules the first reconciliation; a finished reconciliation the next.
        ...(state.nextReconcileAt ? {} : { nextReconcileAt: new Date(now.getTime() + reconcileEveryMs) }),
        ...(state.backfillCompletedAt ? {} : { backfillCompletedAt: now }),
      };
    }
    await commitSyncPage(prisma, {
      tenantId,
      ownerId: input.ownerId,
      leaseMs: input.leaseMs,
      records,
      malformed: page.malformed,
      progress,
      now,
    });
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
  return { result, coveredUntil };
}

/**
 * Up to `reconcilePagesPerRun` pages of the reconciliation in progress (or of a new one, when one
 * is due). `coveredUntil`: the bound the incremental polls have read up to (see commitSyncPage).
 */
async function reconcilePages(
  deps: GraphSyncDeps,
  input: GraphSyncInput,
  coveredUntil: Date,
): Promise<{ pages: number; completed: boolean; malformed: number }> {
  const { prisma, graph } = deps;
  const { tenantId } = input;
  const limit = input.reconcilePagesPerRun ?? DEFAULT_RECONCILE_PAGES_PER_RUN;
  const reconcileEveryMs = input.reconcileEveryMs ?? DEFAULT_RECONCILE_EVERY_MS;
  const log = logger().child({ tenantId });
  const state = await prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId } });
  const outcome = { pages: 0, completed: false, malformed: 0 };
  if (limit <= 0) return outcome;
  let startedAt: Date;
  let nextLink: string | null = null;
  let fetched = 0;
  if (state.reconcileStartedAt) {
    startedAt = state.reconcileStartedAt;
    nextLink = state.reconcileNextLink;
    fetched = state.reconcileFetched;
    log.debug({ event: "sync.reconcile_resumed", fetched, repaired: state.reconcileRepaired }, "reconciliation continues");
  } else {
    const now = new Date();
    const due = state.backfillCompletedAt !== null && state.nextReconcileAt !== null && state.nextReconcileAt <= now;
    if (!due) return outcome;
    startedAt = now;
    log.info({ event: "sync.reconcile_started" }, "reconciliation started: every incident is read again, a few pages per run");
  }

  let calls = 0;
  while (calls < limit) {
    input.signal?.throwIfAborted();
    await assertStillSyncing(prisma, { tenantId, ownerId: input.ownerId });
    calls += 1;
    let page;
    try {
      page = await graph.listIncidents(nextLink ? { tenantId, nextLink, signal: input.signal } : { tenantId, top: input.pageSize, signal: input.signal });
    } catch (error) {
      // An expired skip token: the re-read starts again at its first page (repairs so far stay counted).
      if (nextLink && (isApiBadRequest(error) || isApiNotFound(error))) {
        log.warn({ event: "sync.next_link_refused", message: error.apiMessage, reconcile: true }, "Graph refused the reconciliation's nextLink; it restarts");
        await prisma.tenantSyncState.updateMany({ where: { tenantId, leaseOwner: input.ownerId }, data: { reconcileNextLink: null, reconcileFetched: 0 } });
        nextLink = null;
        fetched = 0;
        continue;
      }
      throw error;
    }
    const now = new Date();
    fetched += page.incidents.length;
    const done = page.nextLink === null;
    const progress: SyncProgress = done
      ? {
          reconcileStartedAt: null,
          reconcileNextLink: null,
          reconcileFetched: fetched,
          lastReconciledAt: now,
          nextReconcileAt: new Date(now.getTime() + reconcileEveryMs),
        }
      : { reconcileStartedAt: startedAt, reconcileNextLink: page.nextLink, reconcileFetched: fetched };
    await commitSyncPage(prisma, {
      tenantId,
      ownerId: input.ownerId,
      leaseMs: input.leaseMs,
      records: page.incidents.map((incident) => toIncidentRecord({ tenantId, incident, syncedAt: now })),
      malformed: page.malformed,
      progress,
      now,
      reconcile: { repairsBefore: coveredUntil, finish: done },
    });
    outcome.pages += 1;
    outcome.malformed += page.malformed.length;
    if (page.malformed.length > 0) {
      log.warn(
        { event: "sync.malformed_records", count: page.malformed.length, problems: page.malformed.map((m) => m.problem.slice(0, 200)) },
        "unreadable incident records kept as sync issues",
      );
    }
    await input.onPageCommitted?.({ tenantId, page: outcome.pages, fetched, reconcile: true });
    if (done) {
      outcome.completed = true;
      const { lastReconcileRepaired } = await prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId }, select: { lastReconcileRepaired: true } });
      log[lastReconcileRepaired ? "warn" : "info"](
        { event: "sync.reconcile_completed", repaired: lastReconcileRepaired ?? 0, fetched, startedAt: startedAt.toISOString() },
        "reconciliation completed",
      );
      break;
    }
    nextLink = page.nextLink;
  }
  return outcome;
}
