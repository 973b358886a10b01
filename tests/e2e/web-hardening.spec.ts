import { readFileSync } from "node:fs";
import type { BrowserContext, Page } from "@playwright/test";
import { INCIDENT_TENANTS } from "./support/e2e-tenants";
import { STAFF, expect, test, waitForFirstSync } from "./support/fixtures";

// Attacks on the web layer, each performed as an attacker would and seen refused. This file
// creates consent links for made-up customers and reads (never changes) the Adatum tenant.
const PORTAL = () => new URL(process.env.E2E_BASE_URL!).origin;
const EMULATOR_BROWSER = () => new URL(process.env.E2E_EMULATOR_BROWSER_URL!).origin;
// A Reader (Readers may export) whom no other spec file signs in as: staff-sessions.spec.ts ends all
// of Zoë's sessions, and the audit rows below are counted by this person's name.
const EXPORTER = { name: "Ines Øverby" };
const ADATUM = INCIDENT_TENANTS.adatum;

/** Answers every request to the attacker's host, so a redirect there is seen (the machine has no network). */
async function attackerSite(context: BrowserContext, html = "<h1>evil</h1>"): Promise<string[]> {
  const hits: string[] = [];
  await context.route(/^https?:\/\/evil\.example\//, (route) => {
    hits.push(route.request().url());
    return route.fulfill({ status: 200, contentType: "text/html", body: html });
  });
  return hits;
}

/** The sign-in flow, entered through a raw query string exactly as an attacker's link writes it. */
async function signInThrough(page: Page, query: string, displayName: string): Promise<void> {
  await page.goto(`/signin?${query}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await page
    .getByRole("button", { name: new RegExp(displayName) })
    .first()
    .click();
  await page.waitForURL((url) => url.origin === PORTAL() || url.hostname === "evil.example");
}

/** Every CSP violation a document reports, in the page's console (Chromium also logs its own). */
async function watchCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
  });
  page.on("console", (message) => {
    if (/CSP violation|Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

function directives(policy: string | undefined): Map<string, string[]> {
  return new Map(
    (policy ?? "")
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

function nonceOf(policy: string | undefined): string {
  const nonce = directives(policy)
    .get("script-src")
    ?.find((source) => source.startsWith("'nonce-"));
  expect(nonce, "script-src has a nonce").toBeTruthy();
  return nonce!;
}

/** Creates a consent link through the staff page's server action; returns the link. */
async function createConsentLink(page: Page, customerName: string): Promise<string> {
  await page.goto("/tenants/invitations/new");
  await page.getByLabel("Customer name").fill(customerName);
  await page.getByLabel(/^Read incidents/).check();
  await page.getByRole("button", { name: "Create consent link" }).click();
  const link = await page.getByTestId("consent-link").inputValue();
  expect(link).toMatch(/\/consent\/[A-Za-z0-9_-]{43}$/);
  return link;
}

test.describe("return URLs stay on the portal", () => {
  for (const query of [
    "callbackUrl=/%5Cevil.example",
    "callbackUrl=/%09/evil.example",
    "callbackUrl=//evil.example",
    "callbackUrl=https://evil.example/",
    "callbackUrl=/a/..//evil.example",
  ]) {
    test(`signing in through /signin?${query} lands on the portal's own page`, async ({ page, context }) => {
      const hits = await attackerSite(context);
      await signInThrough(page, query, STAFF.reader.name);
      expect(new URL(page.url()).origin).toBe(PORTAL());
      await expect(page.getByRole("heading", { name: "Incidents" })).toBeVisible();
      // Signed in now: the sign-in page sends a person on at once, and not away either.
      await page.goto(`/signin?${query}`);
      await expect(page.getByRole("heading", { name: "Incidents" })).toBeVisible();
      expect(new URL(page.url()).origin).toBe(PORTAL());
      expect(hits).toEqual([]);
    });
  }

  test("a good return URL still works, and the proxy never hands a host back as one", async ({ page, request }) => {
    await signInThrough(page, `callbackUrl=${encodeURIComponent("/audit?outcome=refused")}`, STAFF.reader.name);
    await expect(page).toHaveURL(/\/audit\?outcome=refused$/);
    // Without a session, the proxy sends a person to sign in with the page as the return URL: only a path.
    for (const path of ["/%5Cevil.example/x", "/%09/evil.example"]) {
      const response = await request.get(path, { maxRedirects: 0 });
      expect(response.status(), path).toBe(307);
      const location = new URL(response.headers().location!, PORTAL());
      expect(location.pathname).toBe("/signin");
      expect(location.searchParams.get("callbackUrl"), path).toBe("/");
    }
  });
});

test.describe("Content-Security-Policy", () => {
  test("a staff page and a customer consent page carry the policy, with a fresh nonce each time", async ({ page }) => {
    await signInThrough(page, "callbackUrl=%2Ftenants", STAFF.admin.name);
    const link = await createConsentLink(page, "Proseware CSP Check");
    const first = await page.request.get("/tenants");
    const second = await page.request.get("/tenants");
    const consent = await page.request.get(link);
    for (const response of [first, second, consent]) {
      expect(response.status()).toBe(200);
      const policy = response.headers()["content-security-policy"];
      const d = directives(policy);
      expect(d.get("default-src")).toEqual(["'self'"]);
      expect(d.get("script-src")).toEqual(["'self'", nonceOf(policy)]);
      expect(d.get("object-src")).toEqual(["'none'"]);
      expect(d.get("base-uri")).toEqual(["'none'"]);
      expect(d.get("frame-ancestors")).toEqual(["'none'"]);
      // The portal, Microsoft's sign-in host and (demo mode) the emulator's browser pages, nothing else.
      expect(new Set(d.get("form-action"))).toEqual(new Set(["'self'", PORTAL(), new URL(process.env.E2E_EMULATOR_URL!).origin, EMULATOR_BROWSER()]));
      expect(policy).not.toMatch(/unsafe-inline|unsafe-eval/);
      // Served over HTTP here: no HSTS.
      expect(response.headers()["strict-transport-security"]).toBeUndefined();
      // Next.js's own scripts carry this response's nonce.
      const nonce = nonceOf(policy).slice("'nonce-".length, -1);
      expect(await response.text()).toContain(`nonce="${nonce}"`);
    }
    expect(nonceOf(first.headers()["content-security-policy"])).not.toBe(nonceOf(second.headers()["content-security-policy"]));
    expect(nonceOf(first.headers()["content-security-policy"])).not.toBe(nonceOf(consent.headers()["content-security-policy"]));
  });

  test("pages, a server action, the theme toggle and the consent form work with no violation", async ({ page }) => {
    const violations = await watchCspViolations(page);
    await signInThrough(page, "callbackUrl=%2Ftenants", STAFF.admin.name);
    await expect(page.getByRole("heading", { name: "Tenants" })).toBeVisible();
    const link = await createConsentLink(page, "Proseware Walk Check"); // a server action
    await page.getByRole("button", { name: "Dark theme" }).click(); // client JavaScript
    await expect(page.locator("html")).toHaveClass(/dark/);
    await page.goto("/audit");
    await expect(page.locator("html")).toHaveClass(/dark/); // the inline theme script ran (nonce)
    await expect(page.getByTestId("audit-row").filter({ hasText: "Proseware Walk Check" }).first()).toBeVisible();
    // The queue with rows (its bulk actions are server actions whose form brings zod to the browser), and a 404.
    await waitForFirstSync(page, [ADATUM]);
    await page.goto(`/?tenant=${ADATUM.id}`);
    await expect(page.getByTestId("incident-row").first()).toBeVisible();
    await expect(page.getByTestId("bulk-count")).toBeVisible();
    await page.goto("/no-such-page");
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    // The customer's page: its form posts to the portal, which redirects to Microsoft's (the emulator's) page.
    await page.goto(link);
    await page.getByRole("button", { name: "Continue to Microsoft to grant consent" }).click();
    await page.waitForURL((url) => url.origin === EMULATOR_BROWSER());
    await expect(page.getByRole("heading", { name: "Pick an account" })).toBeVisible();
    expect(violations).toEqual([]);
  });
});

test.describe("a consent callback's error_description", () => {
  test("is never shown as Microsoft's words: the customer reads the portal's, staff find the text in the audit", async ({ page, browser }) => {
    await signInThrough(page, "callbackUrl=%2Ftenants", STAFF.admin.name);
    const link = await createConsentLink(page, "Proseware Phishing Check");
    // The attacker starts a consent to get a live state, then sends the victim a crafted callback.
    const attacker = await browser.newContext();
    const start = await attacker.newPage();
    await start.goto(link);
    await start.getByRole("button", { name: "Continue to Microsoft to grant consent" }).click();
    await start.waitForURL((url) => url.origin === EMULATOR_BROWSER());
    const state = new URL(start.url()).searchParams.get("state");
    expect(state).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const phishing = "AADSTS65004: Your tenant is locked. Call +1 555 0100 or open https://evil.example/unlock to finish.";
    const crafted = `/consent/callback?${new URLSearchParams({ error: "access_denied", error_description: phishing, state: state! })}`;
    // Sent to a victim's browser, the crafted callback is refused: the state belongs to another browser.
    const victim = await browser.newContext();
    const customer = await victim.newPage();
    await customer.goto(crafted);
    await expect(customer.getByRole("heading", { name: "Please finish in the same browser" })).toBeVisible();
    await expect(customer.locator("body")).not.toContainText("555 0100");
    await victim.close();
    // Even in the browser that started it, Microsoft's text is never shown: the portal's words are.
    await start.goto(crafted);
    await expect(start.getByRole("heading", { name: "Consent was not granted" })).toBeVisible();
    await expect(start.getByTestId("consent-decline-reason")).toHaveText(/cancelled or declined on Microsoft's consent page/);
    await expect(start.locator("body")).not.toContainText("555 0100");
    await expect(start.locator("body")).not.toContainText("evil.example");
    await attacker.close();

    await page.goto("/audit?action=consent.declined");
    await expect(page.getByTestId("audit-row").filter({ hasText: "555 0100" }).first()).toBeVisible();
  });
});

test.describe("numbers out of range in URLs", () => {
  const cursor = (fields: Record<string, unknown>) =>
    Buffer.from(
      JSON.stringify({ s: "updated", d: "desc", r: 3, u: "2025-05-01T10:00:00.000Z", c: "2025-04-30T00:00:00.000Z", t: ADATUM.id, i: "1", ...fields }),
    ).toString("base64url");

  test("a queue or audit URL with numbers the database cannot hold still renders its page", async ({ page }) => {
    await signInThrough(page, "callbackUrl=%2F", STAFF.reader.name);
    const urls = [
      { url: `/?after=${cursor({ i: "9999999999999999999" })}`, heading: "Incidents" },
      { url: `/?before=${cursor({ i: "9223372036854775808" })}`, heading: "Incidents" },
      { url: `/?after=${cursor({ u: "0000-01-01T00:00:00.000Z" })}`, heading: "Incidents" },
      { url: "/?from=0000-01-01&to=2025-02-31&q=%00", heading: "Incidents" },
      { url: "/audit?before=99999999999999999999", heading: "Audit" },
      { url: "/audit?before=-1&q=%00", heading: "Audit" },
    ];
    for (const { url, heading } of urls) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
    }
  });
});

test.describe("CSV export", () => {
  test("the queue's Export CSV downloads the current filter; a cross-site request is refused, exports nothing and is audited as refused", async ({
    page,
    context,
  }) => {
    await signInThrough(page, "callbackUrl=%2F", EXPORTER.name);
    await waitForFirstSync(page, [ADATUM]);
    await page.goto(`/?tenant=${ADATUM.id}`);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV (current filter)" }).click();
    const lines = readFileSync(await (await download).path(), "utf8")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toContain("Tenant,Tenant ID,Incident ID,Incident name");
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((line) => line.startsWith(`${ADATUM.displayName},`))).toBe(true);

    // Another site links a signed-in person to the export: the browser marks it cross-site.
    const exportUrl = `${PORTAL()}/api/incidents/export?tenant=${ADATUM.id}`;
    await attackerSite(context, `<a id="go" href="${exportUrl}">Win a prize</a>`);
    const evil = await context.newPage();
    await evil.goto("http://evil.example/");
    const refused = evil.waitForResponse((response) => response.url().startsWith(`${PORTAL()}/api/incidents/export`));
    await evil.click("#go");
    expect((await refused).status()).toBe(403);
    expect((await refused).headers()["content-type"]).not.toContain("text/csv");
    await evil.close();
    // The same with the session, as a script would send it.
    const scripted = await page.request.get(exportUrl, { headers: { "sec-fetch-site": "cross-site" } });
    expect(scripted.status()).toBe(403);
    expect(await scripted.text()).not.toContain("Tenant ID");

    await page.goto(`/audit?action=incident.export&q=${encodeURIComponent("Øverby")}`);
    const rows = page.getByTestId("audit-row");
    await expect(rows.filter({ hasText: "refused" })).toHaveCount(2);
    await expect(rows).toHaveCount(3); // the one export from the queue, and the two refusals
  });
});
