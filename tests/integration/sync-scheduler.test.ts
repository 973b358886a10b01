// README: "Tenants are synced fairly (at most 4 at once, longest-waiting first)". The engine runs
// with its default concurrency against the emulator; every Graph call is held at a gate the test
// opens, so what runs at once is seen, however fast or slow the machine.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { GraphSecurityClient, type GraphIncidentPage, type GraphListInput } from "@/server/microsoft/graph-security-client";
import { TokenBroker } from "@/server/microsoft/token-broker";
import { ensureSyncStates } from "@/server/incidents/sync-lease";
import { startSyncEngine } from "@/server/incidents/sync-engine";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../support/test-database";
import { control, startTestEmulator } from "../support/test-emulator";

const TENANTS = [
  "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61",
  "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72",
  "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83",
  "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94",
  "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5",
  "5a2c4f8d-76b9-4ebf-9dac-2b6e8f4a7db6",
];
const GRAPH_ROLES = ["SecurityIncident.ReadWrite.All", "SecurityAlert.Read.All"];
const noHealth = { tokenFailure: async () => undefined, apiForbidden: async () => undefined };

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await probe());) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(testDatabaseKinds())("the sync scheduler on %s", (kind) => {
  let emulator: EmulatorHandle;
  let db: TestDatabase;
  let prisma: PrismaClient;

  beforeAll(async () => {
    [emulator, db] = await Promise.all([startTestEmulator({ incidentCounts: Object.fromEntries(TENANTS.map((id) => [id, 5])) }), createTestDatabase(kind)]);
    prisma = db.database.prisma;
    for (const id of TENANTS) {
      await control(emulator, "POST", `/tenants/${id}/consent`, { roles: GRAPH_ROLES });
      await prisma.tenant.create({
        data: { id, displayName: id.slice(0, 8), requiredAccess: "read", status: "active", grantedRoles: GRAPH_ROLES, incidentSource: "graph" },
      });
    }
  });
  afterAll(async () => {
    await Promise.all([emulator?.stop(), db?.drop()]);
  });

  it("syncs at most 4 tenants at once, the longest-waiting first, and the next one as soon as a slot frees up", { timeout: 180_000 }, async () => {
    // Due for 6, 5, 4, … minutes: TENANTS[0] has waited longest. Listed in another order on purpose.
    await ensureSyncStates(prisma, TENANTS);
    for (const [i, tenantId] of TENANTS.entries()) {
      await prisma.tenantSyncState.update({ where: { tenantId }, data: { nextRunAt: new Date(Date.now() - (6 - i) * 60_000) } });
    }
    const tokens = new TokenBroker({
      clientId: emulator.clientId,
      credential: { kind: "secret", secret: emulator.clientSecret },
      authorityHost: emulator.authorityHost,
    });
    const graph = new GraphSecurityClient({ apiUrl: emulator.graphApiUrl, tokens: tokens.forResource("https://graph.microsoft.com") });
    const started: string[] = [];
    const held: (() => void)[] = [];
    let open = false;
    let inFlight = 0;
    let mostAtOnce = 0;
    const gated = {
      async listIncidents(input: GraphListInput): Promise<GraphIncidentPage> {
        if (!started.includes(input.tenantId)) started.push(input.tenantId);
        inFlight += 1;
        mostAtOnce = Math.max(mostAtOnce, inFlight);
        try {
          if (!open) await new Promise<void>((resolve) => held.push(resolve));
          return await graph.listIncidents(input);
        } finally {
          inFlight -= 1;
        }
      },
    };
    // The production default concurrency: none is passed.
    const engine = startSyncEngine({ prisma, graphClient: gated, sourceFor: () => "graph", health: noHealth, loop: false, pollIntervalMs: 3_600_000 });
    try {
      const round = engine.runOnce();
      // The four longest-waiting tenants start; the other two wait for a slot (no lease, no call).
      await until("four tenants to call Graph", () => held.length === 4);
      expect([...started].sort()).toEqual(TENANTS.slice(0, 4).sort());
      expect(await prisma.tenantSyncState.count({ where: { leaseOwner: engine.ownerId } })).toBe(4);
      // One finishes: the next-longest-waiting takes its slot, and only it.
      held.shift()!();
      await until("the fifth tenant to call Graph", () => started.length === 5 && held.length === 4);
      expect(started[4]).toBe(TENANTS[4]);
      held.shift()!();
      await until("the sixth tenant to call Graph", () => started.length === 6 && held.length === 4);
      expect(started[5]).toBe(TENANTS[5]);
      open = true;
      for (const release of held.splice(0)) release();
      await round;
    } finally {
      open = true;
      for (const release of held.splice(0)) release();
      await engine.stop();
    }
    expect(mostAtOnce).toBe(4);
    // Every tenant was synced in that round.
    for (const tenantId of TENANTS) {
      expect(await prisma.incident.count({ where: { tenantId } }), tenantId).toBe(5);
    }
  });
});
