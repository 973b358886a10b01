import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { sendToChannel } from "@/server/notifications/channel-send";
import type { NotificationPayload } from "@/server/notifications/notification-event";
import { control, startTestEmulator } from "../support/test-emulator";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const payload: NotificationPayload = {
  kind: "new_incident",
  tenantId: CONTOSO,
  tenantName: "Contoso Manufacturing",
  incidentId: "42",
  incidentName: "Phishing <img src=x onerror=alert(1)>",
  severity: "High",
  status: "Active",
  assignedTo: null,
  classification: null,
  determination: null,
  lastUpdateTime: "2026-12-02T07:00:00.000Z",
  previous: null,
  changedFields: [],
  dueAt: null,
  detectedAt: "2026-12-02T07:00:01.000Z",
  ruleName: "Demo",
};
const context = { portalUrl: "http://localhost:3000", deliveryId: "d-1", msspName: "Northwind Cyber Defense" };
const options = { timeoutMs: 5_000, allowLoopbackHttp: true, now: new Date() };

describe("demo mode's notification sink", () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startTestEmulator({ notificationSink: { smtpPort: 0 } });
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it("receives webhooks and mail from the portal's channels and lists them, as text", async () => {
    const sink = emulator.sinkUrl!;
    expect(await sendToChannel({ id: "t", kind: "teams", secret: { url: `${sink}/teams` }, settings: null }, payload, context, options)).toEqual({
      ok: true,
      status: 200,
    });
    expect(
      await sendToChannel(
        {
          id: "m",
          kind: "email",
          secret: { password: null },
          settings: { host: "127.0.0.1", port: emulator.sinkSmtpPort!, security: "none", username: null, from: "portal@example.com", to: ["soc@example.com"] },
        },
        payload,
        context,
        options,
      ),
    ).toEqual({ ok: true, status: null });
    const arrivals = (await (await fetch(`${sink}/messages`)).json()) as { channel: string; title: string }[];
    expect(arrivals.map((a) => [a.channel, a.title])).toEqual([
      ["email", "New incident: Phishing <img src=x onerror=alert(1)> (High)"],
      ["teams", "New incident: Phishing <img src=x onerror=alert(1)> (High)"],
    ]);
    const page = await (await fetch(sink)).text();
    expect(page).toContain("Phishing &lt;img src=x onerror=alert(1)&gt;");
    expect(page).not.toContain("<img");
  });

  it("creates a High incident in a consented customer from its page", async () => {
    await control(emulator, "POST", `/tenants/${CONTOSO}/consent`, {});
    const before = (await control<unknown[]>(emulator, "GET", `/tenants/${CONTOSO}/incidents`)).length;
    const response = await fetch(`${emulator.sinkUrl}/incident`, {
      method: "POST",
      body: new URLSearchParams({ tenantId: CONTOSO }),
      redirect: "manual",
    });
    expect(response.status).toBe(302);
    const after = await control<{ severity: string }[]>(emulator, "GET", `/tenants/${CONTOSO}/incidents`);
    expect(after.length).toBe(before + 1);
  });
});
