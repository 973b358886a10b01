import { MIGRATION_TENANTS } from "./support/e2e-tenants";
import { STAFF, emulatorControl, escapeRegExp, expect, signInAfterConsent, signInAs, test, waitForFirstSync } from "./support/fixtures";

// A customer onboarded before the portal used Microsoft Graph (consented to the Defender XDR API
// only): the portal shows what it needs and by when, keeps its incidents, and after the admin
// consents again reads it through Graph, with no duplicate rows.
test.describe("moving an onboarded customer to Microsoft Graph", () => {
  test.describe.configure({ timeout: 300_000 });

  test("needs re-consent → new link with the reason and the date → consent → Active on Graph, incidents kept once", async ({ page, browser }) => {
    const tenant = MIGRATION_TENANTS.reconsent;
    await signInAs(page, STAFF.admin.name, "/tenants");
    // Still synced through the old API meanwhile.
    await waitForFirstSync(page, [tenant]);
    const row = page.getByTestId("tenant-row").filter({ hasText: tenant.id });
    await expect(row).toContainText("Needs re-consent for Microsoft Graph");
    await expect(page.getByTestId("old-api-notice")).toContainText("1 February 2027");
    const truth = await emulatorControl<{ incidentId: number }[]>("GET", `/tenants/${tenant.id}/incidents`);
    await expect(row).toContainText(`${truth.length} incidents`);

    await row.getByRole("link", { name: tenant.displayName }).click();
    await expect(page.getByTestId("tenant-source")).toContainText("Defender XDR API");
    await page.getByRole("link", { name: "New consent link for Microsoft Graph" }).click();
    await page.getByRole("button", { name: "Create consent link" }).click();
    const link = await page.getByTestId("consent-link").inputValue();
    const message = page.getByLabel("Message for the customer's admin");
    await expect(message).toHaveValue(/Microsoft retires the Defender XDR API/);
    await expect(message).toHaveValue(/31 January 2027/);
    await expect(message).toHaveValue(/SecurityIncident\.ReadWrite\.All/);

    const customer = await browser.newContext();
    const admin = await customer.newPage();
    await admin.goto(link);
    await expect(admin.getByText(/SecurityIncident\.Read\.All/)).toBeVisible();
    await admin.getByRole("button", { name: "Continue to Microsoft to grant consent" }).click();
    await admin.getByRole("button", { name: new RegExp(escapeRegExp(tenant.adminUpn)) }).click();
    await admin.getByRole("button", { name: "Accept", exact: true }).click();
    await signInAfterConsent(admin, tenant.adminUpn);
    await expect(admin.getByRole("heading", { name: "Consent granted" })).toBeVisible({ timeout: 120_000 });
    await customer.close();

    await page.goto(`/tenants/${tenant.id}`);
    await expect(page.getByTestId("tenant-status")).toContainText("Active");
    await expect(page.getByTestId("tenant-source")).toContainText("Microsoft Graph");
    await expect(page.getByTestId("audit-row").filter({ hasText: "Tenant re-consented" })).toBeVisible();

    // The next pass reads through Graph, from the stored cursor: the same incidents, once each.
    await emulatorControl("POST", `/tenants/${tenant.id}/incidents`, { count: 2 });
    // Only this tenant's counters: other specs compare theirs meanwhile.
    await emulatorControl("DELETE", `/metrics?tenantId=${tenant.id}`);
    await expect(async () => {
      await page.goto(`/tenants/${tenant.id}`);
      await expect(page.getByTestId("sync-incident-count")).toHaveText(String(truth.length + 2), { timeout: 1_000 });
    }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
    await expect(page.getByTestId("sync-source")).toContainText("Microsoft Graph");
    const metrics = await emulatorControl<{ apiCalls: Record<string, Record<string, number>> }>("GET", "/metrics");
    const calls = Object.keys(metrics.apiCalls[tenant.id] ?? {});
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((route) => route.startsWith("graph."))).toBe(true);
    await page.goto("/tenants");
    await expect(page.getByTestId("old-api-notice")).toHaveCount(0);
  });
});
