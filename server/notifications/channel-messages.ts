// What each channel receives for one event. Every string from a customer's tenant (incident name,
// assignee, the tenant's display name) is treated as text in the channel's own markup: Slack's
// control characters are escaped (no @channel, no forged links), Teams' markdown is escaped, the
// email's HTML is escaped. Pure: unit tests check the escaping.
import { EVENT_LABEL, EVENT_WIRE_NAME, incidentUrl, type NotificationPayload } from "./notification-event";

export type MessageContext = { portalUrl: string; deliveryId: string; msspName: string };

export type Fact = { label: string; value: string };

const FIELD_LABEL: Record<string, string> = {
  status: "Status",
  assignedTo: "Assigned to",
  classification: "Classification",
  determination: "Determination",
  severity: "Severity",
};

function shown(value: string | null): string {
  return value === null || value === "" ? "—" : value;
}

/** One line naming the event and the incident: the message's title and the email's subject. */
export function messageTitle(payload: NotificationPayload): string {
  // One line, whatever the customer's incident name holds.
  const name = payload.incidentName.replace(/[\r\n\t]+/g, " ").slice(0, 200);
  return payload.kind === "test" ? `Test message from the portal` : `${EVENT_LABEL[payload.kind]}: ${name} (${payload.severity})`;
}

export function messageFacts(payload: NotificationPayload): Fact[] {
  if (payload.kind === "test") return [{ label: "Channel check", value: "If you can read this, the channel works." }];
  const facts: Fact[] = [
    { label: "Customer", value: payload.tenantName },
    { label: "Incident", value: `#${payload.incidentId} ${payload.incidentName}` },
    {
      label: "Severity",
      value: payload.previous && payload.previous.severity !== payload.severity ? `${payload.previous.severity} → ${payload.severity}` : payload.severity,
    },
    {
      label: "Status",
      value: payload.previous && payload.previous.status !== payload.status ? `${payload.previous.status} → ${payload.status}` : payload.status,
    },
    { label: "Assigned to", value: shown(payload.assignedTo) },
  ];
  if (payload.dueAt) facts.push({ label: payload.kind === "sla_breached" ? "Was due" : "Due", value: `${payload.dueAt.replace("T", " ").slice(0, 16)} UTC` });
  if (payload.kind === "changed_outside" && payload.changedFields.length > 0) {
    facts.push({ label: "Changed", value: payload.changedFields.map((field) => FIELD_LABEL[field] ?? field).join(", ") });
  }
  return facts;
}

/** Slack's mrkdwn: &, < and > are its control characters; escaped, a customer string cannot mention or link. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Teams' markdown in Adaptive Card text (bold, italic, links, lists): backslash-escape what formats
 * or links, and a line start that would make a list, so a customer string shows as typed.
 */
export function escapeTeamsMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]()~]/g, (ch) => `\\${ch}`)
    .replace(/^(\s*)(?:([-+])|(\d+)\.)(?=\s)/gm, (_, space: string, sign: string | undefined, digits: string | undefined) =>
      sign ? `${space}\\${sign}` : `${space}${digits}\\.`,
    );
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function linkFor(payload: NotificationPayload, context: MessageContext): string {
  return payload.kind === "test" ? context.portalUrl : incidentUrl(context.portalUrl, payload);
}

/** Microsoft Teams (a Workflows "post to a channel when a webhook request is received" URL): an Adaptive Card. */
export function teamsMessage(payload: NotificationPayload, context: MessageContext): unknown {
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          body: [
            { type: "TextBlock", text: escapeTeamsMarkdown(messageTitle(payload)), weight: "Bolder", size: "Medium", wrap: true },
            { type: "FactSet", facts: messageFacts(payload).map((fact) => ({ title: fact.label, value: escapeTeamsMarkdown(fact.value) })) },
          ],
          actions: [{ type: "Action.OpenUrl", title: payload.kind === "test" ? "Open the portal" : "Open in the portal", url: linkFor(payload, context) }],
        },
      },
    ],
  };
}

/** Slack (an incoming webhook): a plain-text fallback and blocks. */
export function slackMessage(payload: NotificationPayload, context: MessageContext): unknown {
  const title = messageTitle(payload);
  const link = linkFor(payload, context);
  return {
    text: `${escapeSlack(title)} <${link}|Open in the portal>`,
    blocks: [
      { type: "header", text: { type: "plain_text", text: title.slice(0, 150), emoji: false } },
      {
        type: "section",
        fields: messageFacts(payload)
          .slice(0, 10)
          .map((fact) => ({ type: "mrkdwn", text: `*${fact.label}*\n${escapeSlack(fact.value)}` })),
      },
      { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open in the portal" }, url: link }] },
    ],
  };
}

/** The generic webhook's body (schema "mssp-portal.notification/v1", README: Notifications). */
export function webhookBody(payload: NotificationPayload, context: MessageContext): Record<string, unknown> {
  return {
    schema: "mssp-portal.notification/v1",
    id: context.deliveryId,
    event: EVENT_WIRE_NAME[payload.kind],
    detectedAt: payload.detectedAt,
    tenant: { id: payload.tenantId, name: payload.tenantName },
    incident:
      payload.kind === "test"
        ? null
        : {
            id: payload.incidentId,
            name: payload.incidentName,
            severity: payload.severity,
            status: payload.status,
            assignedTo: payload.assignedTo,
            classification: payload.classification,
            determination: payload.determination,
            lastUpdateTime: payload.lastUpdateTime,
            url: incidentUrl(context.portalUrl, payload),
          },
    previous: payload.previous,
    changedFields: payload.changedFields,
    sla: payload.dueAt ? { dueAt: payload.dueAt } : null,
    rule: payload.ruleName === null ? null : { name: payload.ruleName },
  };
}

/** Email: a text part and an HTML part with every customer string escaped. */
export function emailMessage(payload: NotificationPayload, context: MessageContext): { subject: string; text: string; html: string } {
  const title = messageTitle(payload);
  const link = linkFor(payload, context);
  const facts = messageFacts(payload);
  const text = [title, "", ...facts.map((fact) => `${fact.label}: ${fact.value}`), "", `Open in the portal: ${link}`, "", `— ${context.msspName}`].join("\n");
  const rows = facts
    .map((fact) => `<tr><th align="left" style="padding:2px 12px 2px 0">${escapeHtml(fact.label)}</th><td>${escapeHtml(fact.value)}</td></tr>`)
    .join("");
  const html =
    `<!doctype html><html><body style="font-family:sans-serif">` +
    `<h2 style="font-size:16px">${escapeHtml(title)}</h2><table>${rows}</table>` +
    `<p><a href="${escapeHtml(link)}">Open in the portal</a></p><p style="color:#666">${escapeHtml(context.msspName)}</p></body></html>`;
  return { subject: title.slice(0, 250), text, html };
}
