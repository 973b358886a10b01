import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { control, startTestEmulator } from "../support/test-emulator";
import { portalEnvironmentVariables } from "../support/portal-environment";
import { createScratchPostgresDatabase, migrate } from "../support/test-database";

// README's production shape: PORTAL_SYNC_MODE=worker, the web process serves pages only and
// `npm run worker` (scripts/worker.mjs) syncs and re-verifies, both on one PostgreSQL.
const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const FABRIKAM = "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72";
const GRAPH_ROLES = ["SecurityIncident.ReadWrite.All", "SecurityAlert.Read.All"];
const repoRoot = path.resolve(import.meta.dirname, "../..");

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));

describe.runIf(Boolean(process.env.TEST_DATABASE_URL))("worker mode on PostgreSQL", () => {
  let emulator: EmulatorHandle;
  let scratch: { url: string; drop: () => Promise<void> };
  let worker: ChildProcess | undefined;
  const saved = { ...process.env };

  beforeAll(async () => {
    emulator = await startTestEmulator({ incidentCounts: { [CONTOSO]: 120, [FABRIKAM]: 70 } });
    scratch = await createScratchPostgresDatabase("worker_mode");
    migrate({ DATABASE_URL: scratch.url });
    Object.assign(process.env, portalEnvironmentVariables(emulator), { DATABASE_URL: scratch.url, PORTAL_SYNC_MODE: "worker", LOG_LEVEL: "silent" });
    vi.resetModules();
  }, 360_000);
  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill("SIGKILL");
    const { resetServices } = await import("@/server/services");
    await resetServices();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await scratch?.drop();
    await emulator?.stop();
  });

  it("the web process starts no sync; `npm run worker` syncs every tenant, then stops cleanly on SIGTERM", { timeout: 300_000 }, async () => {
    const { startBackgroundServices } = await import("@/server/process/background-services");
    const { getDb, services } = await import("@/server/services");
    const db = await getDb();
    for (const id of [CONTOSO, FABRIKAM]) {
      await control(emulator, "POST", `/tenants/${id}/consent`, {});
      await db.tenant.create({
        data: {
          id,
          displayName: id === CONTOSO ? "Contoso Manufacturing" : "Fabrikam Health",
          requiredAccess: "read",
          status: "active",
          grantedRoles: GRAPH_ROLES,
          incidentSource: "graph",
        },
      });
    }
    // The web process, in worker mode: nothing runs in the background.
    startBackgroundServices({ role: "web" });
    expect(services().background).toEqual([]);
    await control(emulator, "DELETE", "/metrics");

    worker = spawn(process.execPath, ["scripts/worker.mjs"], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    worker.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    worker.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const truth = async (id: string) => (await control<unknown[]>(emulator, "GET", `/tenants/${id}/incidents`)).length;
    await expect
      .poll(async () => [await db.incident.count({ where: { tenantId: CONTOSO } }), await db.incident.count({ where: { tenantId: FABRIKAM } })], {
        timeout: 240_000,
        interval: 500,
      })
      .toEqual([await truth(CONTOSO), await truth(FABRIKAM)]);
    expect(output).toContain('"event":"worker.started"');
    // The worker, not this process, asked Microsoft.
    const metrics = await control<{ apiCalls: Record<string, Record<string, number>> }>(emulator, "GET", "/metrics");
    expect(metrics.apiCalls[CONTOSO]?.["graph.list"]).toBeGreaterThan(0);

    worker.kill("SIGTERM");
    expect(await exited(worker)).toBe(0);
    // Its leases were given back on the way out: another process could take over at once.
    expect(await db.tenantSyncState.count({ where: { leaseOwner: { not: null } } })).toBe(0);
  });
});
