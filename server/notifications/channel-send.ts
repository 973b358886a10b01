// Sends one message to one channel, with a timeout, and says how it went in words that never hold
// the channel's secrets (the webhook URL is one). Redirects are not followed: a webhook answers
// itself or fails.
import nodemailer from "nodemailer";
import { errorMessage } from "../../lib/errors";
import { channelMessageBody, type ChannelForSend } from "./channel-body";
import { checkEmailSettings, checkWebhookUrl } from "./channel-target";
import type { MessageContext } from "./channel-messages";
import type { NotificationPayload } from "./notification-event";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from "./webhook-signature";

export type SendOutcome = { ok: true; status: number | null } | { ok: false; error: string; status: number | null; retryAfterMs: number | null };

export type SendOptions = { timeoutMs: number; allowLoopbackHttp: boolean; now: Date };

function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** Network errors in words without the URL: the cause's code (ECONNREFUSED, ENOTFOUND …) is enough. */
function networkWords(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const code = cause && typeof cause.code === "string" ? cause.code : null;
  return code ? `connection failed (${code})` : "connection failed";
}

export async function sendToChannel(
  channel: ChannelForSend,
  payload: NotificationPayload,
  context: MessageContext,
  options: SendOptions,
): Promise<SendOutcome> {
  if (channel.kind === "email") return sendEmail(channel, payload, context, options);
  const secret = channel.secret as { url?: string; signingSecret?: string };
  let url: URL;
  try {
    url = checkWebhookUrl(secret.url ?? "", options);
  } catch (error) {
    return { ok: false, error: errorMessage(error), status: null, retryAfterMs: null };
  }
  const body = JSON.stringify(channelMessageBody(channel.kind, payload, context));
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "user-agent": "mssp-defender-portal-notifications/1",
    "x-portal-delivery": context.deliveryId,
  };
  if (channel.kind === "webhook") {
    const timestamp = Math.floor(options.now.getTime() / 1000);
    headers[TIMESTAMP_HEADER.toLowerCase()] = String(timestamp);
    headers[SIGNATURE_HEADER.toLowerCase()] = signWebhookBody(secret.signingSecret ?? "", timestamp, body);
  }
  try {
    const response = await fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(options.timeoutMs) });
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return {
      ok: false,
      error: `the channel answered HTTP ${response.status}`,
      status: response.status,
      retryAfterMs: retryAfterMs(response.headers.get("retry-after"), options.now),
    };
  } catch (error) {
    return { ok: false, error: networkWords(error, options.timeoutMs), status: null, retryAfterMs: null };
  }
}

async function sendEmail(channel: ChannelForSend, payload: NotificationPayload, context: MessageContext, options: SendOptions): Promise<SendOutcome> {
  const settings = channel.settings;
  if (!settings) return { ok: false, error: "the email channel has no settings", status: null, retryAfterMs: null };
  try {
    checkEmailSettings(settings, options);
  } catch (error) {
    return { ok: false, error: errorMessage(error), status: null, retryAfterMs: null };
  }
  const password = (channel.secret as { password?: string | null }).password ?? null;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === "tls",
    requireTLS: settings.security === "starttls",
    ignoreTLS: settings.security === "none",
    auth: settings.username ? { user: settings.username, pass: password ?? "" } : undefined,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    logger: false,
  });
  const message = channelMessageBody("email", payload, context) as { subject: string; text: string; html: string };
  try {
    await transport.sendMail({
      from: settings.from,
      to: settings.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: { "X-Portal-Delivery": context.deliveryId },
    });
    return { ok: true, status: null };
  } catch (error) {
    const code = (error as { responseCode?: unknown }).responseCode;
    const smtpCode = typeof code === "number" ? code : null;
    const words = smtpCode ? `the mail server answered ${smtpCode}` : networkWords(error, options.timeoutMs);
    return { ok: false, error: words, status: smtpCode, retryAfterMs: null };
  } finally {
    transport.close();
  }
}
