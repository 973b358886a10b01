import { INDICATOR_TENANTS } from "./support/e2e-tenants";
import { STAFF, emulatorControl, escapeRegExp, expect, signInAs, test, waitForFirstSync } from "./support/fixtures";

// The same attacker at two customers: an incident in each with one public IP. The Indicators page
// lists it, its link opens the queue filtered to it (a removable chip), and each incident's page
// says where else it was seen. Tenants of its own (e2e-tenants.ts); other specs never touch them.
const { first: FIRST, second: SECOND } = INDICATOR_TENANTS;
const SHARED_IP = "203.0.113.201";

type StoredIncident = { incidentId: number; alerts: Record<string, unknown>[] };

async function addIncidentWithIp(tenantId: string, incidentName: string): Promise<number> {
  const [template] = await emulatorControl<StoredIncident[]>("GET", `/tenants/${tenantId}/incidents?view=stored`);
  const alert = template!.alerts[0]!;
  const now = new Date().toISOString();
  const [created] = await emulatorControl<{ incidentId: number }[]>("POST", `/tenants/${tenantId}/incidents`, {
    incident: {
      incidentName,
      severity: "High",
      alerts: [
        {
          ...alert,
          alertId: `${String(alert.alertId)}-shared`,
          firstActivity: now,
          lastActivity: now,
          devices: [],
          entities: [{ entityType: "Ip", ipAddress: SHARED_IP, verdict: "Malicious" }],
        },
      ],
    },
  });
  return created!.incidentId;
}

test.describe("cross-tenant indicators", () => {
  test("a shared IP is listed with both customers, opens the filtered queue, and each incident says where else it was seen", async ({ page }) => {
    await signInAs(page, STAFF.reader.name, "/indicators");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Indicators" })).toHaveAttribute("aria-current", "page");
    await waitForFirstSync(page, [FIRST, SECOND]);
    const firstName = `Beacon to C2 <i>${FIRST.displayName}</i>`;
    const secondName = `Beacon to C2 <i>${SECOND.displayName}</i>`;
    const firstId = await addIncidentWithIp(FIRST.id, firstName);
    const secondId = await addIncidentWithIp(SECOND.id, secondName);

    const row = page.getByTestId("indicator-table").getByRole("row").filter({ hasText: SHARED_IP });
    await expect(async () => {
      await page.goto(`/indicators?period=7&type=ip&q=${SHARED_IP}`);
      await expect(row).toHaveCount(1, { timeout: 1_000 });
    }).toPass({ timeout: 150_000, intervals: [2_000, 3_000] });
    await expect(row).toContainText("IP address");
    await expect(row).toContainText(FIRST.displayName);
    await expect(row).toContainText(SECOND.displayName);
    await expect(row.getByRole("cell").nth(2)).toContainText(/^2/);
    await expect(row).toContainText("High");
    // Sorting and the period stay in the URL.
    await page.getByRole("link", { name: "Customers", exact: true }).click();
    await expect(page).toHaveURL(/sort=tenants/);
    await expect(page).toHaveURL(/period=7/);

    // The value opens the queue filtered to incidents with it, as a chip that can be removed.
    await row.getByRole("link", { name: SHARED_IP }).click();
    await expect(page).toHaveURL(new RegExp(`indicator=ip%3A${escapeRegExp(SHARED_IP)}`));
    await expect(page.getByTestId("indicator-chip")).toContainText(SHARED_IP);
    const queue = page.getByRole("table");
    await expect(queue.getByRole("link", { name: firstName })).toBeVisible();
    await expect(queue.getByRole("link", { name: secondName })).toBeVisible();
    await expect(queue.locator("tbody tr")).toHaveCount(2);

    // The incident page: "also seen in 1 other customer", linking to the other incident (names as text).
    await queue.getByRole("link", { name: firstName }).click();
    await expect(page).toHaveURL(new RegExp(`/incidents/${FIRST.id}/${firstId}`));
    const shared = page.getByTestId("incident-indicator").filter({ hasText: SHARED_IP });
    await expect(shared).toContainText("Also seen in 1 other customer");
    const other = shared.getByRole("link", { name: new RegExp(escapeRegExp(`${SECOND.displayName} · #${secondId}`)) });
    await expect(other).toContainText(secondName);
    await other.click();
    await expect(page).toHaveURL(new RegExp(`/incidents/${SECOND.id}/${secondId}`));
    await expect(page.getByTestId("incident-indicator").filter({ hasText: SHARED_IP })).toContainText("Also seen in 1 other customer");

    // Removing the chip returns to the whole queue.
    await page.goto(`/?indicator=ip:${SHARED_IP}`);
    await page.getByRole("link", { name: `Remove the indicator filter ${SHARED_IP}` }).click();
    await expect(page).not.toHaveURL(/indicator=/);
    await expect(page.getByTestId("indicator-chip")).toHaveCount(0);
  });

  test("the CSV download is refused from another site and carries the page's filter", async ({ page }) => {
    await signInAs(page, STAFF.reader.name, "/indicators");
    const forged = await page.request.get(`/api/indicators/export?period=90`, { headers: { "sec-fetch-site": "cross-site" } });
    expect(forged.status()).toBe(403);
    const csv = await page.request.get(`/api/indicators/export?period=90&type=ip&q=${SHARED_IP}`, { headers: { "sec-fetch-site": "same-origin" } });
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect((await csv.text()).split("\r\n")[0]).toBe("Type,Indicator,Customers,Customer names,Incidents,First seen,Last seen,Highest severity");
  });
});
