// The generic JSON webhook's signature: HMAC-SHA256 with the channel's own secret over
// "<timestamp>.<body>", sent as `X-Portal-Signature: sha256=<hex>` beside `X-Portal-Timestamp`
// (Unix seconds). A receiver recomputes it and refuses a timestamp older than a few minutes, so a
// captured request cannot be replayed later. Pure: the tests and the README's receiver use it too.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Portal-Signature";
export const TIMESTAMP_HEADER = "X-Portal-Timestamp";
/** How far a receiver should accept a timestamp from its own clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** What a receiver does: true only for the right secret, body and a timestamp within tolerance. */
export function verifyWebhookSignature(input: { secret: string; timestamp: string | null; signature: string | null; body: string; now: Date }): boolean {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(input.now.getTime() / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signWebhookBody(input.secret, Number(timestamp), input.body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
