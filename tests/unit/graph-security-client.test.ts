import { describe, expect, it } from "vitest";
import { GraphSecurityClient } from "@/server/microsoft/graph-security-client";
import { ApiBadRequest, ApiMalformedResponse } from "@/server/microsoft/api-errors";
import { parseGraphIncident } from "@/server/microsoft/graph-incident";
import { toIncidentRecord } from "@/server/incidents/incident-record";

type Call = { url: string; method: string; headers: Headers; body: unknown };

/** A scripted Graph: each call takes the next answer. */
function scripted(answers: Response[]) {
  const calls: Call[] = [];
  const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({
      url: String(url),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const next = answers.shift();
    if (!next) throw new Error("no scripted answer left");
    return next;
  }) as typeof fetch;
  return { calls, fetchImpl };
}

const tokens = {
  getAppToken: async (tenantId: string) => ({
    accessToken: "graph-token",
    tenantId,
    resource: "https://graph.microsoft.com",
    roles: [],
    expiresOn: new Date(Date.now() + 3_600_000),
  }),
  forget: () => undefined,
};
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

const incident = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  displayName: `Incident ${id}`,
  createdDateTime: "2026-11-01T10:00:00.1234567Z",
  lastUpdateDateTime: "2026-11-02T10:00:00Z",
  status: "awaitingAction",
  severity: "high",
  classification: "truePositive",
  determination: "multiStagedAttack",
  customTags: ["VIP"],
  systemTags: ["Defender Experts"],
  comments: [{ comment: "seen", createdByDisplayName: "Arjun", createdDateTime: "2026-11-01T11:00:00Z" }],
  alerts: [
    {
      id: "da1",
      title: "Suspicious sign-in",
      severity: "medium",
      status: "new",
      serviceSource: "microsoftDefenderForEndpoint",
      detectionSource: "antivirus",
      mitreTechniques: ["T1078"],
      alertWebUrl: "https://security.microsoft.com/alerts/da1?tid=t",
      evidence: [
        { "@odata.type": "#microsoft.graph.security.ipEvidence", ipAddress: "20.1.2.3", verdict: "malicious", remediationStatus: "none", roles: ["attacker"] },
        { "@odata.type": "#microsoft.graph.security.userEvidence", userAccount: { accountName: "megan", userPrincipalName: "Megan.Bowen@contoso.com" } },
        { "@odata.type": "#microsoft.graph.security.fileEvidence", fileDetails: { fileName: "x.exe", sha256: "A".repeat(64), sha1: "b".repeat(40) } },
        { "@odata.type": "#microsoft.graph.security.kubernetesPodEvidence", name: "web-0", namespace: { name: "prod" } },
        { "@odata.type": "#microsoft.graph.security.urlEvidence", url: "https://Login-Contoso.example/Reset?u=megan" },
        { "@odata.type": "#microsoft.graph.security.deviceEvidence", deviceDnsName: "WS-Finance-07.contoso.com", osPlatform: "Windows11" },
        {
          "@odata.type": "#microsoft.graph.security.analyzedMessageEvidence",
          subject: "Your password expires",
          p1Sender: { emailAddress: "Billing@Fabrikam-Payments.example", displayName: "Billing" },
          recipientEmailAddress: "megan.bowen@contoso.com",
          senderIp: "198.51.100.9",
        },
      ],
    },
  ],
  ...extra,
});

function client(answers: Response[]) {
  const api = scripted(answers);
  return {
    api,
    client: new GraphSecurityClient({
      apiUrl: "https://graph.example.test",
      tokens,
      fetch: api.fetchImpl,
      backoff: { baseMs: 1, maxMs: 2 },
      maxThrottleWaitMs: 50,
    }),
  };
}

describe("GraphSecurityClient", () => {
  it("asks for alerts, Graph's page size and changes since a bound, with unknown enum members", async () => {
    const { client: c, api } = client([
      json(200, { value: [incident("7")], "@odata.nextLink": "https://GRAPH.example.test/v1.0/security/incidents?$skiptoken=opaque%3D%3D" }),
    ]);
    const page = await c.listIncidents({ tenantId: "t", lastUpdateGe: new Date("2026-11-01T00:00:00Z"), top: 500 });
    expect(decodeURIComponent(api.calls[0]!.url)).toBe(
      "https://graph.example.test/v1.0/security/incidents?$expand=alerts&$top=50&$filter=lastUpdateDateTime ge 2026-11-01T00:00:00.000Z",
    );
    expect(api.calls[0]!.headers.get("prefer")).toBe("include-unknown-enum-members");
    expect(api.calls[0]!.headers.get("authorization")).toBe("Bearer graph-token");
    expect(page.nextLink).toBe("https://GRAPH.example.test/v1.0/security/incidents?$skiptoken=opaque%3D%3D");
    expect(page.incidents.map((i) => [i.incidentId, i.status, i.severity, i.classification, i.determination])).toEqual([
      [7, "AwaitingAction", "High", "TruePositive", "MultiStagedAttack"],
    ]);
  });

  it("follows a nextLink verbatim, and refuses one that would take the token to another host", async () => {
    const link = "https://graph.example.test/v1.0/security/incidents?$expand=alerts&$skiptoken=a%2Fb";
    const { client: c, api } = client([json(200, { value: [] })]);
    const page = await c.listIncidents({ tenantId: "t", nextLink: link });
    expect(api.calls[0]!.url).toBe(link);
    expect(page.nextLink).toBeNull();
    await expect(c.listIncidents({ tenantId: "t", nextLink: "https://evil.example/v1.0/security/incidents?$skiptoken=x" })).rejects.toBeInstanceOf(
      ApiMalformedResponse,
    );
    await expect(c.listIncidents({ tenantId: "t", nextLink: "http://graph.example.test/v1.0/security/incidents" })).rejects.toBeInstanceOf(
      ApiMalformedResponse,
    );
    expect(api.calls).toHaveLength(1);
    // Behind a forward proxy, Graph's nextLink names Graph's own host: that one is followed too.
    const proxied = scripted([json(200, { value: [] })]);
    const viaProxy = new GraphSecurityClient({
      apiUrl: "https://proxy.example.test",
      resource: "https://graph.microsoft.com",
      tokens,
      fetch: proxied.fetchImpl,
    });
    await viaProxy.listIncidents({ tenantId: "t", nextLink: "https://graph.microsoft.com/v1.0/security/incidents?$skiptoken=z" });
    expect(proxied.calls[0]!.url).toBe("https://graph.microsoft.com/v1.0/security/incidents?$skiptoken=z");
  });

  it("writes fields in Graph's words, a comment through the comments endpoint, then reads the incident back", async () => {
    const { client: c, api } = client([
      json(200, incident("7", { alerts: undefined })),
      json(200, { value: [] }),
      json(200, incident("7", { status: "inProgress" })),
    ]);
    const updated = await c.updateIncident({
      tenantId: "t",
      incidentId: 7,
      patch: { status: "InProgress", classification: "FalsePositive", determination: "NotMalicious", customTags: ["a"], assignedTo: null, comment: "done" },
    });
    expect(api.calls.map((call) => [call.method, call.url])).toEqual([
      ["PATCH", "https://graph.example.test/v1.0/security/incidents/7"],
      ["POST", "https://graph.example.test/v1.0/security/incidents/7/comments"],
      ["GET", "https://graph.example.test/v1.0/security/incidents/7?$expand=alerts"],
    ]);
    expect(api.calls[0]!.body).toEqual({
      status: "inProgress",
      assignedTo: null,
      classification: "falsePositive",
      determination: "notMalicious",
      customTags: ["a"],
    });
    expect(api.calls[1]!.body).toEqual({ "@odata.type": "microsoft.graph.security.alertComment", comment: "done" });
    expect(updated.status).toBe("InProgress");
  });

  it("maps Graph's error body, with the request id staff can quote", async () => {
    const { client: c } = client([
      json(400, { error: { code: "BadRequest", message: "Invalid determination", innerError: { "request-id": "r-42", date: "x" } } }),
    ]);
    const error = await c.updateIncident({ tenantId: "t", incidentId: 7, patch: { status: "Resolved" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiBadRequest);
    expect(error).toMatchObject({ api: "graph", apiMessage: "Invalid determination", requestId: "r-42" });
  });
});

describe("reading a Graph incident into the one model", () => {
  it("keeps custom and system tags apart, evidence by type (unknown types with every field) and searchable values", () => {
    const parsed = parseGraphIncident(incident("12"));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const i = parsed.incident;
    expect([i.source, i.incidentId, i.customTags, i.systemTags, i.comments[0]?.createdBy]).toEqual(["graph", 12, ["VIP"], ["Defender Experts"], "Arjun"]);
    const evidence = i.alerts[0]!.evidence;
    expect(evidence.map((e) => [e.kind, e.known])).toEqual([
      ["ip", true],
      ["user", true],
      ["file", true],
      ["kubernetesPod", false],
      ["url", true],
      ["device", true],
      ["mailMessage", true],
    ]);
    expect(evidence[0]).toMatchObject({ verdict: "Malicious", roles: ["attacker"], fields: [{ label: "IP address", value: "20.1.2.3" }] });
    expect(evidence[3]!.fields).toEqual([
      { label: "name", value: "web-0" },
      { label: "namespace", value: '{"name":"prod"}' },
    ]);
    expect(evidence.flatMap((e) => e.searchValues.map((v) => v.value))).toEqual([
      "20.1.2.3",
      "Megan.Bowen@contoso.com",
      "megan",
      "b".repeat(40),
      "A".repeat(64),
      "x.exe",
      "https://Login-Contoso.example/Reset?u=megan",
      "WS-Finance-07.contoso.com",
      "Billing@Fabrikam-Payments.example",
      "megan.bowen@contoso.com",
      "198.51.100.9",
    ]);
    // What the store keeps for the queue's search: lower-cased, one per type and value.
    const entities = toIncidentRecord({ tenantId: "t", incident: i, syncedAt: new Date() }).entities;
    expect(entities).toEqual(
      expect.arrayContaining([
        { entityType: "url", value: "https://login-contoso.example/reset?u=megan" },
        { entityType: "device", value: "ws-finance-07.contoso.com" },
        { entityType: "mailMessage", value: "billing@fabrikam-payments.example" },
      ]),
    );
  });

  it("reports a record without a digit id or its timestamps as malformed", () => {
    for (const [record, problem] of [
      [incident("abc"), /id/],
      [incident("7", { createdDateTime: "not-a-date" }), /createdDateTime/],
      [{ ...incident("7"), lastUpdateDateTime: undefined }, /lastUpdateDateTime/],
    ] as const) {
      const result = parseGraphIncident(record);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.malformed.problem).toMatch(problem);
    }
  });
});
