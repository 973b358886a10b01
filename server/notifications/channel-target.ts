// Where a channel may send, and what staff see of it. Webhook URLs carry their own credentials
// (Slack's and Teams' URLs are the secret), so they are sealed at rest and shown masked; only
// https:// is accepted, except plain http to this machine in demo mode (its local sink).
import { UserFacingError } from "../../lib/errors";

export type ChannelKind = "teams" | "slack" | "webhook" | "email";

export const CHANNEL_KIND_LABEL: Record<ChannelKind, string> = {
  teams: "Microsoft Teams",
  slack: "Slack",
  webhook: "JSON webhook (signed)",
  email: "Email (SMTP)",
};

/** Sealed at rest: a webhook's URL (and the JSON webhook's signing secret), or the SMTP password. */
export type ChannelSecret = { url: string; signingSecret?: string } | { password: string | null };

export type EmailSecurity = "tls" | "starttls" | "none";
export type EmailSettings = { host: string; port: number; security: EmailSecurity; username: string | null; from: string; to: string[] };

export class ChannelTargetRefused extends UserFacingError {
  constructor(message: string) {
    super(message, "ChannelTargetRefused");
  }
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** A webhook URL the portal may call; throws words for the admin otherwise. */
export function checkWebhookUrl(raw: string, options: { allowLoopbackHttp: boolean }): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ChannelTargetRefused("The webhook URL is not a URL.");
  }
  if (url.username || url.password) throw new ChannelTargetRefused("The webhook URL must not hold a user name or password.");
  if (url.protocol === "https:") {
    if (isLoopbackHost(url.hostname) && !options.allowLoopbackHttp)
      throw new ChannelTargetRefused("The webhook URL must not point at the portal's own machine.");
    return url;
  }
  if (url.protocol === "http:" && options.allowLoopbackHttp && isLoopbackHost(url.hostname)) return url;
  throw new ChannelTargetRefused(
    options.allowLoopbackHttp ? "The webhook URL must be https:// (or http:// to this machine, in demo mode)." : "The webhook URL must be https://.",
  );
}

/** SMTP without TLS only to this machine in demo mode; a real server must use TLS or STARTTLS. */
export function checkEmailSettings(settings: EmailSettings, options: { allowLoopbackHttp: boolean }): EmailSettings {
  if (settings.security === "none" && !(options.allowLoopbackHttp && isLoopbackHost(settings.host)))
    throw new ChannelTargetRefused("Mail must go over TLS or STARTTLS (unencrypted SMTP is only for demo mode's local sink).");
  if (isLoopbackHost(settings.host) && !options.allowLoopbackHttp) throw new ChannelTargetRefused("The SMTP server must not be the portal's own machine.");
  return settings;
}

/** What staff see: scheme, host and the last four characters; the path (the secret part) is hidden. */
export function maskWebhookUrl(url: URL): string {
  const whole = url.toString();
  return `${url.protocol}//${url.host}/…${whole.slice(-4)}`;
}

export function maskEmailTarget(settings: EmailSettings): string {
  return `${settings.to.join(", ")} via ${settings.host}:${settings.port}`;
}
