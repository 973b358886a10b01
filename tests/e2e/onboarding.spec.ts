import type { Browser, Page } from "@playwright/test";
import { INCIDENT_TENANTS, ONBOARDING_TENANTS, type E2eTenant } from "./support/e2e-tenants";
import { STAFF, emulatorControl, escapeRegExp, expect, signInAfterConsent, signInAs, test } from "./support/fixtures";

// Verification retries through Microsoft's consent propagation for up to 75 s: flows that wait
// for it get time budgets that hold on a loaded 2-core machine.
const CONSENT_SETTLED = { timeout: 120_000 };
test.describe.configure({ timeout: 240_000 });

async function createInvitation(page: Page, input: { customerName: string; access: "read" | "read_write" }): Promise<string> {
  await page.goto("/tenants");
  await page.getByRole("link", { name: "Onboard a customer" }).click();
  await page.getByLabel("Customer name").fill(input.customerName);
  await page.getByLabel(input.access === "read_write" ? /Read and update incidents/ : /^Read incidents/).check();
  await page.getByRole("button", { name: "Create consent link" }).click();
  const link = await page.getByTestId("consent-link").inputValue();
  expect(link).toMatch(/\/consent\/[A-Za-z0-9_-]{43}$/);
  await expect(page.getByLabel("Message for the customer's admin")).toHaveValue(new RegExp(input.customerName));
  return link;
}

/** The customer's admin: a fresh browser context with no staff session. */
async function openAsCustomer(browser: Browser, link: string, tenant: E2eTenant, decision: "Accept" | "Cancel", access: "read" | "read_write") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByRole("heading", { name: /Northwind Cyber Defense asks for access/ })).toBeVisible();
  // The landing page says in plain words what the app will be able to do.
  await expect(page.getByText("Read your Microsoft Defender XDR incidents")).toBeVisible();
  await expect(page.getByText("Update those incidents")).toHaveCount(access === "read_write" ? 1 : 0);
  await page.getByRole("button", { name: "Continue to Microsoft to grant consent" }).click();
  await page.getByRole("button", { name: new RegExp(escapeRegExp(tenant.adminUpn)) }).click();
  await expect(page.getByRole("heading", { name: "Permissions requested" })).toBeVisible();
  await page.getByRole("button", { name: decision, exact: true }).click();
  if (decision === "Accept") await signInAfterConsent(page, tenant.adminUpn);
  return { context, page };
}

test.describe("customer onboarding by consent link", () => {
  test("invitation → landing → Microsoft consent → Accept → success → tenant Active", async ({ page, browser }) => {
    await signInAs(page, STAFF.admin.name, "/tenants");
    const tenant = ONBOARDING_TENANTS.accept;
    const link = await createInvitation(page, { customerName: tenant.displayName, access: "read_write" });

    const customer = await openAsCustomer(browser, link, tenant, "Accept", "read_write");
    await expect(customer.page.getByRole("heading", { name: "Consent granted" })).toBeVisible(CONSENT_SETTLED);
    await expect(customer.page.getByText(tenant.id)).toBeVisible();
    // The link works once.
    await customer.page.goto(link);
    await expect(customer.page.getByTestId("consent-refusal")).toContainText("already used");
    await customer.context.close();

    // The link named no tenant: the new customer waits for a Portal.Admin's confirmation.
    await page.goto("/tenants");
    const row = page.getByTestId("tenant-row").filter({ hasText: tenant.displayName });
    await expect(row).toContainText("Pending confirmation");
    await row.getByRole("link", { name: tenant.displayName }).click();
    await expect(page.getByTestId("tenant-consented-by")).toContainText(tenant.adminUpn);
    await expect(page.getByTestId("tenant-verified-domain")).toHaveText(tenant.adminUpn.split("@")[1]!);
    await page.getByRole("button", { name: "Confirm this customer" }).click();
    // The page renders again with the tenant confirmed (and verified at once).
    await expect(page.getByTestId("tenant-status")).toContainText("Active");
    await expect(page.getByRole("button", { name: "Verify now" })).toBeVisible();
    await page.goto("/tenants");
    await expect(row).toContainText("Active");
    await expect(row).toContainText("SecurityIncident.ReadWrite.All");
    await expect(row).toContainText(STAFF.admin.name);
    await expect(page.getByTestId("invitation-row").filter({ hasText: tenant.displayName })).toContainText("Consented");

    await row.getByRole("link", { name: tenant.displayName }).click();
    await page.getByRole("button", { name: "Verify now" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Verified: active" })).toBeVisible();
    await expect(page.getByTestId("audit-row").filter({ hasText: "Tenant onboarded" })).toBeVisible();
    await expect(page.getByTestId("audit-row").filter({ hasText: "Tenant confirmed" })).toBeVisible();
  });

  test("Cancel at Microsoft shows the reason in the portal's words, records nothing, and the link stays usable", async ({ page, browser }) => {
    await signInAs(page, STAFF.admin.name, "/tenants");
    const tenant = ONBOARDING_TENANTS.cancel;
    const link = await createInvitation(page, { customerName: tenant.displayName, access: "read" });
    const customer = await openAsCustomer(browser, link, tenant, "Cancel", "read");
    await expect(customer.page.getByRole("heading", { name: "Consent was not granted" })).toBeVisible();
    // Why, in the portal's own words: the redirect's error_description is never shown as Microsoft's.
    await expect(customer.page.getByTestId("consent-decline-reason")).toHaveText(/cancelled or declined on Microsoft's consent page/);
    await expect(customer.page.getByText("AADSTS65004")).toHaveCount(0);
    await expect(customer.page.getByRole("button", { name: "Try again" })).toBeVisible();
    await customer.page.goto(link);
    await expect(customer.page.getByRole("button", { name: "Continue to Microsoft to grant consent" })).toBeVisible();
    await customer.context.close();

    await page.goto("/tenants");
    await expect(page.getByTestId("tenant-row").filter({ hasText: tenant.displayName })).toHaveCount(0);
    await expect(page.getByTestId("invitation-row").filter({ hasText: tenant.displayName }).first()).toContainText("Declined");
  });

  test("a forged callback is refused and audited", async ({ page, browser }) => {
    const context = await browser.newContext();
    const forged = await context.newPage();
    const tenant = ONBOARDING_TENANTS.forged;
    await forged.goto(`/consent/callback?admin_consent=True&tenant=${tenant.id}&state=${"A".repeat(43)}`);
    await expect(forged.getByTestId("consent-refusal")).toContainText("does not match a request started here");
    await forged.goto(`/consent/callback?admin_consent=True&tenant=${tenant.id}`);
    await expect(forged.getByTestId("consent-refusal")).toContainText("Start again from the consent link");
    await context.close();

    await signInAs(page, STAFF.admin.name, "/audit?action=consent.refused");
    await expect(page.getByTestId("audit-row").filter({ hasText: "Unknown or forged state" }).first()).toBeVisible();
    await page.goto("/tenants");
    await expect(page.getByTestId("tenant-row").filter({ hasText: tenant.displayName })).toHaveCount(0);
  });

  test("a waiting link's state cannot onboard, re-activate or re-bind another customer", async ({ page, browser }) => {
    await signInAs(page, STAFF.admin.name, "/tenants");
    const link = await createInvitation(page, { customerName: "Attacker Inc", access: "read" });
    const token = link.split("/consent/")[1]!;
    const victim = INCIDENT_TENANTS.tailspin; // onboarded and synced; this test only reads it

    // The attacker starts the consent without visiting Microsoft and takes the state from the redirect.
    const attacker = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
    const startAttempt = async () => {
      const started = await attacker.request.post(`/consent/${token}/start`, { maxRedirects: 0 });
      expect(started.status()).toBe(303);
      return new URL(started.headers()["location"]!).searchParams.get("state")!;
    };
    const refusalOf = async (response: { headers(): Record<string, string> }) =>
      new URL(response.headers()["location"]!, "http://x").searchParams.get("reason");

    // No admin_consent=True: refused (and that state is used up).
    const first = await startAttempt();
    expect(await refusalOf(await attacker.request.get(`/consent/callback?tenant=${victim.id}&state=${first}`, { maxRedirects: 0 }))).toBe(
      "consent-not-confirmed",
    );
    const state = await startAttempt();
    // From another browser (no nonce cookie): refused.
    const other = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
    expect(await refusalOf(await other.request.get(`/consent/callback?admin_consent=True&tenant=${victim.id}&state=${state}`, { maxRedirects: 0 }))).toBe(
      "state-other-browser",
    );
    await other.close();
    // In the attacker's own browser: Microsoft's sign-in must now prove an admin of the victim's tenant.
    const attackerPage = await attacker.newPage();
    await attackerPage.goto(`/consent/callback?admin_consent=True&tenant=${victim.id}&state=${state}`);
    await signInAfterConsent(attackerPage, ONBOARDING_TENANTS.forged.adminUpn);
    await expect(attackerPage.getByRole("heading", { name: "The consent could not be confirmed" })).toBeVisible();
    await expect(attackerPage.getByRole("status")).toContainText("another organisation");
    await attacker.close();

    await page.goto("/tenants");
    await expect(page.getByTestId("tenant-row").filter({ hasText: victim.id })).toContainText("Active");
    await expect(page.getByTestId("tenant-row").filter({ hasText: victim.id })).not.toContainText("Attacker Inc");
    await page.goto("/audit?action=consent.sign_in_failed");
    await expect(page.getByTestId("audit-row").first()).toContainText("signed in from tenant");
  });

  test("a Reader's forged create and revoke are refused on the server", async ({ page, browser }) => {
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signInAs(adminPage, STAFF.admin.name, "/tenants");
    await createInvitation(adminPage, { customerName: "Proseware Reader Check", access: "read" });

    await signInAs(page, STAFF.reader.name, "/tenants/invitations/new");
    // Re-enable the disabled form in the browser, as a curious user could, and submit it.
    await page
      .locator("fieldset[disabled]")
      .first()
      .evaluate((element) => element.removeAttribute("disabled"));
    await page.getByLabel("Customer name").fill("Forged by a reader");
    await page.getByRole("button", { name: "Create consent link" }).click();
    await expect(page.locator("#form-error")).toHaveText("This needs the Portal.Admin role.");

    await page.goto("/tenants");
    const row = page.getByTestId("invitation-row").filter({ hasText: "Proseware Reader Check" }).first();
    const revoke = row.getByRole("button", { name: "Revoke" });
    await expect(revoke).toBeDisabled();
    await revoke.evaluate((element) => element.removeAttribute("disabled"));
    page.once("dialog", (dialog) => void dialog.accept());
    await revoke.click();
    await expect(row.getByRole("status")).toHaveText("This needs the Portal.Admin role.");

    await adminPage.goto("/tenants");
    await expect(adminPage.getByTestId("invitation-row").filter({ hasText: "Forged by a reader" })).toHaveCount(0);
    await expect(adminPage.getByTestId("invitation-row").filter({ hasText: "Proseware Reader Check" }).first()).toContainText("Waiting");
    await adminPage.goto("/audit?outcome=refused");
    // Only consent-link refusals: other spec files (staff-sessions) audit Reader refusals of their own in parallel.
    await expect(
      adminPage.getByTestId("audit-row").filter({ hasText: STAFF.reader.name }).filter({ hasText: "needs Portal.Admin" }).filter({ hasText: "Consent link" }),
    ).toHaveCount(2);
    await adminContext.close();
  });

  test("offboarding stops a tenant and tells how the customer removes the app", async ({ page, browser }) => {
    await signInAs(page, STAFF.admin.name, "/tenants");
    const tenant = ONBOARDING_TENANTS.offboard;
    const name = tenant.displayName;
    const link = await createInvitation(page, { customerName: name, access: "read" });
    const customer = await openAsCustomer(browser, link, tenant, "Accept", "read");
    await expect(customer.page.getByRole("heading", { name: "Consent granted" })).toBeVisible(CONSENT_SETTLED);
    await customer.context.close();

    await page.goto("/tenants");
    await page.getByRole("link", { name }).click();
    await expect(page.getByRole("link", { name: "New consent link" })).toBeVisible();
    await page.getByLabel("Delete them from the portal").check();
    const confirm = page.getByLabel(new RegExp(`Type ${escapeRegExp(name)} to confirm`));
    await confirm.fill(name.slice(0, 6));
    await page.getByRole("button", { name: "Offboard tenant" }).click();
    await expect(page.getByText(`Type the tenant's name exactly (${name}) to confirm.`)).toBeVisible();
    await confirm.fill(name);
    await page.getByRole("button", { name: "Offboard tenant" }).click();
    await expect(page.getByText("This tenant is offboarded. The portal makes no calls to it.")).toBeVisible();
    await expect(page.getByText("Remove-MgServicePrincipal")).toBeAttached();
    await expect(page.getByTestId("audit-row").filter({ hasText: "Tenant offboarded" })).toContainText("stored data deleted");
  });

  test("Readers and Analysts see onboarding but cannot act", async ({ page }) => {
    await signInAs(page, STAFF.analyst.name, "/tenants");
    await expect(page.getByRole("link", { name: "Onboard a customer" })).toHaveCount(0);
    await expect(page.getByText("Only a Portal.Admin can create consent links.")).toBeVisible();
    await page.goto("/tenants/invitations/new");
    await expect(page.getByRole("button", { name: "Create consent link" })).toBeDisabled();
    await expect(page.getByText("Only a Portal.Admin can create consent links.")).toBeVisible();
  });

  test("the admin closes the tab right after Microsoft's redirect back: the portal finishes the verification on its own", async ({ page, browser }) => {
    await signInAs(page, STAFF.admin.name, "/tenants");
    const tenant = ONBOARDING_TENANTS.closedTab;
    const link = await createInvitation(page, { customerName: tenant.displayName, access: "read" });
    // Propagation outlasts the callback's own check, so only the background verification can record the tenant.
    await emulatorControl("POST", "/settings", { propagationMode: "no-roles", propagationDelayMs: 8_000 });
    const context = await browser.newContext();
    try {
      const customer = await context.newPage();
      // The status page never loads in this browser (it could run a check itself): the callback alone must start the work.
      await context.route("**/consent/status/**", (route) => route.abort());
      await customer.goto(link);
      await customer.getByRole("button", { name: "Continue to Microsoft to grant consent" }).click();
      await customer.getByRole("button", { name: new RegExp(escapeRegExp(tenant.adminUpn)) }).click();
      await customer.getByRole("button", { name: "Accept", exact: true }).click();
      // Microsoft's redirect back after the admin's sign-in: the callback answers with the status page.
      const backAtPortal = customer.waitForResponse(
        (response) => new URL(response.url()).pathname === "/consent/callback" && /\/consent\/status\//.test(response.headers()["location"] ?? ""),
      );
      await signInAfterConsent(customer, tenant.adminUpn);
      expect((await backAtPortal).status()).toBe(303);
    } finally {
      await context.close(); // the tab, and the browser, are gone
    }
    try {
      await expect(async () => {
        await page.goto("/tenants");
        await expect(page.getByTestId("tenant-row").filter({ hasText: tenant.id })).toContainText("Pending confirmation", { timeout: 2_000 });
      }).toPass({ timeout: 150_000, intervals: [2_000, 5_000] });
    } finally {
      await emulatorControl("POST", "/settings", { propagationMode: "alternate", propagationDelayMs: 3_000 });
    }
    await expect(page.getByTestId("invitation-row").filter({ hasText: tenant.displayName })).toContainText("Consented");
  });
});
