import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import type { StaffSession } from "@/server/auth/staff-session";
import { toIncidentRecord } from "@/server/incidents/incident-record";
import { graphIncidentFixture } from "../support/graph-incident-fixture";
import { control, startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { testDatabaseKinds } from "../support/test-database";

// Cross-tenant indicators as README promises them: the per-incident rows, each tenant's view and the
// rollup of tenant counts stay exact (equal to a recomputation from scratch) through a sync, a
// re-sync with changed evidence, an analyst's action, concurrent stores and offboarding with deletion.
const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const FABRIKAM = "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72";
const GRAPH_ROLES = ["SecurityIncident.ReadWrite.All", "SecurityAlert.Read.All"];
const NAMES: Record<string, string> = { [CONTOSO]: "Contoso Manufacturing", [FABRIKAM]: "Fabrikam Health" };
const EXTRA = ["2e9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83", "3f0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94", "4a1b3e7c-65a8-4dae-8c9b-1a5d7e3f6c05"];
const SHARED_IP = "203.0.113.77";
const SHARED_HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const DAY = 86_400_000;
const admin: StaffSession = {
  oid: "a1f4c2d8-3b5e-4c7a-9d1f-2e6b8a0c4d11",
  tenantId: "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10",
  name: "Amelia Adams",
  username: "amelia.admin@northwindcyber.onmicrosoft.com",
  role: "Portal.Admin",
};

type Evidence = Record<string, unknown>;
const ip = (address: string): Evidence => ({ "@odata.type": "#microsoft.graph.security.ipEvidence", ipAddress: address });
const file = (name: string, sha256: string): Evidence => ({ "@odata.type": "#microsoft.graph.security.fileEvidence", fileDetails: { fileName: name, sha256 } });
const user = (upn: string): Evidence => ({ "@odata.type": "#microsoft.graph.security.userEvidence", userAccount: { userPrincipalName: upn } });
const sender = (address: string): Evidence => ({ "@odata.type": "#microsoft.graph.security.analyzedMessageEvidence", p1Sender: { emailAddress: address } });

const incident = (id: number, v: { evidence: Evidence[]; severity?: string; activity: Date; updated?: Date }) =>
  graphIncidentFixture(id, {
    severity: v.severity,
    created: v.activity,
    updated: v.updated,
    alerts: [{ id: `a${id}`, firstActivityDateTime: v.activity.toISOString(), lastActivityDateTime: v.activity.toISOString(), evidence: v.evidence }],
  });

describe.each(testDatabaseKinds())("cross-tenant indicators (%s)", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let db: PrismaClient;
  let store: typeof import("@/server/incidents/incident-store");
  let shared: typeof import("@/server/indicators/shared-indicators");
  let correlations: typeof import("@/server/indicators/incident-correlations");
  let queue: typeof import("@/server/incidents/queue-query");
  let queueFilters: typeof import("@/server/incidents/queue-filters");
  let indicatorFilters: typeof import("@/server/indicators/indicator-filters");
  let lifecycle: typeof import("@/server/tenants/tenant-lifecycle");
  let engineModule: typeof import("@/server/incidents/sync-engine");
  const NOW = new Date();
  const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

  async function put(tenantId: string, ...incidents: ReturnType<typeof incident>[]) {
    await db.$transaction((tx) =>
      store.storeIncidentRecords(tx, { tenantId, records: incidents.map((i) => toIncidentRecord({ tenantId, incident: i, syncedAt: NOW })), now: NOW }),
    );
  }

  /** The stored rollups equal a recomputation from the incident rows: no drift. */
  async function expectExact() {
    const tenantDrift = await db.$queryRaw<unknown[]>`
      (SELECT indicator_type, value, tenant_id, bool_and(excluded_reason IS NULL) AS correlated, count(*)::int AS n, min(first_seen) AS f, max(last_seen) AS l, max(severity_rank) AS s
       FROM incident_indicator GROUP BY 1, 2, 3
       EXCEPT SELECT indicator_type, value, tenant_id, correlated, incident_count, first_seen, last_seen, severity_rank FROM tenant_indicator)
      UNION ALL
      (SELECT indicator_type, value, tenant_id, correlated, incident_count, first_seen, last_seen, severity_rank FROM tenant_indicator
       EXCEPT SELECT indicator_type, value, tenant_id, bool_and(excluded_reason IS NULL), count(*)::int, min(first_seen), max(last_seen), max(severity_rank)
       FROM incident_indicator GROUP BY 1, 2, 3)`;
    expect(tenantDrift).toEqual([]);
    const spreadDrift = await db.$queryRaw<unknown[]>`
      SELECT coalesce(s.indicator_type, t.indicator_type) AS type, coalesce(s.value, t.value) AS value, s.tenant_count, t.n
      FROM indicator_spread s
      FULL JOIN (SELECT indicator_type, value, count(*)::int AS n FROM tenant_indicator WHERE correlated GROUP BY 1, 2) t
        ON t.indicator_type = s.indicator_type AND t.value = s.value
      WHERE coalesce(s.tenant_count, 0) <> coalesce(t.n, 0)`;
    expect(spreadDrift).toEqual([]);
    // Every incident row belongs to a stored incident.
    expect(
      await db.$queryRaw<unknown[]>`SELECT 1 FROM incident_indicator ii LEFT JOIN incident i USING (tenant_id, incident_id) WHERE i.incident_id IS NULL`,
    ).toEqual([]);
  }

  const spreadOf = async (type: string, value: string) =>
    (await db.indicatorSpread.findUnique({ where: { indicatorType_value: { indicatorType: type, value } } }))?.tenantCount ?? 0;
  const sharedList = async (query: string) =>
    (await shared.listSharedIndicators({ filters: indicatorFilters.parseIndicatorFilters(new URLSearchParams(query)), now: NOW })).rows.map(
      (r) => `${r.type}:${r.value}:${r.tenantCount}:${r.incidentCount}`,
    );

  beforeAll(async () => {
    emulator = await startTestEmulator({ incidentCounts: { [CONTOSO]: 30, [FABRIKAM]: 30 } });
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    db = await (await import("@/server/services")).getDb();
    store = await import("@/server/incidents/incident-store");
    shared = await import("@/server/indicators/shared-indicators");
    correlations = await import("@/server/indicators/incident-correlations");
    queue = await import("@/server/incidents/queue-query");
    queueFilters = await import("@/server/incidents/queue-filters");
    indicatorFilters = await import("@/server/indicators/indicator-filters");
    lifecycle = await import("@/server/tenants/tenant-lifecycle");
    engineModule = await import("@/server/incidents/sync-engine");
    for (const id of [CONTOSO, FABRIKAM]) {
      await control(emulator, "POST", `/tenants/${id}/consent`, {});
      await db.tenant.create({
        data: { id, displayName: NAMES[id]!, requiredAccess: "read_write", status: "active", grantedRoles: GRAPH_ROLES, incidentSource: "graph" },
      });
    }
    await db.tenant.createMany({
      data: EXTRA.map((id, i) => ({
        id,
        displayName: `Extra <b>${i}</b>`,
        requiredAccess: "read" as const,
        status: "active" as const,
        grantedRoles: GRAPH_ROLES,
        verifiedDomain: `extra${i}.example`,
      })),
    });
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  it("a sync stores each incident's indicators with it, and the rollups match a recomputation", { timeout: 120_000 }, async () => {
    const engine = engineModule.startSyncEngine({ loop: false, pollIntervalMs: 0, ownerId: `indicators-${kind}` });
    try {
      await engine.runOnce();
    } finally {
      await engine.stop();
    }
    expect(await db.incident.count({ where: { tenantId: CONTOSO } })).toBe(30);
    expect(await db.incidentIndicator.count({ where: { tenantId: CONTOSO } })).toBeGreaterThan(30);
    // The emulator's customers share phishing URLs: a value counted in both.
    const both = await db.indicatorSpread.count({ where: { tenantCount: 2 } });
    expect(both).toBeGreaterThan(0);
    // Accounts are stored per tenant but never counted.
    expect(await db.indicatorSpread.count({ where: { indicatorType: "account" } })).toBe(0);
    expect(await db.incidentIndicator.count({ where: { indicatorType: "account", excludedReason: "customer-account" } })).toBeGreaterThan(0);
    await expectExact();
  });

  it("stores, re-stores with changed evidence and an action's fresh copy keep the counts exact", { timeout: 60_000 }, async () => {
    const [a, b, c] = EXTRA as [string, string, string];
    await put(
      a,
      incident(9001, { evidence: [ip(SHARED_IP), file("Loader.exe", SHARED_HASH), user("ann@extra0.example")], severity: "high", activity: ago(2) }),
    );
    await put(b, incident(9101, { evidence: [ip(SHARED_IP), ip("10.0.0.8"), sender("boss@extra1.example")], activity: ago(40) }));
    expect(await spreadOf("ip", SHARED_IP)).toBe(2);
    expect(await spreadOf("sha256", SHARED_HASH)).toBe(1);
    // Excluded values are kept for the tenant, never counted.
    expect(await spreadOf("ip", "10.0.0.8")).toBe(0);
    expect((await db.incidentIndicator.findFirstOrThrow({ where: { tenantId: b, value: "boss@extra1.example" } })).excludedReason).toBe("customer-domain");
    await expectExact();

    // A second incident of the same tenant with the same IP: the tenant already had it, the count stays.
    await put(a, incident(9002, { evidence: [ip(SHARED_IP)], severity: "low", activity: ago(1) }));
    expect(await spreadOf("ip", SHARED_IP)).toBe(2);
    expect(
      (await db.tenantIndicator.findUniqueOrThrow({ where: { indicatorType_value_tenantId: { indicatorType: "ip", value: SHARED_IP, tenantId: a } } }))
        .incidentCount,
    ).toBe(2);

    // Re-sync with changed evidence: 9101 loses the IP and gains the hash (IPv6 spelled oddly).
    await put(b, incident(9101, { evidence: [file("loader.exe", SHARED_HASH.toUpperCase()), ip("2001:DB8:0:0::77")], activity: ago(40), updated: ago(0) }));
    expect(await spreadOf("ip", SHARED_IP)).toBe(1);
    expect(await spreadOf("sha256", SHARED_HASH)).toBe(2);
    expect(await spreadOf("ip", "2001:db8::77")).toBe(1);
    await expectExact();

    // An analyst's action stores Microsoft's fresh copy through the same path.
    await store.storeIncidentNow(db, { tenantId: c, incident: incident(9201, { evidence: [ip(SHARED_IP)], activity: ago(3) }), now: NOW });
    expect(await spreadOf("ip", SHARED_IP)).toBe(2);
    await store.storeIncidentNow(db, {
      tenantId: c,
      incident: incident(9201, { evidence: [ip("198.51.100.1")], activity: ago(3), updated: new Date(NOW.getTime() + 1000) }),
      now: NOW,
    });
    expect(await spreadOf("ip", SHARED_IP)).toBe(1);
    await store.storeIncidentNow(db, {
      tenantId: c,
      incident: incident(9201, { evidence: [ip(SHARED_IP), file("loader.exe", SHARED_HASH)], activity: ago(3), updated: new Date(NOW.getTime() + 2000) }),
      now: NOW,
    });
    expect(await spreadOf("ip", SHARED_IP)).toBe(2);
    expect(await spreadOf("sha256", SHARED_HASH)).toBe(3);
    await expectExact();
  });

  it("lists values seen in two or more customers within the period, and the incident page's 'also seen in'", { timeout: 60_000 }, async () => {
    const [a, b, c] = EXTRA as [string, string, string];
    // The hash: a (2 days ago), b (40 days ago), c (3 days ago). The IP: a and c.
    expect(await sharedList(`type=sha256&q=${SHARED_HASH.slice(0, 12).toUpperCase()}&period=7`)).toEqual([`sha256:${SHARED_HASH}:2:2`]);
    expect(await sharedList(`type=sha256&q=${SHARED_HASH.slice(0, 12)}&period=90`)).toEqual([`sha256:${SHARED_HASH}:3:3`]);
    expect(await sharedList(`q=${SHARED_IP}&period=30`)).toEqual([`ip:${SHARED_IP}:2:3`]);
    expect(await sharedList("type=account&period=90")).toEqual([]);
    expect(await sharedList("q=10.0.0.8&period=90")).toEqual([]);
    const page = await shared.listSharedIndicators({ filters: indicatorFilters.parseIndicatorFilters(new URLSearchParams(`q=${SHARED_IP}`)), now: NOW });
    expect(page.rows[0]?.tenantNames).toEqual(["Extra <b>0</b>", "Extra <b>2</b>"]);
    expect(page.rows[0]?.severityRank).toBe(4);

    const seen = await correlations.listIncidentIndicators({ tenantId: a, incidentId: 9001n });
    const hash = seen.find((i) => i.type === "sha256")!;
    expect(hash.otherTenantCount).toBe(2);
    expect(hash.otherIncidents.map((o) => `${o.tenantName}:${o.incidentId}`)).toEqual(["Extra <b>2</b>:9201", "Extra <b>1</b>:9101"]);
    const account = seen.find((i) => i.type === "account")!;
    expect(account).toMatchObject({ excludedReason: "customer-account", otherTenantCount: 0, otherIncidents: [] });

    // The queue's filter "incidents with indicator X", spelled differently in the URL.
    const filters = queueFilters.parseQueueFilters(new URLSearchParams(`indicator=sha256:${SHARED_HASH.toUpperCase()}`));
    const rows = (await queue.listQueueIncidents({ filters, staff: admin, now: NOW })).rows;
    expect(rows.map((r) => `${r.tenantId}:${r.incidentId}`).sort()).toEqual([`${a}:9001`, `${b}:9101`, `${c}:9201`].sort());
  });

  it("concurrent stores of many tenants sharing values neither deadlock nor drift", { timeout: 120_000 }, async () => {
    const values = Array.from({ length: 12 }, (_, i) => `198.51.100.${100 + i}`);
    const tenants = [...EXTRA, CONTOSO, FABRIKAM];
    // Each tenant's stores touch the shared values in a different order, several at once.
    await Promise.all(
      tenants.flatMap((tenantId, t) =>
        [0, 1, 2].map((round) => {
          const order = [...values].sort(() => (((t + 1) * (round + 3)) % 3) - 1);
          return put(tenantId, incident(995_000 + round, { evidence: order.slice(round).map(ip), activity: ago(1) }));
        }),
      ),
    );
    for (const value of values) expect(await spreadOf("ip", value)).toBe(tenants.length);
    await expectExact();
  });

  it("offboarding with deletion takes the tenant's values out of every count", { timeout: 120_000 }, async () => {
    const [a] = EXTRA as [string];
    const before = await spreadOf("ip", SHARED_IP);
    await lifecycle.offboardTenant({ staff: admin, input: { tenantId: a, dataChoice: "delete", confirmName: "Extra <b>0</b>" } });
    expect(await db.incidentIndicator.count({ where: { tenantId: a } })).toBe(0);
    expect(await db.tenantIndicator.count({ where: { tenantId: a } })).toBe(0);
    expect(await spreadOf("ip", SHARED_IP)).toBe(before - 1);
    expect(await sharedList(`q=${SHARED_IP}&period=30`)).toEqual([]);
    await expectExact();
    // Kept data of an offboarded tenant stays stored, but the page reads visible customers only.
    const [, , c] = EXTRA as [string, string, string];
    await lifecycle.offboardTenant({ staff: admin, input: { tenantId: c, dataChoice: "keep", confirmName: "Extra <b>2</b>" } });
    expect(await db.incidentIndicator.count({ where: { tenantId: c } })).toBeGreaterThan(0);
    expect(await sharedList(`type=sha256&q=${SHARED_HASH}&period=90`)).toEqual([]);
    await expectExact();
  });
});
