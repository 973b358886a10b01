import { describe, expect, it } from "vitest";
import { parseGraphIncident } from "@/server/microsoft/graph-incident";
import { parseDefenderIncident } from "@/server/microsoft/defender-incident";
import { classifyIndicators, incidentIndicatorValues } from "@/server/indicators/incident-indicators";
import { exclusionOf, isMicrosoftServiceDomain, isNonPublicIp } from "@/server/indicators/indicator-exclusions";
import { normaliseHash, normaliseIndicator, normaliseIp, normaliseUrl } from "@/server/indicators/indicator-normalise";
import { indicatorQueryString, parseIndicatorFilters, parseIndicatorParam } from "@/server/indicators/indicator-filters";
import { parseQueueFilters, queueQueryString } from "@/server/incidents/queue-filters";

describe("indicator normalisation", () => {
  it("writes IPv4 and IPv6 addresses one way (RFC 5952), an IPv4-mapped address as its IPv4", () => {
    expect(normaliseIp(" 203.0.113.7 ")).toBe("203.0.113.7");
    expect(normaliseIp("2001:0DB8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(normaliseIp("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(normaliseIp("2001:db8:0:1:1:1:1:1")).toBe("2001:db8:0:1:1:1:1:1");
    expect(normaliseIp("[fe80::1%eth0]")).toBe("fe80::1");
    expect(normaliseIp("::ffff:198.51.100.9")).toBe("198.51.100.9");
    expect(normaliseIp("::")).toBe("::");
    for (const bad of ["256.1.1.1", "1.2.3", "1:2:3:4:5:6:7:8:9", "1::2::3", "example.com", ""]) expect(normaliseIp(bad), bad).toBeNull();
  });

  it("types a hash by its length and writes it in lower-case hex", () => {
    expect(normaliseHash("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")).toEqual({
      type: "sha256",
      value: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    });
    expect(normaliseHash("da39a3ee5e6b4b0d3255bfef95601890afd80709")?.type).toBe("sha1");
    expect(normaliseHash("d41d8cd98f00b204e9800998ecf8427e")?.type).toBe("md5");
    expect(normaliseHash("xyz")).toBeNull();
    expect(normaliseHash("abc123")).toBeNull();
  });

  it("keeps a URL without its fragment and its host as a domain (or an IP)", () => {
    expect(normaliseUrl("HTTPS://Evil.Example.NET./Login?x=1#top")).toEqual({
      url: "https://evil.example.net./login?x=1",
      host: { type: "domain", value: "evil.example.net" },
    });
    expect(normaliseUrl("http://user@[2001:db8::5]:8080/x")?.host).toEqual({ type: "ip", value: "2001:db8::5" });
    expect(normaliseUrl("https://東京支社.example.jp/ログイン")?.host).toEqual({ type: "domain", value: "東京支社.example.jp" });
    expect(normaliseUrl("not a url")).toBeNull();
  });

  it("normalises a typed or linked indicator by its type, and refuses what is not one", () => {
    expect(normaliseIndicator("ip", "2001:DB8::0:1")).toEqual({ type: "ip", value: "2001:db8::1" });
    expect(normaliseIndicator("sha1", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")).toBeNull();
    expect(normaliseIndicator("fileName", "C:\\Temp\\Payload.EXE")).toEqual({ type: "fileName", value: "payload.exe" });
    expect(normaliseIndicator("email", "Billing@Invoice-Portal.Example.NET")).toEqual({ type: "email", value: "billing@invoice-portal.example.net" });
    expect(normaliseIndicator("nope", "x")).toBeNull();
    expect(parseIndicatorParam("url:https://a.example/x:1")).toEqual({ type: "url", value: "https://a.example/x:1" });
    expect(parseIndicatorParam("ip")).toBeNull();
  });
});

describe("indicator exclusions", () => {
  it("never correlates private, loopback, link-local, CGNAT, multicast or reserved addresses", () => {
    for (const ip of ["10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "169.254.10.10", "100.64.0.1", "100.127.255.255"])
      expect(isNonPublicIp(ip), ip).toBe(true);
    for (const ip of ["224.0.0.251", "239.255.255.250", "0.0.0.0", "255.255.255.255", "::1", "::", "fe80::1", "fd12:3456::1", "ff02::1"])
      expect(isNonPublicIp(ip), ip).toBe(true);
    for (const ip of ["172.32.0.1", "100.128.0.1", "8.8.8.8", "203.0.113.7", "2001:db8::1", "2a00:1450::1"]) expect(isNonPublicIp(ip), ip).toBe(false);
  });

  it("never correlates Microsoft's service domains and their subdomains, but does correlate content anyone hosts there", () => {
    expect(isMicrosoftServiceDomain("login.microsoftonline.com")).toBe(true);
    expect(isMicrosoftServiceDomain("office.com")).toBe(true);
    expect(isMicrosoftServiceDomain("contoso.onmicrosoft.com")).toBe(true);
    expect(isMicrosoftServiceDomain("evil.blob.core.windows.net")).toBe(false);
    expect(isMicrosoftServiceDomain("login-microsoftonline.example-phish.com")).toBe(false);
    expect(isMicrosoftServiceDomain("notmicrosoft.com")).toBe(false);
    expect(exclusionOf({ type: "url", value: "https://login.microsoftonline.com/common" })).toBe("microsoft-service");
    expect(exclusionOf({ type: "url", value: "https://x.blob.core.windows.net/p.html" })).toBeNull();
  });

  it("keeps a customer's own accounts and domains, free-mail domains and common programs out of correlation", () => {
    expect(exclusionOf({ type: "account", value: "zoe@contoso.com" })).toBe("customer-account");
    expect(exclusionOf({ type: "email", value: "ceo@contoso.com" }, ["contoso.com"])).toBe("customer-domain");
    expect(exclusionOf({ type: "domain", value: "mail.contoso.com" }, ["contoso.com"])).toBe("customer-domain");
    expect(exclusionOf({ type: "domain", value: "gmail.com" })).toBe("public-mail-provider");
    expect(exclusionOf({ type: "email", value: "attacker@gmail.com" })).toBeNull();
    expect(exclusionOf({ type: "email", value: "x@outlook.com" })).toBeNull();
    expect(exclusionOf({ type: "fileName", value: "powershell.exe" })).toBe("common-program");
    expect(exclusionOf({ type: "fileName", value: "mimikatz.exe" })).toBeNull();
    expect(exclusionOf({ type: "sha256", value: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" })).toBeNull();
  });
});

describe("an incident's indicators", () => {
  const graph = parseGraphIncident({
    id: "77",
    displayName: "Phish",
    status: "active",
    severity: "high",
    createdDateTime: "2026-03-01T10:00:00Z",
    lastUpdateDateTime: "2026-03-01T11:00:00Z",
    alerts: [
      {
        id: "a1",
        evidence: [
          { "@odata.type": "#microsoft.graph.security.ipEvidence", ipAddress: "203.0.113.7" },
          { "@odata.type": "#microsoft.graph.security.ipEvidence", ipAddress: "10.0.0.5" },
          {
            "@odata.type": "#microsoft.graph.security.fileEvidence",
            fileDetails: { fileName: "Invoice.PDF.exe", sha256: "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855" },
          },
          { "@odata.type": "#microsoft.graph.security.urlEvidence", url: "https://cdn.example-bad.org/payload.bin" },
          {
            "@odata.type": "#microsoft.graph.security.analyzedMessageEvidence",
            p1Sender: { emailAddress: "billing@invoice-portal.example.net" },
            recipientEmailAddress: "zoe@contoso.com",
            senderIp: "198.51.100.20",
          },
          { "@odata.type": "#microsoft.graph.security.analyzedMessageEvidence", p1Sender: { emailAddress: "ceo@contoso.com" } },
          { "@odata.type": "#microsoft.graph.security.userEvidence", userAccount: { userPrincipalName: "Zoe@Contoso.com", accountName: "zoe" } },
        ],
      },
    ],
  });
  if (!graph.ok) throw new Error(graph.malformed.problem);

  it("types each value by the field it came from and excludes what says nothing across customers", () => {
    const classified = classifyIndicators(incidentIndicatorValues(graph.incident), null);
    const shown = Object.fromEntries(classified.map((i) => [`${i.type}:${i.value}`, i.excludedReason]));
    expect(shown).toEqual({
      "ip:203.0.113.7": null,
      "ip:10.0.0.5": "non-public-ip",
      "fileName:invoice.pdf.exe": null,
      "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855": null,
      "url:https://cdn.example-bad.org/payload.bin": null,
      "domain:cdn.example-bad.org": null,
      "email:billing@invoice-portal.example.net": null,
      "domain:invoice-portal.example.net": null,
      "ip:198.51.100.20": null,
      // The recipient and the user are the customer's own; a sender in its domain too.
      "account:zoe@contoso.com": "customer-account",
      "account:zoe": "customer-account",
      "email:ceo@contoso.com": "customer-domain",
      "domain:contoso.com": "customer-domain",
    });
  });

  it("reads the Defender API's field names the same way", () => {
    const parsed = parseDefenderIncident({
      incidentId: 5,
      incidentName: "x",
      createdTime: "2026-03-01T10:00:00Z",
      lastUpdateTime: "2026-03-01T10:00:00Z",
      status: "Active",
      severity: "Low",
      alerts: [
        { alertId: "d1", entities: [{ entityType: "MailMessage", sender: "no-reply@example.org", recipient: "a@fabrikam.com", senderIp: "203.0.113.9" }] },
      ],
    });
    if (!parsed.ok) throw new Error(parsed.malformed.problem);
    const values = incidentIndicatorValues(parsed.incident).map((i) => `${i.type}:${i.value}`);
    expect(values.sort()).toEqual(["account:a@fabrikam.com", "domain:example.org", "email:no-reply@example.org", "ip:203.0.113.9"]);
  });
});

describe("indicator URLs", () => {
  it("keeps the Indicators page's state and the queue's indicator filter in a stable, normalised form", () => {
    const filters = parseIndicatorFilters(new URLSearchParams("period=90&type=ip&q=%20203.0&sort=tenants&page=2&junk=1"));
    expect(indicatorQueryString(filters)).toBe("?period=90&type=ip&q=203.0&sort=tenants&page=2");
    expect(parseIndicatorFilters(new URLSearchParams("period=5&type=bogus&page=0"))).toEqual({
      period: undefined,
      type: undefined,
      q: undefined,
      sort: undefined,
      dir: undefined,
      page: undefined,
    });
    const queue = parseQueueFilters(new URLSearchParams("indicator=ip:2001:DB8::0:1"));
    expect(queue.indicator).toBe("ip:2001:db8::1");
    expect(queueQueryString(queue)).toBe("?indicator=ip%3A2001%3Adb8%3A%3A1");
    expect(parseQueueFilters(new URLSearchParams("indicator=ip:not-an-ip")).indicator).toBeUndefined();
  });
});
