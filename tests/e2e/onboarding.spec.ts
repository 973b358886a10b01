import type { Browser, Page } from "@playwright/test";
import { STAFF, expect, signInAs, test } from "./support/fixtures";

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
async function openAsCustomer(browser: Browser, link: string, adminName: string, decision: "Accept" | "Cancel", access: "read" | "read_write") {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  await expect(page.getByRole("heading", { name: /Northwind Cyber Defense asks for access/ })).toBeVisible();
  // The landing page says in plain words what the app will be able to do.
  await expect(page.getByText("Read your Microsoft Defender XDR incidents")).toBeVisible();
  await expect(page.getByText("Update those incidents")).toHaveCount(access === "read_write" ? 1 : 0);
  await page.getByRole("button", { name: "Continue to Microsoft to grant consent" }).click();
  await page.getByRole("button", { name: new RegExp(adminName) }).click();
  await expect(page.getByRole("heading", { name: "Permissions requested" })).toBeVisible();
  await page.getByRole("button", { name: decision, exact: true }).click();
  return { context, page };
}

test.describe("customer onboarding by consent link", () => {
  test("invitation → landing → Microsoft consent → Accept → success → tenant Active", async ({ page, browser }) => {
    await signInAs(page, STAFF.admin.name, "/tenants");
    const link = await createInvitation(page, { customerName: "Contoso Manufacturing", access: "read_write" });

    const customer = await openAsCustomer(browser, link, "Megan Bowen", "Accept", "read_write");
    await expect(customer.page.getByRole("heading", { name: "Consent granted" })).toBeVisible({ timeout: 45_000 });
    await expect(customer.page.getByText("0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61")).toBeVisible();
    // The link works once.
    await customer.page.goto(link);
    await expect(customer.page.getByTestId("consent-refusal")).toContainText("already used");
    await customer.context.close();

    await page.goto("/tenants");
    const row = page.getByTestId("tenant-row").filter({ hasText: "Contoso Manufacturing" });
    await expect(row).toContainText("Active");
    await expect(row).toContainText("Incident.ReadWrite.All");
    await expect(row).toContainText(STAFF.admin.name);
    await expect(page.getByTestId("invitation-row").filter({ hasText: "Contoso Manufacturing" })).toContainText("Consented");

    await row.getByRole("link", { name: "Contoso Manufacturing" }).click();
    await page.getByRole("button", { name: "Verify now" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Verified: active" })).toBeVisible();
    await expect(page.getByTestId("audit-row").filter({ hasText: "Tenant onboarded" })).toBeVisible();
  });

  test("Cancel at Microsoft shows the reason, records nothing, and the link stays usable", async ({ page, browser }) => {
    await signInAs(page, STAFF.admin.name, "/tenants");
    const link = await createInvitation(page, { customerName: "Fabrikam Health", access: "read" });
    const customer = await openAsCustomer(browser, link, "Isaiah Langer", "Cancel", "read");
    await expect(customer.page.getByRole("heading", { name: "Consent was not granted" })).toBeVisible();
    await expect(customer.page.getByText(/Microsoft's reason: AADSTS65004/)).toBeVisible();
    await expect(customer.page.getByRole("button", { name: "Try again" })).toBeVisible();
    await customer.page.goto(link);
    await expect(customer.page.getByRole("button", { name: "Continue to Microsoft to grant consent" })).toBeVisible();
    await customer.context.close();

    await page.goto("/tenants");
    await expect(page.getByTestId("tenant-row").filter({ hasText: "Fabrikam Health" })).toHaveCount(0);
    await expect(page.getByTestId("invitation-row").filter({ hasText: "Fabrikam Health" }).first()).toContainText("Declined");
  });

  test("a forged callback is refused and audited", async ({ page, browser }) => {
    const context = await browser.newContext();
    const forged = await context.newPage();
    await forged.goto(`/consent/callback?admin_consent=True&tenant=2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83&state=${"A".repeat(43)}`);
    await expect(forged.getByTestId("consent-refusal")).toContainText("does not match a request started here");
    await forged.goto("/consent/callback?admin_consent=True&tenant=2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83");
    await expect(forged.getByTestId("consent-refusal")).toContainText("Start again from the consent link");
    await context.close();

    await signInAs(page, STAFF.admin.name, "/audit?action=consent.refused");
    await expect(page.getByTestId("audit-row").filter({ hasText: "Unknown or forged state" }).first()).toBeVisible();
    await page.goto("/tenants");
    await expect(page.getByTestId("tenant-row").filter({ hasText: "Woodgrove" })).toHaveCount(0);
  });

  test("a Reader's forged create and revoke are refused on the server", async ({ page, browser }) => {
    const adminContext = await browser.newContext();
    const adminPage = await adminContext.newPage();
    await signInAs(adminPage, STAFF.admin.name, "/tenants");
    await createInvitation(adminPage, { customerName: "Litware Legal", access: "read" });

    await signInAs(page, STAFF.reader.name, "/tenants/invitations/new");
    // Re-enable the disabled form in the browser, as a curious user could, and submit it.
    await page.locator("fieldset[disabled]").first().evaluate((element) => element.removeAttribute("disabled"));
    await page.getByLabel("Customer name").fill("Forged by a reader");
    await page.getByRole("button", { name: "Create consent link" }).click();
    await expect(page.locator("#form-error")).toHaveText("This needs the Portal.Admin role.");

    await page.goto("/tenants");
    const row = page.getByTestId("invitation-row").filter({ hasText: "Litware Legal" }).first();
    const revoke = row.getByRole("button", { name: "Revoke" });
    await expect(revoke).toBeDisabled();
    await revoke.evaluate((element) => element.removeAttribute("disabled"));
    page.once("dialog", (dialog) => void dialog.accept());
    await revoke.click();
    await expect(row.getByRole("status")).toHaveText("This needs the Portal.Admin role.");

    await adminPage.goto("/tenants");
    await expect(adminPage.getByTestId("invitation-row").filter({ hasText: "Forged by a reader" })).toHaveCount(0);
    await expect(adminPage.getByTestId("invitation-row").filter({ hasText: "Litware Legal" }).first()).toContainText("Waiting");
    await adminPage.goto("/audit?outcome=refused");
    await expect(adminPage.getByTestId("audit-row").filter({ hasText: STAFF.reader.name }).filter({ hasText: "needs Portal.Admin" })).toHaveCount(2);
    await adminContext.close();
  });

  test("offboarding stops a tenant and tells how the customer removes the app", async ({ page, browser }) => {
    await signInAs(page, STAFF.admin.name, "/tenants");
    const link = await createInvitation(page, { customerName: "Adatum Energy", access: "read" });
    const customer = await openAsCustomer(browser, link, "Christie Cline", "Accept", "read");
    await expect(customer.page.getByRole("heading", { name: "Consent granted" })).toBeVisible({ timeout: 45_000 });
    await customer.context.close();

    await page.goto("/tenants");
    await page.getByRole("link", { name: "Adatum Energy" }).click();
    await expect(page.getByRole("link", { name: "New consent link" })).toBeVisible();
    await page.getByLabel("Delete them from the portal").check();
    await page.getByLabel(/Type Adatum Energy to confirm/).fill("Adatum");
    await page.getByRole("button", { name: "Offboard tenant" }).click();
    await expect(page.getByText("Type the tenant's name exactly (Adatum Energy) to confirm.")).toBeVisible();
    await page.getByLabel(/Type Adatum Energy to confirm/).fill("Adatum Energy");
    await page.getByRole("button", { name: "Offboard tenant" }).click();
    await expect(page.getByText("This tenant is offboarded. The portal makes no calls to it.")).toBeVisible();
    await expect(page.getByText("Remove-MgServicePrincipal")).toBeAttached();
    await expect(page.getByTestId("audit-row").filter({ hasText: "Tenant offboarded" })).toContainText("stored data deleted");
  });

  test("Readers and Analysts see onboarding but cannot act", async ({ page }) => {
    await signInAs(page, STAFF.analyst.name, "/tenants");
    await expect(page.getByRole("link", { name: "Onboard a customer" })).toHaveCount(0);
    await expect(page.getByText("Onboarding needs the Portal.Admin role")).toBeVisible();
    await page.goto("/tenants/invitations/new");
    await expect(page.getByRole("button", { name: "Create consent link" })).toBeDisabled();
    await expect(page.getByText("Only a Portal.Admin can create consent links.")).toBeVisible();
  });
});
