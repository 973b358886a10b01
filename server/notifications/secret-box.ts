// Channel secrets (webhook URLs, signing secrets, SMTP passwords) at rest: AES-256-GCM under
// NOTIFICATION_SECRET_KEY, each sealed value bound to its channel's id (additional data), so a
// ciphertext copied onto another row, or changed by one bit, does not open.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { UserFacingError } from "../../lib/errors";

const VERSION = "v1";

/** The key is missing: channels cannot be created or delivered to until it is set. */
export class NotificationKeyMissing extends UserFacingError {
  constructor() {
    super(
      "Notification channels need NOTIFICATION_SECRET_KEY (32 random bytes: openssl rand -base64 32) in the portal's environment.",
      "NotificationKeyMissing",
    );
  }
}

export function sealSecret(key: Buffer, plaintext: string, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(boundTo, "utf8"));
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), sealed.toString("base64url")].join(":");
}

/** Throws when the value was sealed under another key or for another row, or was altered. */
export function openSecret(key: Buffer, sealed: string, boundTo: string): string {
  const [version, iv, tag, body] = sealed.split(":");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("not a sealed notification secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(boundTo, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
