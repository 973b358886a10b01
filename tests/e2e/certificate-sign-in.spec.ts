import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { demoPortalEnv } from "../../scripts/lib/demo-env.mjs";
import { startPortalProcess } from "../../scripts/lib/portal-process.mjs";
import { prisma } from "../../scripts/lib/run.mjs";
import { freePort } from "../support/free-port";
import { STAFF, expect, test } from "./support/fixtures";

// README recommends a certificate over a client secret (AZURE_CLIENT_CERTIFICATE_PATH: one PEM with
// key and certificate). A portal of its own, with no secret at all, against the same emulator:
// staff sign in (the code exchange signs a client assertion) and the app-only token path works.
test("staff sign in to a portal that holds a certificate and no secret", async ({ browser }) => {
  test.setTimeout(300_000);
  const ready = JSON.parse(process.env.E2E_EMULATOR_READY!) as Record<string, string>;
  const pem = readFileSync(ready.appCertificatePath!, "utf8");
  expect(pem).toContain("PRIVATE KEY");
  expect(pem).toContain("BEGIN CERTIFICATE");

  const dataDir = mkdtempSync(path.join(tmpdir(), "certificate-portal-"));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...demoPortalEnv(ready, { dataDir, portalUrl: baseURL, secret: "certificate-e2e-secret-0123456789abcdef" }),
    AZURE_CLIENT_CERTIFICATE_PATH: ready.appCertificatePath!,
    PORTAL_DATA_DIR: dataDir,
    PORTAL_PGLITE_DIR: path.join(dataDir, "pglite"),
    LOG_LEVEL: "warn",
  };
  delete env.AZURE_CLIENT_SECRET;
  await prisma(["migrate", "deploy"], env);
  const portal = await startPortalProcess({ port, host: "127.0.0.1", env, quiet: !process.env.E2E_VERBOSE });
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await page.goto(`/signin?callbackUrl=${encodeURIComponent("/tenants")}`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await page
      .getByRole("button", { name: new RegExp(STAFF.admin.name) })
      .first()
      .click();
    await page.waitForURL((url) => url.origin === baseURL);
    await expect(page).toHaveURL(/\/tenants$/);
    await expect(page.getByText(STAFF.admin.name).first()).toBeVisible();
    // The sign-in is on the audit trail of this portal.
    await page.goto("/audit?action=auth.sign_in");
    await expect(page.getByTestId("audit-row").filter({ hasText: STAFF.admin.name }).first()).toBeVisible();
  } finally {
    await context.close();
    await portal.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
