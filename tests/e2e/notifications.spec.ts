import { request } from "@playwright/test";
import { NOTIFICATION_TENANTS } from "./support/e2e-tenants";
import { STAFF, emulatorControl, expect, signInAs, test, waitForFirstSync } from "./support/fixtures";

// Onboarded by global setup for this file alone. The emulator's notification sink (demo mode's)
// receives what the portal sends: GET /sink/messages lists it as JSON, GET /sink as a page.
const TENANT = NOTIFICATION_TENANTS.notify;
const sinkUrl = () => `${process.env.E2E_EMULATOR_BROWSER_URL}/sink`;

type Arrival = { channel: string; title: string; headers: Record<string, string>; body: string };
type Metrics = { apiCalls: Record<string, Record<string, number>> };

/** The portal's Graph list calls for the tenant so far (each sync round makes at least one). */
async function listCalls(): Promise<number> {
  return (await emulatorControl<Metrics>("GET", "/metrics")).apiCalls[TENANT.id]?.["graph.list"] ?? 0;
}

async function sinkArrivals(): Promise<Arrival[]> {
  const context = await request.newContext();
  try {
    const response = await context.get(`${sinkUrl()}/messages`);
    expect(response.ok()).toBe(true);
    return (await response.json()) as Arrival[];
  } finally {
    await context.dispose();
  }
}

test.describe("notifications", () => {
  test("an admin adds a channel and a rule; a High incident created in Defender arrives at the sink, once", async ({ page }) => {
    // Waits below: the first sync (150 s), the arrival (150 s), two more sync rounds (150 s), plus the pages.
    test.setTimeout(600_000);
    const marker = `e2e-${Date.now().toString(36)}`;
    await signInAs(page, STAFF.admin.name, "/settings/notifications");
    await page.goto("/settings/notifications");
    await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();

    // A channel: Slack's incoming webhook, here the sink's.
    const channelName = `Slack ${marker}`;
    const channelForm = page.getByRole("form", { name: "Add a channel" });
    await channelForm.getByRole("combobox", { name: "Kind", exact: true }).selectOption("slack");
    await channelForm.getByRole("textbox", { name: "Name", exact: true }).fill(channelName);
    await channelForm.getByLabel("Webhook URL").fill(`${sinkUrl()}/slack`);
    await channelForm.getByRole("button", { name: "Add channel" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Channel added." })).toBeVisible();
    const channelRow = page.getByTestId("notification-channels").getByRole("row").filter({ hasText: channelName });
    // Shown masked: the path (a real Slack URL's secret) is not on the page.
    await expect(channelRow).toContainText("…lack");
    await expect(channelRow).not.toContainText("/sink/slack");

    // Send test reaches the sink now.
    await channelRow.getByRole("button", { name: "Send test" }).click();
    await expect(channelRow.getByTestId("channel-test-result")).toHaveText("Sent: check the channel.");
    expect((await sinkArrivals()).some((a) => a.channel === "slack" && a.title.includes("Test message from the portal"))).toBe(true);

    // A rule: this tenant's High incidents, new ones, to that channel.
    const ruleName = `High ${marker}`;
    const ruleForm = page.getByRole("form", { name: "Add a rule" });
    await ruleForm.getByRole("textbox", { name: "Name", exact: true }).fill(ruleName);
    await ruleForm.getByRole("combobox", { name: "Severity", exact: true }).selectOption("4");
    await ruleForm.getByRole("checkbox", { name: channelName }).check();
    await ruleForm.getByRole("checkbox", { name: TENANT.displayName }).check();
    await ruleForm.getByRole("button", { name: "Add rule" }).click();
    await expect(page.getByTestId("notification-rules").getByRole("row").filter({ hasText: ruleName })).toContainText(TENANT.displayName);

    // The tenant's history (its first backfill) is not news; an incident created after it is.
    await waitForFirstSync(page, [TENANT]);
    const incidentName = `Ransomware on FS01 <b>${marker}</b>`;
    const [created] = await emulatorControl<{ incidentId: number }[]>("POST", `/tenants/${TENANT.id}/incidents`, {
      incident: { severity: "High", incidentName },
    });
    await expect(async () => {
      const arrived = (await sinkArrivals()).filter((a) => a.channel === "slack" && a.title.includes(marker));
      expect(arrived).toHaveLength(1);
      expect(arrived[0]!.title).toBe(`New incident: ${incidentName} (High)`);
      expect(arrived[0]!.body).toContain(`/incidents/${TENANT.id}/${created!.incidentId}|Open in the portal`);
    }).toPass({ timeout: 150_000, intervals: [2_000, 3_000] });

    // The sink's page shows it (as text), and the portal's delivery log says it was delivered.
    await page.goto(sinkUrl());
    await expect(page.getByRole("heading", { name: `New incident: ${incidentName} (High)` })).toBeVisible();
    await page.goto("/settings/notifications");
    const logged = page.getByTestId("notification-deliveries").getByRole("row").filter({ hasText: marker }).filter({ hasText: "New incident" });
    await expect(logged).toContainText("Delivered");
    await expect(logged).toContainText(channelName);
    // Still once, after further sync rounds: the tenant's rounds run one after another, so a second
    // list call after this point means a whole round began and ended after the delivery (and the
    // delivery loop ran in the poll interval between them).
    const callsAfterDelivery = await listCalls();
    await expect(async () => expect(await listCalls()).toBeGreaterThanOrEqual(callsAfterDelivery + 2)).toPass({
      timeout: 150_000,
      intervals: [2_000, 5_000],
    });
    expect((await sinkArrivals()).filter((a) => a.channel === "slack" && a.title.includes(marker))).toHaveLength(1);
  });

  test("a reader sees channels and rules but may not change them or send a test", async ({ page }) => {
    await signInAs(page, STAFF.reader.name, "/settings/notifications");
    await page.goto("/settings/notifications");
    await expect(page.getByTestId("notifications-disabled-reason")).toHaveText("Read-only: changing notification channels needs the Portal.Admin role.");
    for (const button of await page.getByRole("button", { name: "Send test" }).all()) await expect(button).toBeDisabled();
    await expect(page.getByRole("button", { name: "Add channel" })).toBeDisabled();
  });
});
