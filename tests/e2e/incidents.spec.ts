import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { request, type Page } from "@playwright/test";
import { INCIDENT_TENANTS } from "./support/e2e-tenants";
import { STAFF, emulatorControl, expect, signInAs, test, waitForFirstSync } from "./support/fixtures";

// Consented and onboarded by global setup for this file alone; the portal's sync fills the queue.
const TAILSPIN = INCIDENT_TENANTS.tailspin.id;
const LITWARE = INCIDENT_TENANTS.litware.id;
const ADATUM = INCIDENT_TENANTS.adatum.id;
/** The queue narrowed to this file's tenants: other spec files onboard and sync tenants meanwhile. */
const OWN = `?tenant=${TAILSPIN}&tenant=${LITWARE}&tenant=${ADATUM}`;
const ANALYST_USERNAME = "arjun.analyst@northwindcyber.onmicrosoft.com";

type TruthIncident = {
  incidentId: number;
  status: string;
  severity: string;
  assignedTo: string | null;
  incidentName: string;
  tags?: string[];
  comments?: { comment: string }[];
};

/** The emulator's own record of a tenant's incidents (control API; the emulator has a private CA). */
async function emulatorIncidents(tenantId: string): Promise<TruthIncident[]> {
  const context = await request.newContext({ ignoreHTTPSErrors: true });
  try {
    const response = await context.get(`${process.env.E2E_EMULATOR_URL}/_emulator/tenants/${tenantId}/incidents`);
    expect(response.ok()).toBe(true);
    return (await response.json()) as TruthIncident[];
  } finally {
    await context.dispose();
  }
}

async function emulatorIncident(tenantId: string, incidentId: string): Promise<TruthIncident> {
  const found = (await emulatorIncidents(tenantId)).find((i) => String(i.incidentId) === incidentId);
  if (!found) throw new Error(`incident ${incidentId} not in the emulator`);
  return found;
}

const rows = (page: Page) => page.getByTestId("incident-row");

/** Opens the queue once this file's tenants finished their first sync (of `minTenants` tenants). */
async function openQueue(page: Page, query = "", minTenants = 1): Promise<void> {
  await waitForFirstSync(page, Object.values(INCIDENT_TENANTS));
  await expect(async () => {
    await page.goto(`/${query}`);
    await expect(rows(page).first()).toBeVisible({ timeout: 1_000 });
    const tenants = new Set(await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-tenant-id"))));
    expect(tenants.size).toBeGreaterThanOrEqual(minTenants);
  }).toPass({ timeout: 90_000, intervals: [1_000, 2_000] });
}

async function attributeOfRows(page: Page, name: string): Promise<(string | null)[]> {
  return rows(page).evaluateAll((trs, attr) => trs.map((tr) => tr.getAttribute(attr)), name);
}

test.describe("incident queue", () => {
  test("shows incidents of several tenants in one table", async ({ page }) => {
    await signInAs(page, STAFF.analyst.name, "/");
    await openQueue(page, `?tenant=${TAILSPIN}&tenant=${LITWARE}&tenant=${ADATUM}&sort=created&dir=desc`, 2);
    await expect(page.getByRole("table")).toBeVisible();
    await expect(page.getByRole("columnheader", { name: /Severity/ })).toBeVisible();
    await expect(page.getByTestId("summary-total")).toContainText(/\d+ incidents/);
    const names = await rows(page).locator("td:nth-child(4)").allInnerTexts();
    expect(new Set(names).size).toBeGreaterThanOrEqual(2);
  });

  test("each filter narrows the queue and survives a reload", async ({ page }) => {
    await signInAs(page, STAFF.analyst.name, "/");
    await openQueue(page, "", 2);

    // Tenant (multi-select in a disclosure) → only that tenant's rows, and the URL carries it.
    await page.getByText("Tenants: All").click();
    await page.getByRole("checkbox", { name: "Litware Legal", exact: true }).check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(new RegExp(`tenant=${LITWARE}`));
    await page.reload();
    expect(new Set(await attributeOfRows(page, "data-tenant-id"))).toEqual(new Set([LITWARE]));

    // Severity chip, on this file's tenants: exactly Microsoft's High incidents, and there are some.
    const truthHigh = (await Promise.all([TAILSPIN, LITWARE, ADATUM].map(emulatorIncidents))).flat().filter((i) => i.severity === "High").length;
    expect(truthHigh).toBeGreaterThan(0);
    await page.goto(`/${OWN}`);
    await page.getByRole("checkbox", { name: "High", exact: true }).check({ force: true });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/severity=High/);
    await page.reload();
    await expect(page.getByRole("checkbox", { name: "High", exact: true })).toBeChecked();
    await expect(page.getByTestId("summary-total")).toHaveText(new RegExp(`^${truthHigh.toLocaleString("en-US")} incidents?$`));
    const severities = await attributeOfRows(page, "data-severity");
    expect(severities.length).toBeGreaterThan(0);
    for (const value of severities) expect(value).toBe("High");
    // And a status chip on top: both hold for every row, or the empty state says nothing matches.
    await page.getByRole("checkbox", { name: "In progress" }).check({ force: true });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/status=InProgress/);
    const both = await attributeOfRows(page, "data-status");
    if (both.length === 0) await expect(page.getByRole("heading", { name: "No incidents match these filters" })).toBeVisible();
    for (const value of both) expect(value).toBe("InProgress");
    for (const value of await attributeOfRows(page, "data-severity")) expect(value).toBe("High");

    // Assigned to: Unassigned.
    await page.goto("/");
    await page.getByLabel("Assigned to").selectOption("unassigned");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/assigned=unassigned/);
    await page.reload();
    await expect(page.getByLabel("Assigned to")).toHaveValue("unassigned");
    await expect(rows(page).first()).toBeVisible();
    for (const text of await rows(page).locator("td:nth-child(7)").allInnerTexts()) expect(text).toBe("Unassigned");

    // Search by incident id → exactly that incident.
    await page.goto(`/?tenant=${TAILSPIN}`);
    const id = await rows(page).first().getAttribute("data-incident-id");
    await page.getByLabel("Search").fill(id!);
    await page.getByRole("button", { name: "Apply filters" }).click();
    // The form's GET navigation must have committed before the reload, or the reload races it.
    await expect(page).toHaveURL(new RegExp(`q=${id}`));
    await page.reload();
    await expect(page.getByLabel("Search")).toHaveValue(id!);
    expect(await attributeOfRows(page, "data-incident-id")).toEqual([id]);

    // Nothing matches → an empty state that offers to clear the filters.
    await page.goto("/?q=no-such-incident-anywhere-42");
    await expect(page.getByRole("heading", { name: "No incidents match these filters" })).toBeVisible();
    await page.getByRole("link", { name: "Clear filters" }).last().click();
    await expect(rows(page).first()).toBeVisible();
  });

  test("pages forward and back by cursor", async ({ page }) => {
    await signInAs(page, STAFF.reader.name, "/");
    await openQueue(page, OWN);
    const first = await attributeOfRows(page, "data-incident-id");
    await page.getByRole("link", { name: "Next →" }).click();
    await expect(page).toHaveURL(/after=/);
    const second = await attributeOfRows(page, "data-incident-id");
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    expect(second[0]).not.toBe(first[0]);
    await page.getByRole("link", { name: "← Previous" }).click();
    await expect(page).toHaveURL(/before=/);
    expect(await attributeOfRows(page, "data-incident-id")).toEqual(first);
  });

  test("the tenant picker finds a tenant by name and keeps the choice in the URL; its list needs a session and the portal's own page", async ({
    page,
    browser,
  }) => {
    await signInAs(page, STAFF.reader.name, "/");
    await openQueue(page, "", 2);

    // The page carries no tenant list: the picker fetches it when first opened, and the find box narrows it.
    await page.getByText("Tenants: All").click();
    await expect(page.getByRole("checkbox", { name: "Litware Legal", exact: true })).toBeVisible();
    await page.getByLabel("Find a tenant").fill("adatum");
    await expect(page.getByRole("checkbox", { name: "Litware Legal", exact: true })).toHaveCount(0);
    await page.getByRole("checkbox", { name: "Adatum Energy", exact: true }).check();
    await expect(page.getByText("Tenants: 1 selected")).toBeVisible();
    // Enter in the find box narrows; it does not submit the filter form.
    await page.getByLabel("Find a tenant").press("Enter");
    await expect(page.getByLabel("Find a tenant")).toHaveValue("adatum");
    expect(page.url()).not.toContain("tenant=");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(new RegExp(`tenant=${ADATUM}`));
    await page.reload();
    expect(new Set(await attributeOfRows(page, "data-tenant-id"))).toEqual(new Set([ADATUM]));

    // After the reload the choice is ticked before any list is fetched; unticking it shows all tenants again.
    await page.getByText("Tenants: 1 selected").click();
    await expect(page.getByRole("checkbox", { name: "Adatum Energy", exact: true })).toBeChecked();
    await page.getByRole("checkbox", { name: "Adatum Energy", exact: true }).uncheck();
    await expect(page.getByText("Tenants: All")).toBeVisible();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).not.toHaveURL(/tenant=/);

    // The list itself: signed-in staff of any role, asked by the portal's own pages only.
    const list = await page.request.get("/api/tenants/choices");
    expect(list.status()).toBe(200);
    expect(list.headers()["cache-control"]).toContain("no-store");
    const { tenants } = (await list.json()) as { tenants: { id: string; displayName: string }[] };
    expect(tenants).toContainEqual({ id: ADATUM, displayName: "Adatum Energy" });
    const crossSite = await page.request.get("/api/tenants/choices", { headers: { "sec-fetch-site": "cross-site" } });
    expect(crossSite.status()).toBe(403);
    expect(await crossSite.text()).not.toContain("Adatum Energy");
    const anonymous = await browser.newContext();
    expect((await anonymous.request.get(`${process.env.E2E_BASE_URL}/api/tenants/choices`)).status()).toBe(401);
    await anonymous.close();
  });

  test("the Tenants page finds a tenant by ID and narrows by status, both in the URL", async ({ page }) => {
    await signInAs(page, STAFF.reader.name, "/");
    await openQueue(page, `?tenant=${ADATUM}`);
    await page.goto("/tenants");
    const byStatus = page.getByRole("navigation", { name: "Tenants by status" });
    await expect(byStatus.getByRole("link", { name: /^All \d+/ })).toHaveAttribute("aria-current", "page");
    await page.getByLabel("Find a tenant").fill(ADATUM);
    await page.getByRole("button", { name: "Find", exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`q=${ADATUM}`));
    await expect(page.getByTestId("tenant-range")).toHaveText("Tenants 1–1 of 1");
    await expect(page.getByRole("link", { name: "Adatum Energy", exact: true })).toBeVisible();
    // Its status keeps the text: still the one tenant; the count on the status link is of every tenant.
    await page.getByTestId("tenant-status-active").click();
    await expect(page).toHaveURL(/status=active/);
    await expect(page).toHaveURL(new RegExp(`q=${ADATUM}`));
    await expect(page.getByTestId("tenant-status-active")).toHaveAttribute("aria-current", "page");
    await expect(page.getByTestId("tenant-range")).toHaveText("Tenants 1–1 of 1");
    await page.goto(`/tenants?q=${encodeURIComponent("no such customer")}`);
    await expect(page.getByRole("heading", { name: "No tenants match" })).toBeVisible();
  });

  test("exports the current filter as CSV (Readers may; no session may not)", async ({ page, browser }) => {
    await signInAs(page, STAFF.reader.name, "/");
    await openQueue(page, `?tenant=${ADATUM}`);
    const total = Number((await page.getByTestId("summary-total").innerText()).replace(/\D/g, ""));
    const response = await page.request.get(`/api/incidents/export?tenant=${ADATUM}`);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/csv");
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toContain("Tenant,Tenant ID,Incident ID,Incident name");
    expect(lines.length - 1).toBeGreaterThanOrEqual(total);
    expect(lines.slice(1).every((line) => line.startsWith("Adatum Energy,"))).toBe(true);

    const anonymous = await browser.newContext();
    expect((await anonymous.request.get(`${process.env.E2E_BASE_URL}/api/incidents/export`)).status()).toBe(401);
    await anonymous.close();
  });

  test("the incident page shows alerts, entities, comments and the raw record", async ({ page }) => {
    await signInAs(page, STAFF.reader.name, "/");
    await openQueue(page, `?tenant=${ADATUM}`);
    const row = rows(page).first();
    const id = await row.getAttribute("data-incident-id");
    await row.locator("td:nth-child(3) a").click();
    await expect(page).toHaveURL(`/incidents/${ADATUM}/${id}`);
    await expect(page.getByText(`Incident #${id}`)).toBeVisible();
    await expect(page.getByTestId("incident-alert").first()).toBeVisible();
    await expect(page.getByTestId("entity-group").first()).toBeVisible();
    // Graph's incidentWebUrl (the emulator's differs from the portal's fallback `/incidents/{id}` link).
    await expect(page.getByRole("link", { name: /Open in Microsoft Defender/ })).toHaveAttribute(
      "href",
      `https://security.microsoft.com/incident2/${id}/overview?tid=${ADATUM}`,
    );
    await page.getByText("Raw JSON from Defender").click();
    // The record as Microsoft Graph sent it.
    await expect(page.getByTestId("incident-raw-json")).toContainText(`"id": "${id}"`);

    await page.goto(`/incidents/${ADATUM}/1`);
    await expect(page.getByRole("heading", { name: "Incident not found" })).toBeVisible();
  });
});

test.describe("the incident page, as Microsoft has the incident", () => {
  type TruthAlert = { mitreTechniques?: string[]; devices?: { deviceDnsName?: string }[] };
  type Truth = { incidentId: number; tags?: string[]; comments?: { comment: string }[]; alerts?: TruthAlert[] };

  test("shows its MITRE techniques, devices, tags, comments and the age of the data", async ({ page }) => {
    const truth = (await emulatorIncidents(ADATUM)) as unknown as Truth[];
    // An incident whose alert names techniques and a device, given a tag and a comment of this test.
    const chosen = truth.find((i) => i.alerts?.some((a) => a.mitreTechniques?.length && a.devices?.some((d) => d.deviceDnsName)));
    expect(chosen, "an Adatum incident with MITRE techniques and a device").toBeDefined();
    const id = String(chosen!.incidentId);
    const alert = chosen!.alerts!.find((a) => a.mitreTechniques?.length && a.devices?.some((d) => d.deviceDnsName))!;
    const marker = `e2e-${Date.now().toString(36)}`;
    await emulatorControl("PATCH", `/tenants/${ADATUM}/incidents/${id}`, {
      tags: [...(chosen!.tags ?? []), `Tag ${marker}`],
      comments: [...(chosen!.comments ?? []), { comment: `Comment ${marker}`, createdBy: "someone@adatum.example", createdTime: new Date().toISOString() }],
    });
    await signInAs(page, STAFF.reader.name, "/");
    // The next poll brings the change; reload until it is there.
    await expect(async () => {
      await page.goto(`/incidents/${ADATUM}/${id}`);
      await expect(page.getByTestId("incident-comments")).toContainText(`Comment ${marker}`, { timeout: 1_000 });
    }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
    await expect(page.getByTestId("incident-tags")).toContainText(`Tag ${marker}`);
    const techniques = page.getByLabel("MITRE ATT&CK techniques").first();
    for (const technique of alert.mitreTechniques!)
      await expect(page.getByLabel("MITRE ATT&CK techniques").filter({ hasText: technique }).first()).toBeVisible();
    await expect(techniques).toBeVisible();
    const device = alert.devices!.find((d) => d.deviceDnsName)!.deviceDnsName!;
    await expect(page.getByLabel("Devices").filter({ hasText: device }).first()).toBeVisible();
    await expect(page.locator("main")).toContainText(/Synced (just now|\d+ (min|h|d) ago)/);
  });

  test("shows Graph's awaitingAction status, resolving comment and last changer", async ({ page }) => {
    // Litware's oldest incident (the other tests of this file change the newest ones), set through the emulator.
    const [oldest] = (await emulatorIncidents(LITWARE)).sort((a, b) => a.incidentId - b.incidentId);
    const id = String(oldest!.incidentId);
    const marker = `e2e-${Date.now().toString(36)}`;
    await emulatorControl("PATCH", `/tenants/${LITWARE}/incidents/${id}`, {
      status: "awaitingAction",
      resolvingComment: `Waiting for the customer ${marker}`,
      lastModifiedBy: `soc.lead.${marker}@litware.example`,
    });
    await signInAs(page, STAFF.reader.name, "/");
    await expect(async () => {
      await page.goto(`/incidents/${LITWARE}/${id}`);
      await expect(page.getByTestId("incident-summary")).toContainText(`Waiting for the customer ${marker}`, { timeout: 1_000 });
    }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
    await expect(page.getByTestId("incident-status")).toHaveText("Awaiting action");
    await expect(page.getByTestId("incident-summary")).toContainText(`Resolved with: Waiting for the customer ${marker}`);
    await expect(page.locator("main")).toContainText(`Last changed by`);
    await expect(page.locator("main")).toContainText(`soc.lead.${marker}@litware.example`);
  });
});

test.describe("records Microsoft sends that cannot be read", () => {
  test("are kept as sync issues and shown, as text, on the tenant page", async ({ page }) => {
    // New incidents, so the next poll has a page; Graph garbles one record of it.
    await emulatorControl("POST", `/tenants/${ADATUM}/incidents`, { count: 3 });
    await emulatorControl("POST", "/faults", { tenantId: ADATUM, route: "list", kind: "malformed-record", count: 1 });
    await signInAs(page, STAFF.reader.name, `/tenants/${ADATUM}`);
    const issues = page.getByText(/Records Microsoft sent that could not be read \(\d+\)/);
    try {
      await expect(async () => {
        await page.goto(`/tenants/${ADATUM}`);
        await expect(issues).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
    } finally {
      await emulatorControl("DELETE", `/faults?tenantId=${ADATUM}`);
    }
    await issues.click();
    // The garbled record as Microsoft sent it (its id "abc", its date "not-a-date"), and the sync went on.
    await expect(page.locator("details pre").filter({ hasText: "not-a-date" }).first()).toBeVisible();
    await expect(page.locator("main")).not.toContainText("An unexpected error stopped the sync");
  });
});

test.describe("incident actions", () => {
  test("assign to me and a status change reach Defender and show at once", async ({ page }) => {
    await signInAs(page, STAFF.analyst.name, "/");
    await openQueue(page, `?tenant=${TAILSPIN}&status=Active&assigned=unassigned`);
    const id = (await rows(page).first().getAttribute("data-incident-id"))!;
    await page.goto(`/incidents/${TAILSPIN}/${id}`);

    await page.getByRole("button", { name: "Assign to me" }).click();
    // The page changes only once Defender confirmed; then Defender itself must hold the change.
    await expect(page.getByTestId("incident-assigned")).toHaveText(ANALYST_USERNAME);
    await expect(page.getByTestId("action-result")).toContainText("Saved in Defender.");
    expect((await emulatorIncident(TAILSPIN, id)).assignedTo).toBe(ANALYST_USERNAME);

    await page.getByLabel("New status").selectOption("Resolved");
    await page.getByRole("button", { name: "Set status" }).click();
    await expect(page.getByTestId("incident-status")).toHaveText("Resolved");
    await expect(page.getByTestId("action-result")).toContainText("Saved in Defender.");
    expect((await emulatorIncident(TAILSPIN, id)).status).toBe("Resolved");

    // The queue reads the store, which the update refreshed without waiting for a sync.
    await page.goto(`/?q=${id}&tenant=${TAILSPIN}`);
    await expect(rows(page).filter({ hasText: ANALYST_USERNAME }).first()).toHaveAttribute("data-status", "Resolved");
  });

  test("tags and a comment reach Microsoft and show at once", async ({ page, browser }) => {
    await signInAs(page, STAFF.analyst.name, "/");
    await openQueue(page, `?tenant=${TAILSPIN}&sort=created&dir=asc`);
    const id = (await rows(page).first().getAttribute("data-incident-id"))!;
    await page.goto(`/incidents/${TAILSPIN}/${id}`);
    const marker = `e2e-${Date.now().toString(36)}`;

    await page.getByLabel("Tags, comma-separated").fill(`Phishing, Reviewed ${marker}`);
    await page.getByRole("button", { name: "Save tags" }).click();
    await expect(page.getByTestId("action-result")).toContainText("Saved in Defender.");
    await expect(page.getByTestId("incident-tags")).toContainText(`Reviewed ${marker}`);
    expect((await emulatorIncident(TAILSPIN, id)).tags).toEqual(["Phishing", `Reviewed ${marker}`]);

    await page.getByLabel("New comment").fill(`Checked with the customer ${marker} <b>not bold</b>`);
    await page.getByRole("button", { name: "Add comment" }).click();
    await expect(page.getByTestId("action-result")).toContainText("Saved in Defender.");
    await expect(page.getByTestId("incident-comments")).toContainText(`Checked with the customer ${marker} <b>not bold</b>`);
    const comments = (await emulatorIncident(TAILSPIN, id)).comments ?? [];
    expect(comments.map((c) => c.comment)).toContain(`Checked with the customer ${marker} <b>not bold</b>`);
    // The audit trail has both, by this analyst (an admin reads it, in a browser of their own).
    const adminContext = await browser.newContext();
    try {
      const admin = await adminContext.newPage();
      await signInAs(admin, STAFF.admin.name, `/audit?action=incident.update&tenant=${TAILSPIN}`);
      const audited = admin.getByTestId("audit-row").filter({ hasText: id }).filter({ hasText: STAFF.analyst.name });
      await expect(audited.first()).toBeVisible();
      expect(await audited.count()).toBeGreaterThanOrEqual(2); // the tags and the comment
    } finally {
      await adminContext.close();
    }
  });

  test("bulk status change across tenants reports each incident", async ({ page }) => {
    await signInAs(page, STAFF.analyst.name, "/");
    await openQueue(page, `?tenant=${LITWARE}&tenant=${ADATUM}&status=Active&sort=created`, 2);
    const picked: { tenant: string; id: string }[] = [];
    for (const tenant of [LITWARE, ADATUM]) {
      const row = rows(page)
        .and(page.locator(`[data-tenant-id="${tenant}"]`))
        .first();
      picked.push({ tenant, id: (await row.getAttribute("data-incident-id"))! });
      await row.getByRole("checkbox").check();
    }
    await expect(page.getByTestId("bulk-count")).toHaveText("2 selected");
    await page.getByLabel("Action").selectOption("status");
    await page.getByLabel("New status").selectOption("InProgress");
    await page.getByRole("button", { name: "Apply to selected" }).click();
    await expect(page.getByTestId("bulk-result")).toContainText("2 of 2 updated");
    for (const { tenant, id } of picked) expect((await emulatorIncident(tenant, id)).status).toBe("InProgress");
  });

  test("a Reader sees the actions disabled with the reason, and the server refuses a forged one", async ({ page }) => {
    await signInAs(page, STAFF.reader.name, "/");
    await openQueue(page, `?tenant=${TAILSPIN}&status=Active`);
    await expect(page.getByTestId("actions-disabled-reason")).toContainText("Portal.Analyst");
    await expect(page.getByRole("button", { name: "Apply to selected" })).toBeDisabled();

    const id = (await rows(page).first().getAttribute("data-incident-id"))!;
    const before = await emulatorIncident(TAILSPIN, id);
    await page.goto(`/incidents/${TAILSPIN}/${id}`);
    await expect(page.getByTestId("actions-disabled-reason")).toContainText("Read-only");
    await expect(page.getByRole("button", { name: "Assign to me" })).toBeDisabled();
    await expect(page.getByRole("button", { name: "Set status" })).toBeDisabled();

    // Forge: submit the status form anyway, which calls the server action directly.
    await page.locator('form[aria-label="Status"]').evaluate((form: HTMLFormElement) => form.requestSubmit());
    await expect(page.getByTestId("action-result")).toContainText("This needs the Portal.Analyst role.");
    expect((await emulatorIncident(TAILSPIN, id)).status).toBe(before.status);
  });
});

test.describe("service levels", () => {
  test("an overdue incident shows red and sorts first; the filter keeps only overdue ones; its page shows the timeline", async ({ page }) => {
    await signInAs(page, STAFF.analyst.name, "/");
    // Demo incidents are hours to days old, many still unassigned: their acknowledgement is overdue.
    await openQueue(page, `?tenant=${TAILSPIN}&tenant=${LITWARE}&sort=due`, 2);
    const first = rows(page).first().getByTestId("sla-cell");
    await expect(first).toHaveAttribute("data-sla-band", "overdue");
    await expect(first).toContainText(/overdue by/);
    // Red: the badge's "bad" tone (Tailwind's red palette; computed colours are lab(), not rgb()).
    await expect(first.locator("span").first()).toHaveClass(/\bbg-red-50\b/);

    await page.getByLabel("Service level").selectOption("overdue");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/sla=overdue/);
    const bands = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.querySelector("[data-sla-band]")?.getAttribute("data-sla-band")));
    expect(bands.length).toBeGreaterThan(0);
    for (const band of bands) expect(band).toBe("overdue");

    await rows(page).first().locator("td:nth-child(3) a").click();
    const panel = page.getByTestId("incident-sla");
    await expect(panel.getByRole("heading", { name: "Service level" })).toBeVisible();
    await expect(panel.locator("[data-timeline-kind=created]")).toContainText("Created");
    await expect(panel.locator("[data-timeline-kind=first_synced]")).toContainText("First synced");
    // Whichever clock made it sort first (acknowledge or resolve) is overdue on its page too.
    await expect(panel.getByText(/^Overdue by /).first()).toBeVisible();
  });

  test("an admin changes a customer's targets: its due times move at once, and the change is audited", async ({ page }) => {
    await signInAs(page, STAFF.admin.name, "/");
    await openQueue(page, `?tenant=${ADATUM}&sla=overdue`);
    const overdueBefore = await rows(page).count();
    expect(overdueBefore).toBeGreaterThan(0);
    try {
      await page.goto(`/settings/service-levels/${ADATUM}`);
      await expect(page.getByRole("heading", { name: `Service levels: ${INCIDENT_TENANTS.adatum.displayName}` })).toBeVisible();
      await page.getByLabel("High: acknowledge within").fill("soon");
      await page.getByRole("button", { name: "Save and recompute due times" }).click();
      // Next's route announcer is an alert too: take the form's own.
      await expect(page.getByRole("alert").filter({ hasText: "Please correct the highlighted fields" })).toBeVisible();
      await expect(page.getByText(/Write a time such as 15m/)).toBeVisible();
      for (const severity of ["High", "Medium", "Low", "Informational"]) {
        await page.getByLabel(`${severity}: acknowledge within`).fill("365d");
        await page.getByLabel(`${severity}: resolve within`).fill("365d");
      }
      await page.getByRole("button", { name: "Save and recompute due times" }).click();
      await expect(page.getByRole("status").filter({ hasText: /Saved\. Due times of \d+ open incidents? were computed again/ })).toBeVisible();
      await page.goto(`/?tenant=${ADATUM}&sla=overdue`);
      await expect(page.getByRole("heading", { name: "No incidents match these filters" })).toBeVisible();
      await page.goto("/audit?action=service_level.policy_changed");
      await expect(page.getByRole("table")).toContainText("Service-level policy changed");
      await expect(page.getByRole("table")).toContainText(STAFF.admin.name);
    } finally {
      // Back to the default (empty fields), so nothing else in this file sees the exception.
      await page.goto(`/settings/service-levels/${ADATUM}`);
      for (const severity of ["High", "Medium", "Low", "Informational"]) {
        await page.getByLabel(`${severity}: acknowledge within`).fill("");
        await page.getByLabel(`${severity}: resolve within`).fill("");
      }
      await page.getByRole("button", { name: "Save and recompute due times" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    }
    await page.goto(`/?tenant=${ADATUM}&sla=overdue`);
    await expect(rows(page)).toHaveCount(overdueBefore);
  });

  test("a Reader sees the policies read-only, with the reason", async ({ page }) => {
    await signInAs(page, STAFF.reader.name, "/settings/service-levels");
    await expect(page.getByRole("heading", { name: "Default policy" })).toBeVisible();
    await expect(page.getByText("Read-only: changing service levels needs the Portal.Admin role.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Save and recompute due times" })).toBeDisabled();
  });
});

test.describe("customer strings are inert text", () => {
  test("HTML and script in incident, alert and entity strings render literally and never run", async ({ page }) => {
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    // Litware's second-oldest incident, given hostile strings through the emulator: its name, an
    // alert title, and evidence (a URL and a user) that Graph sends in the alert's evidence[].
    type WithAlerts = TruthIncident & { alerts: { title: string; entities: Record<string, unknown>[] }[] };
    const chosen = ((await emulatorIncidents(LITWARE)) as WithAlerts[]).sort((a, b) => a.incidentId - b.incidentId)[1]!;
    const id = String(chosen.incidentId);
    const marker = Date.now().toString(36);
    const img = `<img src=x onerror=alert(1)>`;
    const script = `<script>alert('xss')</script>`;
    const [first, ...rest] = chosen.alerts;
    await emulatorControl("PATCH", `/tenants/${LITWARE}/incidents/${id}`, {
      incidentName: `Inert ${marker} ${script} file ${img} observed`,
      alerts: [
        {
          ...first!,
          title: `Inert ${marker} alert ${img} dropped`,
          entities: [
            ...first!.entities,
            { entityType: "Url", url: `https://inert-${marker}.example/${img}${script}`, verdict: "Suspicious" },
            { entityType: "User", accountName: `${img}${marker}`, domainName: "LITWARE", userPrincipalName: `${script}${marker}@litware.example` },
          ],
        },
        ...rest,
      ],
    });
    await signInAs(page, STAFF.reader.name, "/");
    // The next poll brings the change: the queue finds it by its name.
    await expect(async () => {
      await page.goto(`/?tenant=${LITWARE}&q=${encodeURIComponent(`Inert ${marker}`)}`);
      await expect(rows(page).first()).toContainText(`Inert ${marker} ${script} file ${img} observed`, { timeout: 1_000 });
    }).toPass({ timeout: 120_000, intervals: [2_000, 5_000] });
    await rows(page).first().locator("td:nth-child(3) a").click();
    await expect(page).toHaveURL(`/incidents/${LITWARE}/${id}`);
    await expect(page.getByTestId("incident-name")).toHaveText(`Inert ${marker} ${script} file ${img} observed`);
    await expect(
      page
        .getByTestId("incident-alert")
        .filter({ hasText: `Inert ${marker} alert ${img} dropped` })
        .first(),
    ).toBeVisible();
    await expect(page.getByTestId("entity-group").filter({ hasText: /^URL/ })).toContainText(`https://inert-${marker}.example/${img}${script}`);
    const users = page.getByTestId("entity-group").filter({ hasText: /^User/ });
    await expect(users).toContainText(`${img}${marker}`);
    await expect(users).toContainText(`${script}${marker}@litware.example`);
    // No element was created from customer text.
    await expect(page.locator("main img")).toHaveCount(0);
    await expect(page.locator("main script")).toHaveCount(0);
    expect(dialogs).toBe(0);
  });

  test("HTML in Graph's own fields (summary, description, Microsoft tags, comments) stays text", async ({ page }) => {
    let dialogs = 0;
    page.on("dialog", (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    await signInAs(page, STAFF.reader.name, "/");
    await openQueue(page, `?tenant=${LITWARE}`);
    const id = (await rows(page).first().getAttribute("data-incident-id"))!;
    const hostile = "<img src=x onerror=alert(7)><script>alert(8)</script>";
    await emulatorControl("PATCH", `/tenants/${LITWARE}/incidents/${id}`, {
      summary: `Summary ${hostile}`,
      description: `Description ${hostile}`,
      systemTags: [`Tag ${hostile}`],
      comments: [{ comment: `Comment ${hostile}`, createdBy: `<b>someone</b>`, createdTime: new Date().toISOString() }],
    });
    // The next poll (every 30 s) brings the change; reload until it is there.
    await expect(async () => {
      await page.goto(`/incidents/${LITWARE}/${id}`);
      await expect(page.getByTestId("incident-summary")).toContainText(`Summary ${hostile}`, { timeout: 1_000 });
    }).toPass({ timeout: 90_000, intervals: [2_000, 5_000] });
    await expect(page.getByTestId("incident-summary")).toContainText(`Description ${hostile}`);
    await expect(page.getByTestId("incident-system-tags")).toContainText(`Tag ${hostile}`);
    await expect(page.getByTestId("incident-comments")).toContainText(`Comment ${hostile}`);
    await expect(page.getByTestId("incident-comments")).toContainText("<b>someone</b>");
    await expect(page.locator("main img")).toHaveCount(0);
    await expect(page.locator("main script")).toHaveCount(0);
    await expect(page.locator("main b")).toHaveCount(0);
    expect(dialogs).toBe(0);
  });
});

test.describe("page views read the local store only", () => {
  type Metrics = { apiCalls: Record<string, Record<string, number>> };
  const liveCalls = (metrics: Metrics) =>
    Object.fromEntries(
      [TAILSPIN, LITWARE, ADATUM].map((id) => [id, Object.entries(metrics.apiCalls[id] ?? {}).filter(([kind]) => kind !== "graph.list" && kind !== "list")]),
    );
  const secrets: string[] = JSON.parse(process.env.E2E_PORTAL_SECRETS ?? "[]");
  // A JSON Web Token (an access or id token) has this shape; none may reach a page.
  const JWT = /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/;

  test("browsing calls Microsoft for nothing, and no page carries a secret or a token", async ({ page }) => {
    expect(secrets.length).toBe(2);
    await signInAs(page, STAFF.admin.name, "/");
    await openQueue(page, `?tenant=${ADATUM}`);
    const id = (await rows(page).first().getAttribute("data-incident-id"))!;
    const before = liveCalls(await emulatorControl<Metrics>("GET", "/metrics"));
    const pages = [
      `/${OWN}`,
      `/${OWN}&severity=high&sort=severity`,
      `/incidents/${ADATUM}/${id}`,
      "/tenants",
      `/tenants/${ADATUM}`,
      "/audit",
      "/staff",
      "/tenants/invitations/new",
      `/${OWN}&sort=due&sla=overdue`,
      "/settings/service-levels",
      `/settings/service-levels/${ADATUM}`,
      "/settings/notifications",
      "/overview",
    ];
    for (const url of pages) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      const html = await response!.text();
      for (const secret of secrets) expect(html.includes(secret), `${url} carries a secret`).toBe(false);
      expect(html, url).not.toMatch(JWT);
    }
    expect((await page.request.get(`/api/incidents/export?tenant=${ADATUM}`)).status()).toBe(200);
    // The background sync lists incidents on its own schedule; a page view never gets, patches or comments.
    expect(liveCalls(await emulatorControl<Metrics>("GET", "/metrics"))).toEqual(before);
  });

  test("the browser's bundle holds no secret and no server code", async () => {
    const root = path.join(process.cwd(), ".next/static");
    const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && /\.(js|css|json)$/.test(entry.name));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const text = readFileSync(path.join(file.parentPath, file.name), "utf8");
      for (const secret of secrets) expect(text.includes(secret), `${file.name} carries a secret`).toBe(false);
      for (const marker of ["acquireTokenByClientCredential", "BEGIN PRIVATE KEY", "pglite", "client_assertion"]) {
        expect(text.includes(marker), `${file.name} carries server code (${marker})`).toBe(false);
      }
    }
  });
});
