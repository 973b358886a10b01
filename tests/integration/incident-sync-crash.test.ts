import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { openDatabase } from "@/server/database/open-database";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { control, startTestEmulator } from "../support/test-emulator";
import { portalEnvironmentVariables } from "../support/portal-environment";
import { bundleServerEntry, serverProcessArgs, stopBundler } from "../../scripts/lib/server-bundle.mjs";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const GRAPH_ROLES = ["SecurityIncident.ReadWrite.All", "SecurityAlert.Read.All"];
/** Graph answers at most 50 incidents a page: the 420 incidents below take nine. */
const PAGE = 50;
const repoRoot = path.resolve(import.meta.dirname, "../..");

type Metrics = { apiCalls: Record<string, Record<string, number>> };
type LogLine = { event?: string; source?: string; fetched?: number; atNextLink?: boolean };

/** The real worker process (what `npm run worker` runs: the same bundle and node arguments), logging JSON lines. */
function startWorker(bundle: string, emulator: EmulatorHandle, dataDir: string): { child: ChildProcess; log: string[]; events: () => LogLine[] } {
  const log: string[] = [];
  const child = spawn(process.execPath, serverProcessArgs(bundle), {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...portalEnvironmentVariables(emulator),
      // Incidents come from Microsoft Graph (the default source), here the emulator's.
      GRAPH_API_URL: emulator.graphApiUrl,
      INCIDENT_SOURCE: "graph",
      PORTAL_PGLITE_DIR: dataDir,
      DATABASE_URL: "",
      // A poll that finds little logs its completion at debug level.
      LOG_LEVEL: "debug",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let partial = { stdout: "", stderr: "" };
  const collect = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
    const lines = (partial[stream] + chunk.toString("utf8")).split("\n");
    partial = { ...partial, [stream]: lines.pop() ?? "" };
    log.push(...lines.filter(Boolean));
  };
  child.stdout?.on("data", collect("stdout"));
  child.stderr?.on("data", collect("stderr"));
  const events = () =>
    log.flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
  return { child, log, events };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode ? resolve() : child.once("exit", () => resolve())));

describe("a worker killed mid-sync (SIGKILL) and started again", () => {
  let emulator: EmulatorHandle;
  let db: TestDatabase;
  const children: ChildProcess[] = [];
  let bundle: string;

  beforeAll(async () => {
    [emulator, db, bundle] = await Promise.all([
      startTestEmulator({ incidentCounts: { [CONTOSO]: 420 } }),
      createTestDatabase("pglite"),
      bundleServerEntry("server/process/worker-main.ts", "worker-crash-test").finally(stopBundler),
    ]);
    await control(emulator, "POST", `/tenants/${CONTOSO}/consent`, { roles: GRAPH_ROLES });
    await db.database.prisma.tenant.create({
      data: { id: CONTOSO, displayName: "Contoso Manufacturing", requiredAccess: "read", status: "active", grantedRoles: GRAPH_ROLES, incidentSource: "graph" },
    });
    // The worker must own the embedded folder: the test lets go of it.
    await db.database.close();
  }, 360_000);
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && !child.signalCode) child.kill("SIGKILL");
    await emulator?.stop();
    await db?.drop();
  });

  // Two worker starts, and the second worker's last step is a regular poll 30 s after its first
  // run: a long test, given a budget far above what it takes on a loaded machine (about 3 minutes).
  it("resumes the interrupted pass at its stored nextLink and ends equal to Graph, nothing lost or duplicated", { timeout: 600_000 }, async () => {
    if (db.config.kind !== "pglite") throw new Error("expected PGlite");
    const graphListCalls = async () => (await control<Metrics>(emulator, "GET", "/metrics")).apiCalls[CONTOSO]?.["graph.list"] ?? 0;
    // Slow list answers, so the kill lands while a later page is in flight.
    await control(emulator, "POST", "/faults", { tenantId: CONTOSO, route: "list", kind: "slow", delayMs: 1500 });
    const first = startWorker(bundle, emulator, db.config.dataDir);
    children.push(first.child);
    // A walk asks for a page only after it committed the one before: the third call means two
    // pages are stored (at worst, with a retry of a slow call, one). The wait is for that state,
    // however long a loaded machine takes to reach it.
    await until("the first pages to be committed", async () => (await graphListCalls()) >= 3);
    first.child.kill("SIGKILL");
    await exited(first.child);
    expect(first.events().some((e) => e.event === "sync.pass_completed")).toBe(false);

    // Graph changes while the portal is down: an update, and two new incidents. Graph promises no
    // order (the test emulator shuffles its pages), so they may land before or after the position
    // the walk had reached, and the changed incident may move across it.
    const truthBefore = await control<{ incidentId: number }[]>(emulator, "GET", `/tenants/${CONTOSO}/incidents`);
    await control(emulator, "PATCH", `/tenants/${CONTOSO}/incidents/${truthBefore[0]!.incidentId}`, {
      status: "Resolved",
      classification: "FalsePositive",
      determination: "Clean",
    });
    await control(emulator, "POST", `/tenants/${CONTOSO}/incidents`, { count: 2 });
    await control(emulator, "DELETE", "/faults");

    const second = startWorker(bundle, emulator, db.config.dataDir);
    children.push(second.child);
    // It continues the interrupted pass at the nextLink it had stored, not from the start...
    const resumed = await until("the pass to resume", () => second.events().find((e) => e.event === "sync.pass_resumed"));
    expect(resumed).toMatchObject({ source: "graph", atNextLink: true });
    expect(resumed.fetched).toBeGreaterThanOrEqual(PAGE);
    // ...completes it, and the next poll (bound: the interrupted pass's start minus the overlap)
    // reads what changed while the portal was down.
    const completedAfterResume = () =>
      second
        .events()
        .slice(second.events().findIndex((e) => e.event === "sync.pass_resumed"))
        .filter((e) => e.event === "sync.pass_completed");
    await until("the resumed pass and the poll after it to complete", () => completedAfterResume().length >= 2, 240_000);
    second.child.kill("SIGTERM");
    await exited(second.child);
    expect(second.events().some((e) => e.event === "sync.stale_leases_released")).toBe(true);

    const database = await openDatabase(db.config);
    try {
      const truth = await control<{ incidentId: number; lastUpdateTime: string }[]>(emulator, "GET", `/tenants/${CONTOSO}/incidents`);
      const rows = await database.prisma.incident.findMany({
        where: { tenantId: CONTOSO },
        select: { incidentId: true, lastUpdateTime: true, status: true, source: true },
      });
      const keyOf = (id: number | bigint, time: string | Date) => `${id}@${new Date(time).toISOString()}`;
      expect(rows.map((r) => keyOf(r.incidentId, r.lastUpdateTime)).sort()).toEqual(truth.map((t) => keyOf(t.incidentId, t.lastUpdateTime)).sort());
      // Nothing duplicated: one row per incident Graph has.
      expect(await database.prisma.incident.count({ where: { tenantId: CONTOSO } })).toBe(truth.length);
      expect(rows.find((r) => Number(r.incidentId) === truthBefore[0]!.incidentId)?.status).toBe("Resolved");
      expect(new Set(rows.map((r) => r.source))).toEqual(new Set(["graph"]));
      const state = await database.prisma.tenantSyncState.findUniqueOrThrow({ where: { tenantId: CONTOSO } });
      expect([state.passStartedAt, state.passNextLink, state.leaseOwner]).toEqual([null, null, null]);
    } finally {
      await database.close();
    }
    // Every call went to Microsoft Graph; none to the Defender API.
    expect(Object.keys((await control<Metrics>(emulator, "GET", "/metrics")).apiCalls[CONTOSO] ?? {})).toEqual(["graph.list"]);
  });
});
