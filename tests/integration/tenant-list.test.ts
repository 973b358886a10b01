import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/prisma/generated/client/client";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import type { TenantStatus } from "@/server/tenants/tenant-status";
import { startTestEmulator } from "../support/test-emulator";
import { usePortalEnvironment } from "../support/portal-environment";

// The Tenants page at a large MSSP's size: 250 tenants, a page of 100, problems first, every
// tenant counted by status whatever the filters, and each filter (status, text, the Defender XDR
// API view) narrowing the rows and the range.

const guid = (n: number) => `${n.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const STATUS_OF = (n: number): TenantStatus => (n % 50 === 7 ? "unreachable" : n % 50 === 9 ? "offboarded" : n % 50 === 11 ? "graph_consent_needed" : "active");

describe("the Tenants page's list", () => {
  let emulator: EmulatorHandle;
  let env: { cleanup: () => Promise<void> };
  let db: PrismaClient;
  let directory: typeof import("@/server/tenants/tenant-directory");
  let parse: typeof import("@/server/tenants/tenant-list-filters").parseTenantListFilters;

  beforeAll(async () => {
    emulator = await startTestEmulator();
    env = await usePortalEnvironment(emulator);
    vi.resetModules();
    db = await (await import("@/server/services")).getDb();
    directory = await import("@/server/tenants/tenant-directory");
    ({ parseTenantListFilters: parse } = await import("@/server/tenants/tenant-list-filters"));
    await db.tenant.createMany({
      data: Array.from({ length: 250 }, (_, i) => ({
        id: guid(i + 1),
        displayName: `Customer ${String(i + 1).padStart(3, "0")}`,
        requiredAccess: "read" as const,
        status: STATUS_OF(i + 1),
        grantedRoles: [],
        verifiedDomain: i + 1 === 42 ? "answer.example" : null,
      })),
    });
  }, 120_000);
  afterAll(async () => {
    await env?.cleanup();
    await emulator?.stop();
  });

  it("pages 100 at a time, problems first, with every tenant counted by status", async () => {
    const first = await directory.listTenantPage(parse({}));
    expect(first).toMatchObject({ total: 250, matching: 250, page: 1, pageCount: 3 });
    expect(first.byStatus).toMatchObject({ active: 235, unreachable: 5, offboarded: 5, graph_consent_needed: 5, pending_confirmation: 0 });
    expect(first.rows).toHaveLength(100);
    // Unreachable first, then re-consent needed, then active by name; offboarded last (on page 3).
    expect(first.rows.slice(0, 5).map((t) => t.status)).toEqual(Array(5).fill("unreachable"));
    expect(first.rows.slice(5, 10).map((t) => t.status)).toEqual(Array(5).fill("graph_consent_needed"));
    expect(first.rows[10]!.displayName).toBe("Customer 001");
    const third = await directory.listTenantPage(parse({ page: "3" }));
    expect(third.rows).toHaveLength(50);
    expect(third.rows.slice(-5).map((t) => t.status)).toEqual(Array(5).fill("offboarded"));
    // Every tenant exactly once across the pages.
    const second = await directory.listTenantPage(parse({ page: "2" }));
    expect(new Set([...first.rows, ...second.rows, ...third.rows].map((t) => t.id)).size).toBe(250);
    // A page past the end shows the last one; a malformed page is the first.
    expect((await directory.listTenantPage(parse({ page: "99" }))).page).toBe(3);
    expect((await directory.listTenantPage(parse({ page: "-1" }))).page).toBe(1);
  });

  it("narrows by status, by name, tenant ID or domain, and to the tenants on the old API", async () => {
    const unreachable = await directory.listTenantPage(parse({ status: "unreachable" }));
    expect(unreachable).toMatchObject({ matching: 5, total: 250, pageCount: 1 });
    expect(unreachable.rows.every((t) => t.status === "unreachable")).toBe(true);
    expect(unreachable.byStatus.active).toBe(235); // the status line still counts every tenant

    // Case-insensitive text: "customer 10" is 100 … 109, problems first (107 unreachable, 109 offboarded).
    const named = (await directory.listTenantPage(parse({ q: "customer 10" }))).rows.map((t) => t.displayName);
    expect(named).toHaveLength(10);
    expect(named[0]).toBe("Customer 107");
    expect(named.at(-1)).toBe("Customer 109");
    expect([...named].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Customer ${100 + i}`));
    expect((await directory.listTenantPage(parse({ q: guid(77) }))).rows.map((t) => t.displayName)).toEqual(["Customer 077"]);
    expect((await directory.listTenantPage(parse({ q: "ANSWER.example" }))).rows.map((t) => t.displayName)).toEqual(["Customer 042"]);
    expect((await directory.listTenantPage(parse({ q: "nobody", status: "active" }))).matching).toBe(0);

    // The Defender XDR API view: tenants still reading through it or unable to read until they consent to Graph.
    const oldApi = await directory.listTenantPage(parse({ source: "defender" }));
    expect(oldApi.rows.map((t) => t.status).sort()).toEqual(Array(5).fill("graph_consent_needed"));
    // Anything malformed is dropped, never trusted.
    expect(parse({ status: "hacked", source: "graph", page: "1e9", q: "x\u0000y" })).toEqual({});
  });
});
