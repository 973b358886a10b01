import { test as base, expect, type Page } from "@playwright/test";

/** Playwright's test, with the portal address that global setup published. */
export const test = base.extend({
  baseURL: async ({}, use) => {
    await use(process.env.E2E_BASE_URL);
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

/** Signs in through the real flow: portal → Microsoft sign-in page (emulator) → callback. */
export async function signInAs(page: Page, displayName: string, returnTo = "/"): Promise<void> {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
  await page.getByRole("button", { name: new RegExp(displayName) }).first().click();
  await page.waitForURL((url) => url.origin === new URL(process.env.E2E_BASE_URL!).origin);
}
