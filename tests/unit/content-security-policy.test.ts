import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newCspNonce, strictTransportSecurity } from "@/server/http/content-security-policy";

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );
}

describe("Content-Security-Policy", () => {
  const base = {
    nonce: "bm9uY2Utdmk=",
    portalUrl: "https://portal.example.com",
    formTargets: ["https://login.microsoftonline.com", "https://login.microsoftonline.com/"],
  };

  it("lets scripts run only from the portal or with the nonce, and nothing frame, embed or rebase the page", () => {
    const d = directives(contentSecurityPolicy(base));
    expect(d.get("default-src")).toEqual(["'self'"]);
    expect(d.get("script-src")).toEqual(["'self'", "'nonce-bm9uY2Utdmk='"]);
    expect(d.get("style-src")).toEqual(["'self'", "'nonce-bm9uY2Utdmk='"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'none'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.has("upgrade-insecure-requests")).toBe(true);
    expect(contentSecurityPolicy(base)).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });

  it("sends forms only to the portal and Microsoft's sign-in hosts, each once", () => {
    const d = directives(contentSecurityPolicy({ ...base, formTargets: [...base.formTargets, "http://127.0.0.1:44301", "not a url", "javascript:alert(1)"] }));
    expect(d.get("form-action")).toEqual(["'self'", "https://portal.example.com", "https://login.microsoftonline.com", "http://127.0.0.1:44301"]);
  });

  it("does not upgrade requests of a portal served over HTTP (demo mode)", () => {
    expect(directives(contentSecurityPolicy({ ...base, portalUrl: "http://127.0.0.1:3000" })).has("upgrade-insecure-requests")).toBe(false);
  });

  it("allows eval and inline styles only for next dev", () => {
    const d = directives(contentSecurityPolicy({ ...base, development: true }));
    expect(d.get("script-src")).toContain("'unsafe-eval'");
    expect(d.get("style-src")).toContain("'unsafe-inline'");
  });

  it("makes a different 128-bit nonce each time, in the form Next.js reads from the header", () => {
    const nonces = new Set(Array.from({ length: 100 }, newCspNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("Strict-Transport-Security", () => {
  it("is sent only when the portal is served over HTTPS", () => {
    expect(strictTransportSecurity("https://portal.example.com")).toBe("max-age=63072000; includeSubDomains");
    expect(strictTransportSecurity("http://127.0.0.1:3000")).toBeNull();
    expect(strictTransportSecurity("not a url")).toBeNull();
  });
});
