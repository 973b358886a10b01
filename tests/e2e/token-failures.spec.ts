import type { Page } from "@playwright/test";
import { TOKEN_FAILURE_TENANTS, type E2eTenant } from "./support/e2e-tenants";
import { STAFF, emulatorControl, escapeRegExp, expect, signInAfterConsent, signInAs, test, waitForFirstSync } from "./support/fixtures";

// Microsoft's token failures must be recognised on every path of the built server (Next.js bundles
// server code several times, so an error class check that works in vitest may fail here): the
// sync, "Verify now", an incident action and the consent callback. Each path has its own tenants.

type Failure = {
  name: string;
  /** Makes Microsoft refuse the tenant's tokens this way (emulator control API). */
  apply: (tenantId: string) => Promise<unknown>;
  /** Undoes it. */
  restore: (tenantId: string) => Promise<unknown>;
  status: "Active" | "Consent revoked" | "Unreachable";
  code: RegExp;
  words: RegExp;
};

const setStatus = (tenantId: string, body: Record<string, unknown>) => emulatorControl("POST", `/tenants/${tenantId}/status`, body);

const FAILURES: Failure[] = [
  {
    name: "the enterprise app was deleted (AADSTS7000229)",
    apply: (id) => emulatorControl("POST", `/tenants/${id}/revoke`),
    restore: (id) => emulatorControl("POST", `/tenants/${id}/consent`, {}),
    status: "Consent revoked",
    code: /AADSTS7000229/,
    words: /not present in this tenant/,
  },
  {
    name: "the app is unknown in the directory (AADSTS700016)",
    apply: async (id) => {
      await setStatus(id, { missingServicePrincipalForm: "700016" });
      await emulatorControl("POST", `/tenants/${id}/revoke`);
    },
    restore: async (id) => {
      await setStatus(id, { missingServicePrincipalForm: "7000229" });
      await emulatorControl("POST", `/tenants/${id}/consent`, {});
    },
    status: "Consent revoked",
    code: /AADSTS700016/,
    words: /not present in this tenant/,
  },
  {
    name: "the tenant is not found (AADSTS90002)",
    apply: (id) => setStatus(id, { notFound: true }),
    restore: (id) => setStatus(id, { notFound: false }),
    status: "Unreachable",
    code: /AADSTS90002/,
    words: /does not know this tenant/,
  },
  {
    name: "the app is disabled (AADSTS7000112)",
    apply: (id) => setStatus(id, { disabled: true }),
    restore: (id) => setStatus(id, { disabled: false }),
    status: "Unreachable",
    code: /AADSTS7000112/,
    words: /disabled the portal's enterprise app/,
  },
  {
    name: "Conditional Access blocks the app (AADSTS53003)",
    apply: (id) => setStatus(id, { blocked: true }),
    restore: (id) => setStatus(id, { blocked: false }),
    status: "Unreachable",
    code: /AADSTS53003/,
    words: /Conditional Access/,
  },
  {
    name: "the token endpoint is unavailable (503)",
    apply: (id) => emulatorControl("POST", "/faults", { tenantId: id, route: "token", kind: "503" }),
    restore: (id) => emulatorControl("DELETE", `/faults?tenantId=${id}`),
    status: "Active",
    code: /AADSTS90033/,
    words: /could not be reached/,
  },
];

async function openTenant(page: Page, tenant: E2eTenant): Promise<void> {
  await page.goto(`/tenants/${tenant.id}`);
  await expect(page.getByRole("heading", { name: tenant.displayName })).toBeVisible();
}

/**
 * Clicks "Verify now" until Microsoft's answer shows the tenant Active. After a 5xx from the token
 * endpoint msal-node holds back that tenant's token requests for 60 s (its throttling cache, as
 * against Microsoft), so a restore may take over a minute to show.
 */
async function verifyUntilActive(page: Page, tenant: E2eTenant): Promise<void> {
  await expect(async () => {
    await openTenant(page, tenant);
    await page.getByRole("button", { name: "Verify now" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Verified: active" })).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 150_000, intervals: [2_000, 5_000] });
}

test.describe("token failures are recognised on every path", () => {
  // Each failure is applied, seen, undone and verified away again; msal may hold back for a minute.
  test.describe.configure({ timeout: 360_000 });

  test("the sync meets each failure: status, error in words and the fix, on the Tenants page and the tenant page", async ({ page }) => {
    const t = TOKEN_FAILURE_TENANTS;
    const expected: [E2eTenant, Failure["status"], RegExp, RegExp][] = [
      [t.syncNotConsented, "Consent revoked", /AADSTS7000229/, /not present in this tenant/],
      [t.syncOldForm, "Consent revoked", /AADSTS700016/, /not present in this tenant/],
      [t.syncNotFound, "Unreachable", /AADSTS90002/, /does not know this tenant/],
      [t.syncDisabled, "Unreachable", /AADSTS7000112/, /disabled the portal's enterprise app/],
      [t.syncBlocked, "Unreachable", /AADSTS53003/, /Conditional Access/],
      [t.syncTransient, "Active", /AADSTS90033/, /could not be reached/],
    ];
    await signInAs(page, STAFF.admin.name, "/tenants");
    for (const [tenant, status, code, words] of expected) {
      await expect(async () => {
        await openTenant(page, tenant);
        await expect(page.getByTestId("tenant-status")).toContainText(status, { timeout: 1_000 });
        await expect(page.getByTestId("tenant-last-error")).toContainText(code, { timeout: 1_000 });
        // The sync itself recorded the failure (not only a scheduled health check).
        await expect(page.getByTestId("sync-last-error")).toContainText(words, { timeout: 1_000 });
      }).toPass({ timeout: 120_000, intervals: [1_000, 2_000] });
      await expect(page.getByTestId("tenant-last-error")).toContainText(words);
      if (status !== "Active")
        await expect(page.getByTestId("audit-row").filter({ hasText: "Tenant status changed" }).first()).toContainText(
          status === "Unreachable" ? "unreachable" : "consent_revoked",
        );
    }
    await page.goto("/tenants");
    await expect(page.getByTestId("tenant-row").filter({ hasText: t.syncBlocked.id })).toContainText("Unreachable");
    await expect(page.getByTestId("tenant-row").filter({ hasText: t.syncBlocked.id })).toContainText("Conditional Access");
  });

  test("Verify now records each failure: status, last error and an audit row", async ({ page }) => {
    const tenant = TOKEN_FAILURE_TENANTS.verify;
    await signInAs(page, STAFF.admin.name, `/tenants/${tenant.id}`);
    for (const failure of FAILURES) {
      await test.step(failure.name, async () => {
        await failure.apply(tenant.id);
        try {
          await openTenant(page, tenant);
          await page.getByRole("button", { name: "Verify now" }).click();
          // The check failed: the person reads the resulting status and Microsoft's refusal in words.
          const result = page.getByRole("status").filter({ hasText: `Checked: ${failure.status.toLowerCase()}.` });
          await expect(result).toBeVisible();
          await expect(result).toContainText(failure.words);
          await page.reload();
          await expect(page.getByTestId("tenant-status")).toContainText(failure.status);
          await expect(page.getByTestId("tenant-last-error")).toContainText(failure.code);
          await expect(page.getByTestId("tenant-last-error")).toContainText(failure.words);
          await expect(page.getByTestId("audit-row").filter({ hasText: "Tenant verified" }).first()).toContainText(failure.code);
        } finally {
          await failure.restore(tenant.id);
        }
        await verifyUntilActive(page, tenant);
      });
    }
  });

  test("an incident action meets a revoked consent: the person reads why, the tenant's health follows", async ({ page }) => {
    const tenant = TOKEN_FAILURE_TENANTS.action;
    await signInAs(page, STAFF.admin.name, "/tenants");
    await waitForFirstSync(page, [tenant]);
    await page.goto(`/?tenant=${tenant.id}&status=Active`);
    const id = (await page.getByTestId("incident-row").first().getAttribute("data-incident-id"))!;
    const before = (await emulatorControl<{ incidentId: number; assignedTo: string | null }[]>("GET", `/tenants/${tenant.id}/incidents`)).find(
      (i) => String(i.incidentId) === id,
    )!;
    await page.goto(`/incidents/${tenant.id}/${id}`);

    await emulatorControl("POST", `/tenants/${tenant.id}/revoke`);
    try {
      await page.getByRole("button", { name: "Assign to me" }).click();
      await expect(page.getByTestId("action-result")).toContainText("not present in this tenant");
      await expect(page.getByTestId("action-result").getByRole("link", { name: "Open the tenant page" })).toBeVisible();
      const after = (await emulatorControl<{ incidentId: number; assignedTo: string | null }[]>("GET", `/tenants/${tenant.id}/incidents`)).find(
        (i) => String(i.incidentId) === id,
      )!;
      expect(after.assignedTo).toBe(before.assignedTo);

      await openTenant(page, tenant);
      await expect(page.getByTestId("tenant-status")).toContainText("Consent revoked");
      await expect(page.getByTestId("tenant-last-error")).toContainText("AADSTS7000229");
      await page.goto(`/audit?tenant=${tenant.id}&outcome=failure`);
      await expect(page.getByTestId("audit-row").filter({ hasText: "Incident updated" }).first()).toContainText(/token_not_consented/);
    } finally {
      await emulatorControl("POST", `/tenants/${tenant.id}/consent`, {});
    }
    await verifyUntilActive(page, tenant);
  });

  test("a consent whose token Microsoft refuses is explained to the customer's admin and records no tenant", async ({ page, browser }) => {
    const tenant = TOKEN_FAILURE_TENANTS.callback;
    await signInAs(page, STAFF.admin.name, "/tenants");
    const cases = [
      { apply: { blocked: true }, restore: { blocked: false }, words: /Conditional Access/ },
      { apply: { disabled: true }, restore: { disabled: false }, words: /disabled the portal's enterprise app/ },
    ];
    for (const item of cases) {
      await setStatus(tenant.id, item.apply);
      try {
        await page.goto("/tenants/invitations/new");
        await page.getByLabel("Customer name").fill(tenant.displayName);
        await page.getByLabel(/^Read incidents/).check();
        await page.getByRole("button", { name: "Create consent link" }).click();
        const link = await page.getByTestId("consent-link").inputValue();

        const customer = await browser.newContext();
        const admin = await customer.newPage();
        await admin.goto(link);
        await admin.getByRole("button", { name: "Continue to Microsoft to grant consent" }).click();
        await admin.getByRole("button", { name: new RegExp(escapeRegExp(tenant.adminUpn)) }).click();
        await admin.getByRole("button", { name: "Accept", exact: true }).click();
        await signInAfterConsent(admin, tenant.adminUpn);
        await expect(admin.getByRole("heading", { name: "The consent could not be confirmed" })).toBeVisible({ timeout: 120_000 });
        await expect(admin.getByRole("status")).toContainText(item.words);
        await customer.close();
      } finally {
        await setStatus(tenant.id, item.restore);
      }
      await page.goto("/tenants");
      await expect(page.getByTestId("tenant-row").filter({ hasText: tenant.id })).toHaveCount(0);
      await page.goto("/audit?action=consent.verification_failed");
      await expect(page.getByTestId("audit-row").first()).toContainText(item.words);
    }
  });

  test("a consent while Microsoft still answers AADSTS65001 (propagation) is retried until it is granted, never an error", async ({ page, browser }) => {
    const tenant = TOKEN_FAILURE_TENANTS.callbackPropagation;
    await signInAs(page, STAFF.admin.name, "/tenants/invitations/new");
    await page.getByLabel("Customer name").fill(tenant.displayName);
    await page.getByLabel(/^Read incidents/).check();
    await page.getByRole("button", { name: "Create consent link" }).click();
    const link = await page.getByTestId("consent-link").inputValue();

    // Every token for a freshly consented tenant is refused with AADSTS65001 for a few seconds.
    await emulatorControl("POST", "/settings", { propagationMode: "65001", propagationDelayMs: 8_000 });
    const customer = await browser.newContext();
    try {
      const admin = await customer.newPage();
      const portalAnswers: number[] = [];
      admin.on("response", (response) => {
        if (new URL(response.url()).pathname.startsWith("/consent/")) portalAnswers.push(response.status());
      });
      await admin.goto(link);
      await admin.getByRole("button", { name: "Continue to Microsoft to grant consent" }).click();
      await admin.getByRole("button", { name: new RegExp(escapeRegExp(tenant.adminUpn)) }).click();
      await admin.getByRole("button", { name: "Accept", exact: true }).click();
      await signInAfterConsent(admin, tenant.adminUpn);
      await expect(admin.getByRole("heading", { name: "Consent granted" })).toBeVisible({ timeout: 150_000 });
      await expect(admin.getByText(tenant.id)).toBeVisible();
      expect(portalAnswers.filter((status) => status >= 500)).toEqual([]);
    } finally {
      await emulatorControl("POST", "/settings", { propagationMode: "alternate", propagationDelayMs: 3_000 });
      await customer.close();
    }
    await page.goto("/tenants");
    await expect(page.getByTestId("tenant-row").filter({ hasText: tenant.id })).toContainText("Pending confirmation");
  });
});
