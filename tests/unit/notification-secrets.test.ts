import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, parseNotificationSecretKey, readConfig } from "@/server/config-schema";
import { openSecret, sealSecret } from "@/server/notifications/secret-box";

const base = {
  AZURE_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
  AZURE_TENANT_ID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
  AZURE_CLIENT_SECRET: "s3cret",
  NEXTAUTH_URL: "https://portal.example.com",
  NEXTAUTH_SECRET: "x".repeat(32),
};

describe("channel secrets at rest", () => {
  const key = randomBytes(32);
  const url = "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX";

  it("seal and open again, and the sealed text does not hold the secret", () => {
    const sealed = sealSecret(key, JSON.stringify({ url }), "notification-channel:a");
    expect(sealed).not.toContain("hooks.slack.com");
    expect(sealed).not.toContain("XXXXXXXX");
    expect(JSON.parse(openSecret(key, sealed, "notification-channel:a"))).toEqual({ url });
    // A fresh nonce each time: the same secret never seals to the same text.
    expect(sealSecret(key, url, "notification-channel:a")).not.toBe(sealSecret(key, url, "notification-channel:a"));
  });

  it("refuse to open under another key, for another channel, or altered", () => {
    const sealed = sealSecret(key, url, "notification-channel:a");
    expect(() => openSecret(randomBytes(32), sealed, "notification-channel:a")).toThrow();
    expect(() => openSecret(key, sealed, "notification-channel:b")).toThrow();
    const parts = sealed.split(":");
    const body = Buffer.from(parts[3]!, "base64url");
    body[0] = body[0]! ^ 1;
    expect(() => openSecret(key, [...parts.slice(0, 3), body.toString("base64url")].join(":"), "notification-channel:a")).toThrow();
  });
});

describe("NOTIFICATION_SECRET_KEY", () => {
  const random = randomBytes(32);

  it("accepts 32 random bytes as hex, base64 or base64url", () => {
    expect(parseNotificationSecretKey(random.toString("hex"))).toEqual(random);
    expect(parseNotificationSecretKey(random.toString("base64"))).toEqual(random);
    expect(parseNotificationSecretKey(random.toString("base64url"))).toEqual(random);
    expect(readConfig({ ...base, NOTIFICATION_SECRET_KEY: random.toString("base64") }, "/x").notifications).toEqual({
      secretKey: random,
      allowLoopbackHttp: false,
    });
  });

  it("refuses a missing-length, repeated or patterned key, naming the variable and never printing it", () => {
    for (const weak of [
      randomBytes(16).toString("base64"),
      "a".repeat(64),
      Buffer.alloc(32, 7).toString("base64"),
      Buffer.from(Array.from({ length: 32 }, (_, i) => i % 8)).toString("hex"),
      "correct horse battery staple",
    ]) {
      let error: unknown;
      try {
        readConfig({ ...base, NOTIFICATION_SECRET_KEY: weak }, "/x");
      } catch (caught) {
        error = caught;
      }
      expect(error, weak).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe("NOTIFICATION_SECRET_KEY");
      expect((error as ConfigError).message).not.toContain(weak);
    }
  });

  it("is optional (no channel can be added without it) and allows plain http to loopback only when asked", () => {
    expect(readConfig(base, "/x").notifications).toEqual({ secretKey: null, allowLoopbackHttp: false });
    expect(readConfig({ ...base, NOTIFICATION_ALLOW_LOOPBACK_HTTP: "1" }, "/x").notifications.allowLoopbackHttp).toBe(true);
  });
});
