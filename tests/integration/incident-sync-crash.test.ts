import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { openDatabase } from "@/server/database/open-database";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { control, startTestEmulator } from "../support/test-emulator";
import { portalEnvironmentVariables } from "../support/portal-environment";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const repoRoot = path.resolve(import.meta.dirname, "../..");

type Metrics = { apiCalls: Record<string, Record<string, number>> };

/** The real worker process (`npm run worker` runs the same entry), logging JSON lines. */
function startWorker(emulator: EmulatorHandle, dataDir: string): { child: ChildProcess; log: string[] } {
  const log: string[] = [];
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "server/incidents/worker-main.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...portalEnvironmentVariables(emulator),
      PORTAL_PGLITE_DIR: dataDir,
      DATABASE_URL: "",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => log.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
  child.stderr?.on("data", (chunk: Buffer) => log.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
  return { child, log };
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode ? resolve() : child.once("exit", () => resolve())));

describe("a worker killed mid-sync (SIGKILL) and started again", () => {
  let emulator: EmulatorHandle;
  let db: TestDatabase;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    [emulator, db] = await Promise.all([startTestEmulator({ incidentCounts: { [CONTOSO]: 420 } }), createTestDatabase("pglite")]);
    await control(emulator, "POST", `/tenants/${CONTOSO}/consent`, {});
    await db.database.prisma.tenant.create({ data: { id: CONTOSO, displayName: "Contoso Manufacturing", requiredAccess: "read", status: "active", grantedRoles: ["Incident.Read.All"] } });
    // The worker must own the embedded folder: the test lets go of it.
    await db.database.close();
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await emulator?.stop();
    await db?.drop();
  });

  it("resumes the interrupted pass and ends equal to Defender, nothing lost or duplicated", async () => {
    if (db.config.kind !== "pglite") throw new Error("expected PGlite");
    // Slow list answers, so the kill lands while a later page is in flight.
    await control(emulator, "POST", "/faults", { tenantId: CONTOSO, route: "list", kind: "slow", delayMs: 1500 });
    const first = startWorker(emulator, db.config.dataDir);
    children.push(first.child);
    // A second list call is only made after the first page was committed.
    await until("the first page to be committed", async () => ((await control<Metrics>(emulator, "GET", "/metrics")).apiCalls[CONTOSO]?.list ?? 0) >= 2);
    first.child.kill("SIGKILL");
    await exited(first.child);

    // Defender changes while the portal is down.
    const truthBefore = await control<{ incidentId: number }[]>(emulator, "GET", `/tenants/${CONTOSO}/incidents`);
    await control(emulator, "PATCH", `/tenants/${CONTOSO}/incidents/${truthBefore[0]!.incidentId}`, { status: "Resolved", classification: "FalsePositive", determination: "Clean" });
    await control(emulator, "POST", `/tenants/${CONTOSO}/incidents`, { count: 2 });
    await control(emulator, "DELETE", "/faults");

    const second = startWorker(emulator, db.config.dataDir);
    children.push(second.child);
    await until("the pass to resume", () => second.log.some((line) => line.includes('"sync.pass_resumed"')));
    await until("a completed pass after the changes", () => second.log.some((line) => line.includes('"sync.pass_completed"')));
    second.child.kill("SIGTERM");
    await exited(second.child);
    expect(second.log.some((line) => line.includes('"sync.stale_leases_released"'))).toBe(true);

    const database = await openDatabase(db.config);
    try {
      const truth = await control<{ incidentId: number; lastUpdateTime: string }[]>(emulator, "GET", `/tenants/${CONTOSO}/incidents`);
      const rows = await database.prisma.incident.findMany({ where: { tenantId: CONTOSO }, select: { incidentId: true, lastUpdateTime: true, status: true } });
      const keyOf = (id: number | bigint, time: string | Date) => `${id}@${new Date(time).toISOString()}`;
      expect(rows.map((r) => keyOf(r.incidentId, r.lastUpdateTime)).sort()).toEqual(truth.map((t) => keyOf(t.incidentId, t.lastUpdateTime)).sort());
      expect(rows.find((r) => Number(r.incidentId) === truthBefore[0]!.incidentId)?.status).toBe("Resolved");
    } finally {
      await database.close();
    }
  });
});
