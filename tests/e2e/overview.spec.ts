import { INCIDENT_TENANTS } from "./support/e2e-tenants";
import { STAFF, expect, signInAs, test, waitForFirstSync } from "./support/fixtures";

// Reads the tenants incidents.spec.ts works on (other files change their incidents meanwhile), so
// it checks what the page shows and that its parts agree, not exact counts (the integration test does).
const OWN = Object.values(INCIDENT_TENANTS).map((t) => t.id);
const ownQuery = OWN.map((id) => `tenant=${id}`).join("&");
const count = (text: string | null) => Number((text ?? "").replace(/[^\d]/g, ""));

test.describe("overview", () => {
  test("a Reader sees the figures as charts, each with its table, for the period and tenants in the URL", async ({ page }) => {
    await signInAs(page, STAFF.reader.name, "/overview");
    await waitForFirstSync(page, Object.values(INCIDENT_TENANTS));
    await page.goto(`/overview?days=90&${ownQuery}`);

    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
    const opened = count(await page.getByTestId("overview-opened").textContent());
    expect(opened).toBeGreaterThan(0);

    // The daily chart is one image with a summary, and its table holds the same numbers.
    const daily = page.getByTestId("overview-daily");
    await expect(daily.getByRole("img")).toHaveAttribute("aria-label", new RegExp(`${opened.toLocaleString("en-US")} opened`));
    await daily.getByText("Show as table").click();
    await expect(daily.getByRole("table").getByRole("row")).toHaveCount(1 + 90);
    const openedColumn = await daily
      .locator("tbody tr")
      .evaluateAll((rows) => rows.map((row) => Number(row.querySelectorAll("td")[5]?.textContent?.replace(/,/g, ""))));
    expect(openedColumn.reduce((a, b) => a + b, 0)).toBe(opened);

    const backlog = page.getByTestId("overview-backlog");
    await backlog.getByText("Show as table").click();
    await expect(backlog.getByRole("table").getByRole("row")).toHaveCount(1 + 90);

    // One row per chosen customer; the top lists stream in after the rest.
    await expect(page.getByTestId("overview-customers").locator("tbody tr")).toHaveCount(OWN.length);
    await expect(page.getByRole("heading", { name: "Top alert categories" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Top MITRE ATT&CK techniques" })).toBeVisible();

    // The period is chosen with a plain form; the tenants stay in the URL.
    await page.locator("select[name=days]").selectOption("7");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/days=7/);
    expect(new URL(page.url()).searchParams.getAll("tenant").sort()).toEqual([...OWN].sort());
    await expect(page.locator("select[name=days]")).toHaveValue("7");
    await expect(page.getByTestId("overview-opened")).toBeVisible();
  });
});
