import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TenantsTable } from "@/components/tenants/tenants-table";
import type { TenantRow } from "@/server/tenants/tenant-directory";
import { TENANT_STATUS_FIX, TENANT_STATUS_LABEL, type TenantStatus } from "@/server/tenants/tenant-status";

// README: each tenant status shows its fix. The Tenants list renders it under the status badge.
const STATUSES = Object.keys(TENANT_STATUS_LABEL) as TenantStatus[];

function row(status: TenantStatus): TenantRow {
  return {
    id: "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61",
    displayName: "Contoso Manufacturing",
    status,
    requiredAccess: "read",
    grantedRoles: [],
    legacyRoles: [],
    source: "graph",
    canUpdate: false,
    onboardedAt: new Date("2026-01-01T00:00:00Z"),
    onboardedByName: null,
    lastVerifiedAt: null,
    lastErrorCode: null,
    lastErrorMessage: null,
    lastErrorAt: null,
    statusChangedAt: new Date("2026-01-01T00:00:00Z"),
    offboardedAt: null,
    offboardedByName: null,
    consentedByName: null,
    consentedByUpn: null,
    consentedByOid: null,
    verifiedDomain: null,
    confirmedAt: null,
    confirmedByName: null,
  };
}

/** The page's text: tags dropped and the few entities React writes decoded. */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

describe("each tenant status shows its fix", () => {
  it("every status that needs someone to act has a fix, and only those", () => {
    expect(STATUSES.filter((s) => TENANT_STATUS_FIX[s] === null).sort()).toEqual(["active", "offboarded"]);
  });

  it.each(STATUSES)("the Tenants list shows the fix for %s", (status) => {
    const html = renderToStaticMarkup(createElement(TenantsTable, { rows: [row(status)], sync: new Map() }));
    const shown = text(html);
    expect(shown).toContain(TENANT_STATUS_LABEL[status]);
    const fix = TENANT_STATUS_FIX[status];
    if (fix) expect(shown).toContain(fix);
    // No other status's fix is shown.
    for (const other of STATUSES) if (other !== status && TENANT_STATUS_FIX[other]) expect(shown).not.toContain(TENANT_STATUS_FIX[other]);
  });
});
