import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import type { StaffSession } from "@/server/auth/staff-session";
import { startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";
import { testDatabaseKinds } from "../support/test-database";

const A = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const staff: StaffSession = {
  oid: "o1",
  tenantId: "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10",
  name: "Rosa Reyes",
  username: "rosa.reader@northwindcyber.onmicrosoft.com",
  role: "Portal.Reader",
};

/** A cursor token as the portal writes one, with the fields an attacker chose. */
function forgedCursor(fields: Record<string, unknown>): string {
  const token = { s: "updated", d: "desc", r: 3, u: "2025-05-01T10:00:00.000Z", c: "2025-04-30T00:00:00.000Z", t: A, i: "1001", ...fields };
  return Buffer.from(JSON.stringify(token), "utf8").toString("base64url");
}

/**
 * Numbers (and dates) in a URL that the database cannot hold: each is read as absent, so the page
 * the staff member opened still renders, with the same rows as without it.
 */
describe.each(testDatabaseKinds())("out-of-range numbers in queue and audit URLs (%s)", (kind) => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let queue: typeof import("@/server/incidents/queue-view");
  let parseQueue: typeof import("@/server/incidents/queue-filters").parseQueueFilters;
  let audit: typeof import("@/server/audit/list-audit-events");
  let parseAudit: typeof import("@/server/audit/audit-filters").parseAuditFilters;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    env = await usePortalEnvironment(emulator, kind);
    vi.resetModules();
    const db = await (await import("@/server/services")).getDb();
    queue = await import("@/server/incidents/queue-view");
    ({ parseQueueFilters: parseQueue } = await import("@/server/incidents/queue-filters"));
    audit = await import("@/server/audit/list-audit-events");
    ({ parseAuditFilters: parseAudit } = await import("@/server/audit/audit-filters"));
    await db.tenant.create({
      data: { id: A, displayName: "Tailspin Toys", requiredAccess: "read", status: "active", grantedRoles: ["SecurityIncident.Read.All"] },
    });
    const now = Date.now();
    await db.incident.createMany({
      data: [1001, 1002, 1003].map((id, i) => ({
        tenantId: A,
        incidentId: BigInt(id),
        incidentName: `Incident ${id}`,
        status: "Active",
        severity: "High",
        severityRank: 4,
        detectionSources: [],
        tags: [],
        alertCount: 1,
        commentCount: 0,
        createdTime: new Date(now - i * 3_600_000),
        lastUpdateTime: new Date(now - i * 3_600_000),
        searchText: `incident ${id}`,
        raw: {},
        syncedAt: new Date(now),
      })),
    });
    await db.auditEvent.create({ data: { actorType: "system", action: "tenant.verified", outcome: "success" } });
  });
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  const queueAttacks: Record<string, string> = {
    "cursor incident id past the 64-bit range": `after=${forgedCursor({ i: "9999999999999999999" })}`,
    "cursor incident id one past int8": `before=${forgedCursor({ i: "9223372036854775808" })}`,
    "cursor incident id of 20 digits": `after=${forgedCursor({ i: "99999999999999999999" })}`,
    "cursor incident id negative": `after=${forgedCursor({ i: "-1" })}`,
    "cursor incident id a float": `after=${forgedCursor({ i: "1.5" })}`,
    "cursor incident id NaN": `after=${forgedCursor({ i: "NaN" })}`,
    "cursor severity huge": `after=${forgedCursor({ r: 1e308 })}`,
    "cursor severity a float": `after=${forgedCursor({ r: 2.5 })}`,
    "cursor date in year 0": `after=${forgedCursor({ u: "0000-01-01T00:00:00.000Z" })}`,
    "cursor date past year 9999": `after=${forgedCursor({ c: "+275760-09-13T00:00:00.000Z" })}`,
    "cursor tenant with a NUL": `after=${forgedCursor({ t: "\u0000" })}`,
    "from in year 0": "from=0000-01-01",
    "to on the last day of 9999": "to=9999-12-31",
    "from a day that does not exist": "from=2025-02-30&to=2025-02-31",
    "search with a NUL": "q=%00",
    "assignee with a NUL": "assigned=a%00b",
    "tenant huge": `tenant=${"9".repeat(400)}`,
  };
  for (const [what, query] of Object.entries(queueAttacks)) {
    it(`queue: ${what} is treated as absent`, async () => {
      const filters = parseQueue(new URLSearchParams(query));
      const view = await queue.loadQueueView({ filters, staff });
      expect(view.page.rows.length).toBeGreaterThan(0);
      expect((await view.summary).total).toBe(3);
    });
  }

  for (const before of ["99999999999999999999", "9223372036854775808", "18446744073709551616", "-1", "1.5", "1e30", "NaN", "Infinity", "0x10", " 5"]) {
    it(`audit: before=${before} is treated as absent`, async () => {
      const filters = parseAudit({ before });
      expect(filters.before).toBeUndefined();
      const page = await audit.listAuditEvents({ filters });
      expect(page.rows.length).toBe(1);
    });
  }

  it("audit: a search or tenant with a NUL finds nothing instead of failing", async () => {
    await expect(audit.listAuditEvents({ filters: parseAudit({ q: "a\u0000b" }) })).resolves.toBeDefined();
    await expect(audit.listAuditEvents({ filters: parseAudit({ tenant: "\u0000" }) })).resolves.toBeDefined();
  });

  it("audit: the largest real id still pages", async () => {
    const page = await audit.listAuditEvents({ filters: parseAudit({ before: "9223372036854775807" }) });
    expect(page.rows.length).toBe(1);
  });
});
