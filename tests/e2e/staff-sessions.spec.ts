import { decode, encode } from "next-auth/jwt";
import type { Browser, BrowserContext, Cookie, Page } from "@playwright/test";
import { STAFF, expect, signInAs, test } from "./support/fixtures";

/**
 * Attacks on staff sessions, each refused. The person whose sessions these tests end is Zoë
 * Ångström, whom no other spec file signs in as (web-hardening.spec.ts exports as Ines Øverby):
 * ending "all sessions" of a demo user that other specs use would sign them out mid-test.
 */
const ZOE = { name: "Zoë Ångström", oid: "c3d6e4fa-5d7a-4e9c-9f3b-4a8dac2e6f33" };

/** The portal's NEXTAUTH_SECRET in the e2e run (support/global-setup.ts). */
const SECRET = "e2e-session-secret-0123456789abcdef0123";
const SESSION_COOKIE = "next-auth.session-token";
const ENDED = "Your session has ended. Sign in again.";
const HOUR = 3600;

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function sessionCookie(context: BrowserContext): Promise<Cookie> {
  const cookie = (await context.cookies()).find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error("no session cookie in this browser");
  return cookie;
}

/** A fresh browser (own cookies) signed in as `name`, on `path`. */
async function signedInBrowser(browser: Browser, name: string, path = "/"): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, name, path);
  await expect(page.getByTestId("staff-name")).toHaveText(name);
  return { context, page };
}

/** Another browser that only holds `value` as its session cookie, as a thief's would. */
async function browserWithCookie(browser: Browser, value: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  await context.addCookies([{ name: SESSION_COOKIE, value, url: process.env.E2E_BASE_URL!, httpOnly: true, sameSite: "Lax" }]);
  return { context, page: await context.newPage() };
}

/** The portal refuses this browser's session: pages go to sign-in saying why, APIs answer 401, /api/auth/session renews nothing. */
async function expectSessionRefused(page: Page) {
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin\?.*session=ended/);
  await expect(page.getByTestId("session-ended")).toHaveText(ENDED);
  await expect(page.getByRole("button", { name: "Sign in with Microsoft" })).toBeVisible();
}

async function expectApiRefused(context: BrowserContext) {
  const exported = await context.request.get("/api/incidents/export");
  expect(exported.status()).toBe(401);
  expect((await exported.json()).message).toBe(ENDED);
  const session = await context.request.get("/api/auth/session");
  expect(await session.json()).toEqual({});
  // next-auth clears the cookie of a refused session instead of renewing it.
  expect(session.headers()["set-cookie"] ?? "").toMatch(new RegExp(`${SESSION_COOKIE}=;`));
}

test.describe("staff sessions end on the server", () => {
  test("a JWT forged with the portal's secret, signed in 9 hours ago but with exp in the future, is refused", async ({ browser }) => {
    const zoe = await signedInBrowser(browser, ZOE.name);
    const real = await sessionCookie(zoe.context);
    const claims = (await decode({ token: real.value, secret: SECRET }))!;
    // The cookie carries only the session id and sign-in time: nothing to learn, no Microsoft token.
    expect(Object.keys(claims).sort()).toEqual(["exp", "iat", "jti", "sid", "signedInAt"]);
    expect(claims.exp).toBeLessThanOrEqual((claims.signedInAt as number) + 8 * HOUR);

    // The real session id, an old sign-in time, and an exp an hour ahead.
    const forged = await encode({ token: { sid: claims.sid, signedInAt: nowSeconds() - 9 * HOUR }, secret: SECRET, maxAge: HOUR });
    expect((await decode({ token: forged, secret: SECRET }))!.exp).toBeGreaterThan(nowSeconds() + HOUR - 60);
    const attacker = await browserWithCookie(browser, forged);
    await expectSessionRefused(attacker.page);
    await expectApiRefused(attacker.context);

    // The session format issued before server-side sessions (identity and role in the token, 30 days) is refused too.
    const legacy = await encode({
      token: { oid: ZOE.oid, tid: "6f1d2c3b-8a4e-4b7d-9c21-0d5e7a9b3f10", name: ZOE.name, role: "Portal.Admin" },
      secret: SECRET,
      maxAge: 30 * 24 * HOUR,
    });
    const legacyBrowser = await browserWithCookie(browser, legacy);
    await expectSessionRefused(legacyBrowser.page);

    // Zoë's own session is untouched by the forgeries.
    await zoe.page.reload();
    await expect(zoe.page.getByTestId("staff-name")).toHaveText(ZOE.name);
    for (const context of [zoe.context, attacker.context, legacyBrowser.context]) await context.close();
  });

  test("a cookie copied before sign-out is refused after sign-out", async ({ browser }) => {
    const zoe = await signedInBrowser(browser, ZOE.name, "/audit");
    const copied = await sessionCookie(zoe.context);
    const thief = await browserWithCookie(browser, copied.value);
    await thief.page.goto("/audit");
    await expect(thief.page.getByTestId("staff-name")).toHaveText(ZOE.name); // the copy worked while the session lived

    await zoe.page.getByRole("button", { name: "Sign out" }).click();
    await expect(zoe.page.getByText("You are signed out.")).toBeVisible();

    await expectSessionRefused(thief.page);
    await expectApiRefused(thief.context);
    await zoe.context.close();
    await thief.context.close();
  });

  test("an admin ends all sessions of a staff member: their next request goes to sign-in, and it is audited", async ({ browser }) => {
    const zoe = await signedInBrowser(browser, ZOE.name);
    const admin = await signedInBrowser(browser, STAFF.admin.name, "/staff");
    await expect(admin.page.getByRole("heading", { name: "Staff" })).toBeVisible();
    await expect(admin.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Staff" })).toHaveAttribute("aria-current", "page");
    const row = admin.page.getByTestId("staff-row").filter({ hasText: ZOE.name });
    await expect(row.getByTestId("active-session-count")).not.toHaveText("None");

    admin.page.once("dialog", (dialog) => void dialog.accept());
    await row.getByRole("button", { name: "End all sessions" }).click();
    await expect(row.getByRole("status")).toHaveText(/^Ended \d+ sessions? of Zoë Ångström\./);
    await expect(row.getByTestId("active-session-count")).toHaveText("None");

    // Zoë's next request, in her own browser with her own cookie, goes to sign-in.
    await zoe.page.reload();
    await expect(zoe.page).toHaveURL(/\/signin\?.*session=ended/);
    await expect(zoe.page.getByTestId("session-ended")).toHaveText(ENDED);
    await expectApiRefused(zoe.context);

    // The admin's own session goes on, and the trail says who ended whose sessions.
    await admin.page.goto("/audit?action=staff.sessions_ended");
    const event = admin.page.getByTestId("audit-row").filter({ hasText: STAFF.admin.name }).first();
    await expect(event).toContainText("Sessions ended by an admin");
    await expect(event).toContainText(/Zoë Ångström: \d+ sessions? ended/);
    await expect(event).toContainText(ZOE.oid);
    await admin.page.goto("/audit?action=auth.sign_out");
    await expect(admin.page.getByTestId("audit-row").filter({ hasText: ZOE.name }).first()).toContainText("Sign-out");
    await zoe.context.close();
    await admin.context.close();
  });

  test("a Reader sees the page read-only, and the server refuses a forged 'End all sessions'", async ({ browser }) => {
    const zoe = await signedInBrowser(browser, ZOE.name);
    const reader = await signedInBrowser(browser, STAFF.reader.name, "/staff");
    await expect(reader.page.getByTestId("staff-disabled-reason")).toHaveText("Read-only: ending sessions needs the Portal.Admin role.");
    const row = reader.page.getByTestId("staff-row").filter({ hasText: ZOE.name });
    const button = row.getByRole("button", { name: "End all sessions" });
    await expect(button).toBeDisabled();

    // Re-enable the button in the browser, as a curious user could, and submit: the server decides.
    await button.evaluate((element) => element.removeAttribute("disabled"));
    reader.page.once("dialog", (dialog) => void dialog.accept());
    await button.click();
    await expect(row.getByRole("status")).toHaveText("This needs the Portal.Admin role.");

    await zoe.page.reload();
    await expect(zoe.page.getByTestId("staff-name")).toHaveText(ZOE.name);
    await reader.page.reload();
    await expect(row.getByTestId("active-session-count")).not.toHaveText("None");
    await zoe.context.close();
    await reader.context.close();
  });
});
