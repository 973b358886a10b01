import { describe, expect, it } from "vitest";
import { nextAuthRedirect, safeReturnPath, safeReturnPathOr } from "@/server/auth/safe-return-path";

const PORTAL = "https://portal.example.com";

describe("safeReturnPath", () => {
  it("keeps paths on the portal, with their query and fragment", () => {
    expect(safeReturnPath("/", PORTAL)).toBe("/");
    expect(safeReturnPath("/tenants", PORTAL)).toBe("/tenants");
    expect(safeReturnPath("/?severity=High&q=a%26b#row", PORTAL)).toBe("/?severity=High&q=a%26b#row");
    expect(safeReturnPath("/incidents/3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94/42", PORTAL)).toBe("/incidents/3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94/42");
    expect(safeReturnPath("/?q=100%25", PORTAL)).toBe("/?q=100%25");
  });

  it("keeps an absolute URL on the portal's own origin, as a path", () => {
    expect(safeReturnPath("https://portal.example.com/audit?outcome=refused", PORTAL)).toBe("/audit?outcome=refused");
    expect(safeReturnPath("https://portal.example.com", PORTAL)).toBe("/");
  });

  // Each of these sends a browser to another host if followed (or is no path at all).
  const attacks = [
    "/\\evil.example", // the issue: /%5Cevil.example, decoded by the query string
    "/%5Cevil.example", // still encoded (a layer that decodes again)
    "/%255Cevil.example", // encoded twice
    "/\t/evil.example", // the issue: /%09/evil.example; browsers drop the tab
    "/%09/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%0d%0a/evil.example",
    "/\u0000/evil.example",
    "/\u007f/evil.example",
    "/\u0085/evil.example",
    "\\\\evil.example",
    "//evil.example",
    "//evil.example/path",
    "/%2Fevil.example",
    "/%2F%2Fevil.example",
    "///evil.example",
    "/./%2E%2E//evil.example",
    "/a/..//evil.example", // normalises to //evil.example
    "/.//evil.example",
    "https://evil.example/",
    "http://portal.example.com/", // another scheme is another origin
    "https://portal.example.com.evil.example/",
    "https://portal.example.com@evil.example/",
    "https://user:pass@portal.example.com/",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    " //evil.example",
    "",
    "/".padEnd(3000, "a"),
  ];
  for (const attack of attacks) {
    it(`refuses ${JSON.stringify(attack.slice(0, 60))}`, () => {
      expect(safeReturnPath(attack, PORTAL)).toBeNull();
      expect(safeReturnPathOr(attack, PORTAL)).toBe("/");
    });
  }

  it("refuses what is not a string, and works against a portal served on a port", () => {
    expect(safeReturnPath(undefined, PORTAL)).toBeNull();
    expect(safeReturnPath(["/tenants"], PORTAL)).toBeNull();
    expect(safeReturnPath("/tenants", "http://127.0.0.1:3000")).toBe("/tenants");
    expect(safeReturnPath("http://127.0.0.1:3000/audit", "http://127.0.0.1:3000")).toBe("/audit");
    expect(safeReturnPath("http://127.0.0.1:3001/audit", "http://127.0.0.1:3000")).toBeNull();
  });
});

describe("nextAuthRedirect (next-auth's redirect callback)", () => {
  it("answers an absolute URL on the portal for a safe path, the portal's home otherwise", () => {
    expect(nextAuthRedirect({ url: "/tenants", baseUrl: PORTAL })).toBe("https://portal.example.com/tenants");
    expect(nextAuthRedirect({ url: "https://portal.example.com/signin?signedOut=1", baseUrl: PORTAL })).toBe("https://portal.example.com/signin?signedOut=1");
    expect(nextAuthRedirect({ url: "/\\evil.example", baseUrl: PORTAL })).toBe("https://portal.example.com/");
    expect(nextAuthRedirect({ url: "/\t/evil.example", baseUrl: PORTAL })).toBe("https://portal.example.com/");
    expect(nextAuthRedirect({ url: "https://evil.example/", baseUrl: PORTAL })).toBe("https://portal.example.com/");
  });
});
