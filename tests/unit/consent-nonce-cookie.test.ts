// The cookie that binds a consent trip to the browser that started it: its attributes, and that a
// refused callback clears it (the refused trip is over; nothing of it stays in the browser).
import { beforeEach, describe, expect, it, vi } from "vitest";

let portalUrl = "https://portal.example.com";
vi.mock("@/server/services", () => ({ getConfig: () => ({ auth: { url: portalUrl } }) }));
vi.mock("@/server/tenants/consent-pages", () => ({ allowConsentRequest: async () => ({ allowed: true, ipAddress: "198.51.100.7" }) }));

const { consentNonceCookie, readConsentNonce } = await import("@/server/tenants/consent-responses");
const { consentRoute } = await import("@/server/tenants/consent-route");
const { ConsentRefused } = await import("@/server/tenants/consent-errors");

/** A Set-Cookie header's name, value and attributes (lower-cased names). */
function parse(header: string) {
  const [pair, ...attributes] = header.split(";").map((part) => part.trim());
  const [name, value] = [pair!.slice(0, pair!.indexOf("=")), pair!.slice(pair!.indexOf("=") + 1)];
  const attrs = new Map(attributes.map((attribute) => [attribute.split("=")[0]!.toLowerCase(), attribute.split("=")[1] ?? true] as const));
  return { name, value, attrs };
}

describe("the consent nonce cookie", () => {
  beforeEach(() => {
    portalUrl = "https://portal.example.com";
  });

  it("is __Host- prefixed, Secure, HttpOnly, SameSite=Lax and Path=/ over HTTPS, with no Domain", () => {
    const { name, value, attrs } = parse(consentNonceCookie("N".repeat(43)));
    expect([name, value]).toEqual(["__Host-consent-nonce", "N".repeat(43)]);
    expect([attrs.get("httponly"), attrs.get("secure"), attrs.get("samesite"), attrs.get("path")]).toEqual([true, true, "Lax", "/"]);
    expect(attrs.has("domain")).toBe(false);
    expect(Number(attrs.get("max-age"))).toBeGreaterThan(0);
    expect(Number(attrs.get("max-age"))).toBeLessThanOrEqual(30 * 60);
  });

  it("is HttpOnly and SameSite=Lax without the prefix or Secure on plain http (demo mode)", () => {
    portalUrl = "http://127.0.0.1:3000";
    const { name, attrs } = parse(consentNonceCookie("N".repeat(43)));
    expect(name).toBe("consent-nonce");
    expect([attrs.get("httponly"), attrs.has("secure"), attrs.get("samesite"), attrs.get("path")]).toEqual([true, false, "Lax", "/"]);
  });

  it("is cleared with the same name and attributes, and read back only under its own name", () => {
    const { name, value, attrs } = parse(consentNonceCookie(null));
    expect([name, value, attrs.get("max-age"), attrs.get("path"), attrs.get("secure")]).toEqual(["__Host-consent-nonce", "", "0", "/", true]);
    const request = (cookie: string) => new Request("https://portal.example.com/consent/callback", { headers: { cookie } });
    expect(readConsentNonce(request(`a=b; __Host-consent-nonce=${"N".repeat(43)}`))).toBe("N".repeat(43));
    // A cookie without the prefix could have been set by a sibling host or over http: not read.
    expect(readConsentNonce(request(`consent-nonce=${"N".repeat(43)}`))).toBeNull();
  });

  it("is cleared when a callback is refused", async () => {
    const route = consentRoute<unknown>(async () => {
      throw new ConsentRefused("state-reused");
    });
    const response = await route(new Request("https://portal.example.com/consent/callback?state=x"), {});
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("https://portal.example.com/consent/refused?reason=state-reused");
    const { name, value, attrs } = parse(response.headers.get("set-cookie")!);
    expect([name, value, attrs.get("max-age")]).toEqual(["__Host-consent-nonce", "", "0"]);
  });

  it("is set by a step that starts a trip and left alone by one that says nothing about it", async () => {
    const starts = await consentRoute<unknown>(async () => ({ to: "https://login.example.com/", nonce: "N".repeat(43) }))(
      new Request("https://portal.example.com/x"),
      {},
    );
    expect(parse(starts.headers.get("set-cookie")!).value).toBe("N".repeat(43));
    const passes = await consentRoute<unknown>(async () => ({ to: "/consent/status/1" }))(new Request("https://portal.example.com/x"), {});
    expect(passes.headers.get("set-cookie")).toBeNull();
  });
});
