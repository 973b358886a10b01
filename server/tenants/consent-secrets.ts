import { createHash, randomBytes } from "node:crypto";

/** 256 random bits, URL-safe: consent link tokens and OAuth `state` values. */
export function newSecretToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Only this hash is stored; the token itself lives in the link or the browser's redirect. */
export function hashSecretToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A token as we issue it: 43 base64url characters. Anything else is refused before any lookup. */
export function isWellFormedSecretToken(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value);
}
