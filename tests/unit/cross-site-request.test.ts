import { describe, expect, it } from "vitest";
import { checkCrossSiteRequest } from "@/server/http/cross-site-request";

const PORTAL = "https://portal.example.com";
const check = (headers: Record<string, string>) => checkCrossSiteRequest(new Headers(headers), PORTAL).allowed;

describe("checkCrossSiteRequest", () => {
  it("answers the portal's own pages and typed URLs", () => {
    expect(check({ "sec-fetch-site": "same-origin" })).toBe(true);
    expect(check({ "sec-fetch-site": "none" })).toBe(true);
    expect(check({ "sec-fetch-site": "same-origin", referer: "https://portal.example.com/?severity=High" })).toBe(true);
  });

  it("refuses what a browser marks as sent by another site, whatever Origin or Referer say", () => {
    expect(check({ "sec-fetch-site": "cross-site" })).toBe(false);
    expect(check({ "sec-fetch-site": "same-site" })).toBe(false); // a sibling subdomain is another origin
    expect(check({ "sec-fetch-site": "cross-site", origin: PORTAL, referer: `${PORTAL}/` })).toBe(false);
    expect(check({ "sec-fetch-site": "something-new" })).toBe(false);
  });

  it("falls back on Origin, then Referer, for browsers without Fetch Metadata", () => {
    expect(check({ origin: "https://evil.example" })).toBe(false);
    expect(check({ origin: "null" })).toBe(false);
    expect(check({ origin: PORTAL })).toBe(true);
    expect(check({ referer: "https://evil.example/page" })).toBe(false);
    expect(check({ referer: "https://portal.example.com.evil.example/" })).toBe(false);
    expect(check({ referer: "https://portal.example.com/?tenant=x" })).toBe(true);
  });

  it("lets through a request no browser sent across sites (no Fetch Metadata, Origin or Referer)", () => {
    expect(check({})).toBe(true);
  });
});
