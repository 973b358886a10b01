import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhookBody, verifyWebhookSignature } from "@/server/notifications/webhook-signature";

describe("the JSON webhook's signature", () => {
  const secret = "channel-secret";
  const body = JSON.stringify({ event: "incident.created", incident: { id: "42" } });
  const now = new Date("2026-12-02T08:00:00Z");
  const timestamp = Math.floor(now.getTime() / 1000);

  it("is HMAC-SHA256 over '<timestamp>.<body>', as the README tells receivers to compute it", () => {
    const expected = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
    expect(signWebhookBody(secret, timestamp, body)).toBe(`sha256=${expected}`);
  });

  it("verifies the right secret, body and timestamp, and nothing else", () => {
    const signature = signWebhookBody(secret, timestamp, body);
    const ok = { secret, timestamp: String(timestamp), signature, body, now };
    expect(verifyWebhookSignature(ok)).toBe(true);
    expect(verifyWebhookSignature({ ...ok, secret: "other" })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, body: body.replace("42", "43") })).toBe(false);
    // The timestamp is signed: moving it forward to dodge the replay check breaks the signature.
    expect(verifyWebhookSignature({ ...ok, timestamp: String(timestamp + 1) })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, signature: null })).toBe(false);
    expect(verifyWebhookSignature({ ...ok, timestamp: "soon" })).toBe(false);
  });

  it("refuses a replay older than five minutes", () => {
    const signature = signWebhookBody(secret, timestamp, body);
    const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    expect(verifyWebhookSignature({ secret, timestamp: String(timestamp), signature, body, now: later(299) })).toBe(true);
    expect(verifyWebhookSignature({ secret, timestamp: String(timestamp), signature, body, now: later(301) })).toBe(false);
  });
});
