import { describe, expect, it } from "vitest";
import { emailMessage, escapeSlack, escapeTeamsMarkdown, slackMessage, teamsMessage, webhookBody } from "@/server/notifications/channel-messages";
import type { NotificationPayload } from "@/server/notifications/notification-event";

const hostile = `<script>alert(1)</script> <!channel> <https://evil.example|Click> [x](https://evil.example) **bold**\r\nBcc: victim@example.com`;
const payload: NotificationPayload = {
  kind: "severity_raised",
  tenantId: "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61",
  tenantName: `Contoso & <Sons>`,
  incidentId: "4711",
  incidentName: hostile,
  severity: "High",
  status: "Active",
  assignedTo: "<@U123>",
  classification: null,
  determination: null,
  lastUpdateTime: "2026-12-02T07:00:00.000Z",
  previous: { severity: "Low", status: "Active", assignedTo: null, classification: null, determination: null },
  changedFields: ["severity"],
  dueAt: null,
  detectedAt: "2026-12-02T07:00:01.000Z",
  ruleName: "High to SOC",
};
const context = { portalUrl: "https://portal.example.com/", deliveryId: "d-1", msspName: "Northwind <Cyber>" };
const link = "https://portal.example.com/incidents/0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61/4711";

describe("channel messages", () => {
  it("Slack: customer strings cannot mention, link or break out of mrkdwn", () => {
    expect(escapeSlack("<!here> & <@U1>")).toBe("&lt;!here&gt; &amp; &lt;@U1&gt;");
    const message = slackMessage(payload, context) as { text: string; blocks: { type: string; fields?: { type: string; text: string }[] }[] };
    const mrkdwn = [message.text, ...message.blocks.flatMap((b) => (b.fields ?? []).map((f) => f.text))].join("\n");
    expect(mrkdwn).not.toMatch(/<!channel>|<@U123>|<https:\/\/evil/);
    expect(mrkdwn).toContain("&lt;!channel&gt;");
    expect(message.text).toContain(`<${link}|Open in the portal>`);
    expect(mrkdwn).toContain("Low → High");
  });

  it("Teams: an Adaptive Card whose text cannot format or link, with the incident's page as its action", () => {
    expect(escapeTeamsMarkdown("[x](y) **b**")).toBe("\\[x\\]\\(y\\) \\*\\*b\\*\\*");
    expect(escapeTeamsMarkdown("- not a list\n1. nor this, 2026-12-02")).toBe("\\- not a list\n1\\. nor this, 2026-12-02");
    const card = teamsMessage(payload, context) as {
      attachments: { contentType: string; content: { type: string; body: { text?: string; facts?: { value: string }[] }[]; actions: { url: string }[] } }[];
    };
    const content = card.attachments[0]!.content;
    expect([card.attachments[0]!.contentType, content.type, content.actions[0]!.url]).toEqual([
      "application/vnd.microsoft.card.adaptive",
      "AdaptiveCard",
      link,
    ]);
    const texts = content.body.flatMap((b) => [b.text ?? "", ...(b.facts ?? []).map((f) => f.value)]).join("\n");
    expect(texts).not.toContain("[x](https://evil.example)");
    expect(texts).toContain("\\[x\\]\\(https://evil.example\\)");
  });

  it("email: HTML escapes every customer string, the subject stays one line", () => {
    const mail = emailMessage(payload, context);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mail.html).toContain("Contoso &amp; &lt;Sons&gt;");
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.text).toContain(`Open in the portal: ${link}`);
  });

  it("JSON webhook: the documented schema with the raw strings (JSON is its own escaping)", () => {
    const body = webhookBody(payload, context);
    expect(body).toMatchObject({
      schema: "mssp-portal.notification/v1",
      id: "d-1",
      event: "incident.severity_raised",
      tenant: { id: payload.tenantId, name: "Contoso & <Sons>" },
      incident: { id: "4711", name: hostile, severity: "High", url: link },
      previous: { severity: "Low" },
      rule: { name: "High to SOC" },
      sla: null,
    });
  });
});
