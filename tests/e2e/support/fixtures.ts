import { createHash } from "node:crypto";
import { request, test as base, expect, type Page } from "@playwright/test";

/**
 * A client address of each test's own, as the portal's one trusted proxy reports it
 * (TRUSTED_PROXY_HOPS=1 in global setup). The customer consent pages are rate limited per client
 * address and 10-minute window (30 requests, product behaviour): with every test speaking as
 * 127.0.0.1, a fast run put more consents than that into one window and a test was refused at
 * random. Each test is its own client, as real customers are. A request that sets
 * X-Forwarded-For itself (consent-limits.spec.ts) still overrides this.
 */
export function clientAddressOf(testId: string): string {
  const digest = createHash("sha256").update(testId).digest();
  return `10.${digest[0]}.${digest[1]}.${1 + (digest[2]! % 254)}`;
}

/** Playwright's test, with the portal address that global setup published and a client address per test. */
export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(process.env.E2E_BASE_URL);
  },
  // Contexts the test opens itself (browser.newContext()) and its `request` get this too.
  extraHTTPHeaders: async ({}, use, testInfo) => {
    await use({ "x-forwarded-for": clientAddressOf(`${testInfo.testId}:${testInfo.repeatEachIndex}:${testInfo.retry}`) });
  },
});
export { expect };

export const STAFF = {
  admin: { name: "Amelia Adams", role: "Admin" },
  analyst: { name: "Arjun Patel", role: "Analyst" },
  reader: { name: "Rosa Reyes", role: "Reader" },
  noRole: { name: "Noah Nguyen" },
  foreign: { name: "Megan Bowen" },
} as const;

/**
 * Waits until each tenant's first sync finished (the Tenants page says "Up to date"), so a test
 * reads a store that no backfill is still filling. Generous: the sync shares a loaded machine.
 */
export async function waitForFirstSync(page: Page, tenants: readonly { id: string }[]): Promise<void> {
  await expect(async () => {
    await page.goto("/tenants");
    for (const tenant of tenants) {
      await expect(page.getByTestId("tenant-row").filter({ hasText: tenant.id })).toContainText("Up to date", { timeout: 1_000 });
    }
  }).toPass({ timeout: 150_000, intervals: [1_000, 2_000] });
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Signs in through the real flow: portal → Microsoft sign-in page (emulator) → callback. */
export async function signInAs(page: Page, displayName: string, returnTo = "/"): Promise<void> {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await page
    .getByRole("button", { name: new RegExp(displayName) })
    .first()
    .click();
  await page.waitForURL((url) => url.origin === new URL(process.env.E2E_BASE_URL!).origin);
}

/** Calls the emulator's control API (loopback; the emulator has its own CA). */
export async function emulatorControl<T = unknown>(method: "GET" | "POST" | "DELETE" | "PATCH", route: string, body?: unknown): Promise<T> {
  const context = await request.newContext({ ignoreHTTPSErrors: true });
  try {
    const response = await context.fetch(`${process.env.E2E_EMULATOR_URL}/_emulator${route}`, { method, ...(body === undefined ? {} : { data: body }) });
    if (!response.ok()) throw new Error(`emulator ${method} ${route}: ${response.status()} ${await response.text()}`);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  } finally {
    await context.dispose();
  }
}

/**
 * After admin consent, Microsoft asks the admin to sign in (the portal proves who consented):
 * on the emulator's "Pick an account" page, the same admin picks their account again.
 */
export async function signInAfterConsent(page: Page, adminUpn: string): Promise<void> {
  await expect(page.getByRole("heading", { name: "Pick an account" })).toBeVisible();
  await page
    .getByRole("button", { name: new RegExp(escapeRegExp(adminUpn)) })
    .first()
    .click();
}
