import { STAFF, expect, signInAs, test } from "./support/fixtures";

test.describe("without a session", () => {
  for (const path of ["/", "/tenants", "/audit"]) {
    test(`${path} redirects to sign-in`, async ({ page }) => {
      await page.goto(path);
      await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    });
  }

  test("health answers without a session and says nothing about customers", async ({ request }) => {
    const response = await request.get("/api/health");
    expect(response.ok()).toBe(true);
    const body = await response.json();
    expect(body.status).toBe("ok");
    expect(Object.keys(body).sort()).toEqual(["database", "databaseKind", "status", "time"]);
  });
});

test.describe("staff sign-in", () => {
  for (const who of [STAFF.admin, STAFF.analyst, STAFF.reader]) {
    test(`${who.role} signs in and sees name, role and navigation`, async ({ page }) => {
      await signInAs(page, who.name, "/tenants");
      await expect(page).toHaveURL(/\/tenants$/);
      await expect(page.getByTestId("staff-name")).toHaveText(who.name);
      await expect(page.getByTestId("staff-role")).toHaveText(who.role);
      const nav = page.getByRole("navigation", { name: "Main" });
      for (const link of ["Incidents", "Tenants", "Audit"]) await expect(nav.getByRole("link", { name: link })).toBeVisible();
      await expect(nav.getByRole("link", { name: "Tenants" })).toHaveAttribute("aria-current", "page");
    });
  }

  test("a member without a portal role is refused and told what to ask for", async ({ page }) => {
    await signInAs(page, STAFF.noRole.name);
    await expect(page).toHaveURL(/\/access-denied\?reason=no-role/);
    await expect(page.getByTestId("denied-reason")).toContainText("Portal.Reader");
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("a user of another tenant is refused", async ({ page }) => {
    await signInAs(page, STAFF.foreign.name);
    await expect(page).toHaveURL(/\/access-denied\?reason=foreign-tenant/);
    await expect(page.getByRole("heading", { name: "This account belongs to another organization" })).toBeVisible();
    await page.goto("/audit");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("sign-ins and refusals are in the audit trail, and sign-out ends the session", async ({ page }) => {
    await signInAs(page, STAFF.noRole.name);
    await signInAs(page, STAFF.admin.name, "/audit");
    await expect(page.getByRole("heading", { name: "Audit" })).toBeVisible();
    const refused = page.getByTestId("audit-row").filter({ hasText: STAFF.noRole.name });
    await expect(refused.first()).toContainText("No portal role assigned");
    await expect(refused.first()).toContainText("refused");
    await page.goto("/audit?outcome=refused");
    await expect(page.getByTestId("audit-row").filter({ hasText: STAFF.admin.name })).toHaveCount(0);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByText("You are signed out.")).toBeVisible();
    await page.goto("/audit");
    await expect(page).toHaveURL(/\/signin/);
  });

  test("the dark theme toggle is remembered across pages", async ({ page }) => {
    await signInAs(page, STAFF.reader.name);
    await page.getByRole("button", { name: "Dark theme" }).click();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await page.goto("/audit");
    await expect(page.locator("html")).toHaveClass(/dark/);
  });
});
