import "server-only";
import pino from "pino";
import { getConfig } from "./config";

let instance: pino.Logger | undefined;

/** Structured JSON logs, one event per line; anything that looks like a secret is redacted. */
export function logger(): pino.Logger {
  instance ??= pino({
    level: safeLevel(),
    base: { service: "portal" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["*.secret", "*.clientSecret", "*.accessToken", "*.access_token", "*.idToken", "*.id_token", "*.password", "*.authorization", "*.cookie"],
      censor: "[redacted]",
    },
  });
  return instance;
}

function safeLevel(): string {
  try {
    return getConfig().logLevel;
  } catch {
    return "info";
  }
}
