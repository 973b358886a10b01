// The body of one message for a channel kind (the formatters in channel-messages.ts).
import { emailMessage, slackMessage, teamsMessage, webhookBody, type MessageContext } from "./channel-messages";
import type { ChannelKind, ChannelSecret, EmailSettings } from "./channel-target";
import type { NotificationPayload } from "./notification-event";

/** A channel as delivery needs it: its secrets opened, in memory only. */
export type ChannelForSend = { id: string; kind: ChannelKind; secret: ChannelSecret; settings: EmailSettings | null };

export function channelMessageBody(kind: ChannelKind, payload: NotificationPayload, context: MessageContext): unknown {
  switch (kind) {
    case "teams":
      return teamsMessage(payload, context);
    case "slack":
      return slackMessage(payload, context);
    case "webhook":
      return webhookBody(payload, context);
    case "email":
      return emailMessage(payload, context);
  }
}
