// The local Microsoft cloud also plays Microsoft Graph's security API (the Defender XDR API's
// replacement) over the same incident state: per-API permissions and tokens, Graph's errors and
// headers, opaque paging, evolvable enums, updates and comments that both views agree on.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "../../emulator/start-emulator";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const FABRIKAM = "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72";
const WOODGROVE = "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83";
const TAILSPIN = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const LITWARE = "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5";
const ADATUM = "5a2c4f8d-76b9-4ebf-9dac-2b6e8f4a7db6";
const WOODGROVE_ADMIN = "33e4c9a6-2c3d-4e4f-8a5b-32c3d4e5f603";
const TAILSPIN_ADMIN = "44f5dab7-3d4e-4f5a-9b6c-43d4e5f6a704";
const DEFENDER_SCOPE = "https://api.security.microsoft.com/.default";
const GRAPH_SCOPE = "https://graph.microsoft.com/.default";
const CONSENT_CALLBACK = "http://localhost:3000/consent/callback";
const APP_NAME = "Northwind MSSP Portal";
const DEFENDER_ROLES = ["Incident.Read.All", "Incident.ReadWrite.All"];
const GRAPH_ROLES = ["SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All", "SecurityAlert.Read.All"];
const KNOWN_EVIDENCE = [
  "userEvidence",
  "ipEvidence",
  "deviceEvidence",
  "fileEvidence",
  "processEvidence",
  "urlEvidence",
  "mailboxEvidence",
  "analyzedMessageEvidence",
  "cloudApplicationEvidence",
  "registryKeyEvidence",
  "registryValueEvidence",
  "securityGroupEvidence",
].map((t) => `#microsoft.graph.security.${t}`);

// Response bodies are inspected ad hoc; a loose type keeps assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type LooseJson = any;
type Reply = { status: number; headers: Record<string, string>; text: string; json: () => LooseJson };

let emulator: EmulatorHandle;
let ca: string;
let dataDir: string;

function https(method: string, url: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca, headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : String(v)]));
        resolve({ status: res.statusCode ?? 0, headers, text, json: () => JSON.parse(text) });
      });
    });
    req.on("error", reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const control = (method: string, route: string, body?: unknown) =>
  https(method, `${emulator.controlUrl}${route}`, {
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const form = (fields: Record<string, string>) => ({
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

const tokenRequest = (tenant: string, scope: string) =>
  https(
    "POST",
    `${emulator.authorityHost}/${tenant}/oauth2/v2.0/token`,
    form({ grant_type: "client_credentials", client_id: emulator.clientId, client_secret: emulator.clientSecret, scope }),
  );

async function accessToken(tenant: string, scope = GRAPH_SCOPE): Promise<string> {
  const reply = await tokenRequest(tenant, scope);
  expect(reply.status).toBe(200);
  return reply.json().access_token as string;
}

/** A Graph call: a path under /v1.0 or an absolute URL (nextLink), followed verbatim. */
const graph = (method: string, pathOrUrl: string, token: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) =>
  https(method, pathOrUrl.startsWith("https://") ? pathOrUrl : `${emulator.graphApiUrl}/v1.0${pathOrUrl}`, {
    headers: { authorization: `Bearer ${token}`, ...(opts.body === undefined ? {} : { "content-type": "application/json" }), ...opts.headers },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });

const defender = (method: string, route: string, token: string, body?: unknown) =>
  https(method, `${emulator.defenderApiUrl}${route}`, {
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** Follows @odata.nextLink to the end; returns the records and every page's body. */
async function walk(first: string, token: string): Promise<{ items: LooseJson[]; pages: LooseJson[] }> {
  const items: LooseJson[] = [];
  const pages: LooseJson[] = [];
  for (let next: string | undefined = first; next;) {
    const reply = await graph("GET", next, token);
    expect(reply.status, reply.text).toBe(200);
    const page = reply.json();
    pages.push(page);
    items.push(...page.value);
    next = page["@odata.nextLink"];
  }
  return { items, pages };
}

async function defenderAll(tenant: string): Promise<LooseJson[]> {
  const token = await accessToken(tenant, DEFENDER_SCOPE);
  const out: LooseJson[] = [];
  for (let skip = 0; ; skip += 100) {
    const page = (await defender("GET", `/api/incidents?$top=100&$skip=${skip}`, token)).json().value;
    out.push(...page);
    if (page.length < 100) return out;
  }
}

const truth = async (tenant: string, view = "defender"): Promise<LooseJson[]> => (await control("GET", `/tenants/${tenant}/incidents?view=${view}`)).json();

function expectGraphError(reply: Reply, status: number, code: string): LooseJson {
  expect(reply.status, reply.text).toBe(status);
  const body = reply.json();
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.innerError).toMatchObject({ "request-id": reply.headers["request-id"], "client-request-id": reply.headers["client-request-id"] });
  expect(body.error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  return body;
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "emulator-graph-test-"));
  emulator = await startEmulator({
    dataDir,
    persist: false,
    seed: 7,
    propagationDelayMs: 400,
    incidentCounts: { [CONTOSO]: 230, [FABRIKAM]: 60, [WOODGROVE]: 40, [TAILSPIN]: 20, [LITWARE]: 30 },
    legacyConsent: ["woodgrovebank.onmicrosoft.com"],
  });
  ca = readFileSync(emulator.caCertPath, "utf8");
  for (const tenant of [CONTOSO, FABRIKAM, LITWARE]) expect((await control("POST", `/tenants/${tenant}/consent`, {})).status).toBe(200);
});

afterAll(async () => {
  await emulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("permissions and tokens per API", () => {
  it("gives each API's token its own audience and only that API's roles", async () => {
    expect(emulator.graphApiUrl).toBe(emulator.authorityHost);
    const state = (await control("GET", "/state")).json();
    expect(state.app.requestedPermissions).toEqual([...DEFENDER_ROLES, ...GRAPH_ROLES]);
    expect(state.tenants.find((t: LooseJson) => t.id === CONTOSO).rolesByResource).toEqual({
      "https://api.security.microsoft.com": DEFENDER_ROLES,
      "https://graph.microsoft.com": GRAPH_ROLES,
    });

    await control("DELETE", "/metrics");
    const defenderClaims = decodeJwt(await accessToken(CONTOSO, DEFENDER_SCOPE));
    expect(defenderClaims).toMatchObject({ aud: "https://api.security.microsoft.com", tid: CONTOSO, roles: DEFENDER_ROLES });
    const graphClaims = decodeJwt(await accessToken(CONTOSO, GRAPH_SCOPE));
    expect(graphClaims).toMatchObject({ aud: "https://graph.microsoft.com", tid: CONTOSO, appid: emulator.clientId, roles: GRAPH_ROLES });
    const byAppId = decodeJwt(await accessToken(CONTOSO, "00000003-0000-0000-c000-000000000000/.default"));
    expect(byAppId).toMatchObject({ aud: "https://graph.microsoft.com", roles: GRAPH_ROLES });
    expect((await tokenRequest(CONTOSO, "https://graph.microsoft.com/SecurityIncident.Read.All")).json().error_codes).toEqual([1002012]);
    expect((await tokenRequest(CONTOSO, "https://management.azure.com/.default")).json().error_codes).toEqual([70011]);

    const metrics = (await control("GET", "/metrics")).json();
    expect(metrics.tokenRequests[CONTOSO]).toEqual({ client_credentials: 5 });
    expect(metrics.tokenRequestsByResource[CONTOSO]).toEqual({ "https://api.security.microsoft.com": 1, "https://graph.microsoft.com": 2, unknown: 2 });
    expect(metrics.tokensIssuedByResource[CONTOSO]).toEqual({ "https://api.security.microsoft.com": 1, "https://graph.microsoft.com": 2 });
  });

  it("a legacy customer (consented before Graph was listed) gets Defender roles but a Graph token without roles, until it consents again", async () => {
    const woodgrove = (await control("GET", "/state")).json().tenants.find((t: LooseJson) => t.id === WOODGROVE);
    expect(woodgrove).toMatchObject({ consented: true, grantedPermissions: DEFENDER_ROLES, consentedAtMs: null });

    // Consented long ago: no propagation window, Defender works at once.
    const defenderToken = await accessToken(WOODGROVE, DEFENDER_SCOPE);
    expect(decodeJwt(defenderToken).roles).toEqual(DEFENDER_ROLES);
    expect((await defender("GET", "/api/incidents?$top=1", defenderToken)).status).toBe(200);
    const graphToken = await accessToken(WOODGROVE, GRAPH_SCOPE);
    expect(decodeJwt(graphToken).aud).toBe("https://graph.microsoft.com");
    expect(decodeJwt(graphToken).roles).toBeUndefined();
    const refused = expectGraphError(await graph("GET", "/security/incidents?$top=1", graphToken), 403, "Forbidden");
    expect(refused.error.message).toContain("SecurityIncident.Read.All");

    // The consent page lists both APIs' permissions, grouped; accepting grants everything listed now.
    const query = { client_id: emulator.clientId, scope: GRAPH_SCOPE, redirect_uri: CONSENT_CALLBACK, state: "reconsent" };
    const url = `${emulator.browserUrl}/${WOODGROVE}/v2.0/adminconsent`;
    const page = await (await fetch(url, { method: "POST", ...form({ ...query, step: "consent", user_id: WOODGROVE_ADMIN }) })).text();
    expect(page).toContain("Microsoft Graph (3)");
    expect(page).toContain("Microsoft Threat Protection (2)");
    expect(page).toContain("Read all security incidents");
    expect(page).toContain("Read and write to all security incidents");
    expect(page.indexOf("Read all security alerts")).toBeGreaterThan(page.indexOf("Microsoft Graph (3)"));
    // Consent grants propagate only when the test releases them (no wall-clock window to win).
    expect((await control("POST", "/settings", { propagationDelayMs: 3_600_000 })).status).toBe(200);
    try {
      const accepted = await fetch(url, {
        method: "POST",
        redirect: "manual",
        ...form({ ...query, step: "decide", user_id: WOODGROVE_ADMIN, decision: "accept" }),
      });
      expect(Object.fromEntries(new URL(accepted.headers.get("location")!).searchParams)).toEqual({
        admin_consent: "True",
        tenant: WOODGROVE,
        scope: GRAPH_SCOPE,
        state: "reconsent",
      });

      // Propagation applies to the Graph token too: no roles, or AADSTS65001, for a moment.
      const early = await tokenRequest(WOODGROVE, GRAPH_SCOPE);
      if (early.status === 200) expect(decodeJwt(early.json().access_token).roles).toBeUndefined();
      else expect(early.json().error_codes).toEqual([65001]);
      // Released: the grants have propagated.
      expect((await control("POST", "/settings", { propagationDelayMs: 0 })).status).toBe(200);
      expect(decodeJwt(await accessToken(WOODGROVE, GRAPH_SCOPE)).roles).toEqual(GRAPH_ROLES);
      expect((await graph("GET", "/security/incidents?$top=1", await accessToken(WOODGROVE, GRAPH_SCOPE))).status).toBe(200);
    } finally {
      expect((await control("POST", "/settings", { propagationDelayMs: 400 })).status).toBe(200);
    }
  });

  it("refuses another API's token with 401 both ways, and a missing one, in Graph's error shape", async () => {
    const defenderToken = await accessToken(CONTOSO, DEFENDER_SCOPE);
    const graphToken = await accessToken(CONTOSO, GRAPH_SCOPE);
    const wrongAudience = await graph("GET", "/security/incidents?$top=1", defenderToken, { headers: { "client-request-id": "my-correlation-1" } });
    const body = expectGraphError(wrongAudience, 401, "InvalidAuthenticationToken");
    expect(wrongAudience.headers["client-request-id"]).toBe("my-correlation-1");
    expect(body.error.innerError["client-request-id"]).toBe("my-correlation-1");
    expect(wrongAudience.headers["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(wrongAudience.headers["www-authenticate"]).toMatch(/^Bearer /);
    expectGraphError(await https("GET", `${emulator.graphApiUrl}/v1.0/security/incidents`), 401, "InvalidAuthenticationToken");
    expectGraphError(await graph("GET", "/security/incidents", "not.a.jwt"), 401, "InvalidAuthenticationToken");
    expect((await defender("GET", "/api/incidents?$top=1", graphToken)).status).toBe(401);
    expect((await defender("GET", "/api/incidents?$top=1", defenderToken)).status).toBe(200);
  });

  it("needs SecurityIncident.* to read, SecurityAlert.* as well for $expand=alerts, ReadWrite to write", async () => {
    await control("POST", `/tenants/${LITWARE}/roles`, { roles: ["Incident.Read.All", "SecurityIncident.Read.All"] });
    const token = await accessToken(LITWARE);
    expect(decodeJwt(token).roles).toEqual(["SecurityIncident.Read.All"]);
    const listed = await graph("GET", "/security/incidents?$top=2", token);
    expect(listed.status).toBe(200);
    const id = listed.json().value[0].id;
    const expand = expectGraphError(await graph("GET", "/security/incidents?$top=2&$expand=alerts", token), 403, "Forbidden");
    expect(expand.error.message).toMatch(
      /^Missing application roles\. API required roles: SecurityAlert\.Read\.All, SecurityAlert\.ReadWrite\.All\. Application roles: SecurityIncident\.Read\.All/,
    );
    expectGraphError(await graph("GET", `/security/incidents/${id}?$expand=alerts`, token), 403, "Forbidden");
    expectGraphError(await graph("PATCH", `/security/incidents/${id}`, token, { body: { status: "active" } }), 403, "Forbidden");
    expectGraphError(await graph("POST", `/security/incidents/${id}/comments`, token, { body: { comment: "x" } }), 403, "Forbidden");

    await control("POST", `/tenants/${LITWARE}/roles`, { roles: ["Incident.Read.All", "Incident.ReadWrite.All"] });
    expectGraphError(await graph("GET", "/security/incidents", await accessToken(LITWARE)), 403, "Forbidden");
    await control("POST", `/tenants/${LITWARE}/roles`, { roles: [...DEFENDER_ROLES, "SecurityIncident.Read.All", "SecurityAlert.ReadWrite.All"] });
    expect((await graph("GET", `/security/incidents/${id}?$expand=alerts`, await accessToken(LITWARE))).status).toBe(200);
  });
});

describe("listing incidents", () => {
  it("pages with an opaque skip token through every incident once, newest created first, agreeing with the Defender view", async () => {
    const token = await accessToken(CONTOSO);
    const { items, pages } = await walk("/security/incidents?$top=10&$count=true", token);
    expect(pages).toHaveLength(23);
    expect(items).toHaveLength(230);
    expect(new Set(items.map((i) => i.id)).size).toBe(230);
    for (const page of pages) expect(page["@odata.count"]).toBe(230);
    for (const page of pages.slice(0, -1)) {
      const next = new URL(page["@odata.nextLink"]);
      expect(next.origin + next.pathname).toBe(`${emulator.graphApiUrl}/v1.0/security/incidents`);
      expect(next.searchParams.has("$skip")).toBe(false);
      expect(next.searchParams.get("$top")).toBe("10");
      expect(next.searchParams.get("$count")).toBe("true");
      expect(next.searchParams.get("$skiptoken")).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    }
    expect(pages.at(-1)["@odata.nextLink"]).toBeUndefined();
    const created = items.map((i) => i.createdDateTime);
    expect([...created].sort().reverse()).toEqual(created);

    const viaDefender = await defenderAll(CONTOSO);
    const key = (id: string | number, stamp: string) => `${id}@${stamp}`;
    expect(items.map((i) => key(i.id, i.lastUpdateDateTime)).sort()).toEqual(viaDefender.map((i) => key(String(i.incidentId), i.lastUpdateTime)).sort());
    const defenderById = new Map(viaDefender.map((i) => [String(i.incidentId), i]));
    for (const item of items) {
      const d = defenderById.get(item.id)!;
      expect(item.id).toMatch(/^\d+$/);
      expect(item).toMatchObject({
        tenantId: CONTOSO,
        displayName: d.incidentName,
        createdDateTime: d.createdTime,
        assignedTo: d.assignedTo,
        customTags: d.tags,
      });
      expect(item.incidentWebUrl).toBe(`https://security.microsoft.com/incident2/${item.id}/overview?tid=${CONTOSO}`);
      expect(item.comments).toEqual(
        d.comments.map((c: LooseJson) => ({ comment: c.comment, createdByDisplayName: c.createdBy, createdDateTime: c.createdTime })),
      );
    }
    // Defaults: no $top means pages of 50.
    expect((await graph("GET", "/security/incidents", token)).json().value).toHaveLength(50);
  });

  it("in the shuffled list order pages every incident once, in an order by neither time nor id, the same on every walk", async () => {
    expect((await control("POST", "/settings", { listOrder: "shuffled", listOrderSeed: 5 })).status).toBe(200);
    try {
      const token = await accessToken(CONTOSO);
      const ids = async () => (await walk("/security/incidents?$top=50", token)).items.map((i) => Number(i.id));
      const first = await ids();
      expect([...first].sort((a, b) => a - b)).toEqual((await truth(CONTOSO)).map((i) => i.incidentId).sort((a: number, b: number) => a - b));
      expect(await ids()).toEqual(first);
      const byCreated = (await walk("/security/incidents?$top=50", token)).items.map((i) => i.createdDateTime);
      expect([...byCreated].sort().reverse()).not.toEqual(byCreated);
      expect([...first].sort((a, b) => a - b)).not.toEqual(first);
      expect([...first].sort((a, b) => b - a)).not.toEqual(first);
    } finally {
      expect((await control("POST", "/settings", { listOrder: "sorted" })).status).toBe(200);
    }
  });

  it("refuses $top above 50, unknown query options, and a tampered or foreign skip token", async () => {
    const token = await accessToken(CONTOSO);
    expectGraphError(await graph("GET", "/security/incidents?$top=51", token), 400, "BadRequest");
    expect((await graph("GET", "/security/incidents?$top=50", token)).status).toBe(200);
    expectGraphError(await graph("GET", "/security/incidents?$select=id", token), 400, "BadRequest");
    expectGraphError(await graph("GET", "/security/incidents?$orderby=createdDateTime", token), 400, "BadRequest");
    expectGraphError(await graph("GET", "/security/incidents?$expand=comments", token), 400, "BadRequest");

    const first = (await graph("GET", "/security/incidents?$top=5", token)).json();
    const next = new URL(first["@odata.nextLink"]);
    const skipToken = next.searchParams.get("$skiptoken")!;
    const tampered = new URL(next);
    tampered.searchParams.set("$skiptoken", `${skipToken.slice(0, -4)}${skipToken.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`);
    expectGraphError(await graph("GET", tampered.toString(), token), 400, "BadRequest");
    const garbled = new URL(next);
    garbled.searchParams.set("$skiptoken", "not-a-token");
    expectGraphError(await graph("GET", garbled.toString(), token), 400, "BadRequest");
    const otherQuery = new URL(next);
    otherQuery.searchParams.set("$top", "6");
    expectGraphError(await graph("GET", otherQuery.toString(), token), 400, "BadRequest");
    const withSkip = new URL(next);
    withSkip.searchParams.set("$skip", "5");
    expectGraphError(await graph("GET", withSkip.toString(), token), 400, "BadRequest");
    expectGraphError(await graph("GET", next.toString(), await accessToken(FABRIKAM)), 400, "BadRequest");
    expect((await graph("GET", next.toString(), token)).json().value.map((i: LooseJson) => i.id)).toEqual(
      (await graph("GET", "/security/incidents?$top=5&$skip=5", token)).json().value.map((i: LooseJson) => i.id),
    );
  });

  it("filters on lastUpdateDateTime and the documented enum properties, joined with and", async () => {
    const token = await accessToken(CONTOSO);
    const all = await truth(CONTOSO, "graph");
    const stamps = all.map((i) => i.lastUpdateDateTime).sort();
    const cursor = stamps[180];
    const { items: since, pages } = await walk(`/security/incidents?$top=20&$filter=${encodeURIComponent(`lastUpdateDateTime ge ${cursor}`)}`, token);
    expect(since.length).toBe(all.filter((i) => i.lastUpdateDateTime >= cursor).length);
    expect(since.length).toBeLessThan(230);
    expect(new URL(pages[0]["@odata.nextLink"]).searchParams.get("$filter")).toBe(`lastUpdateDateTime ge ${cursor}`);

    const active = await walk(
      `/security/incidents?$filter=${encodeURIComponent("status eq 'Active' and severity eq 'high' and createdDateTime gt 2000-01-01T00:00:00Z")}`,
      token,
    );
    expect(active.items.length).toBe(all.filter((i) => i.status === "active" && i.severity === "high").length);
    expect(active.items.length).toBeGreaterThan(0);
    const unassigned = (await graph("GET", `/security/incidents?$filter=${encodeURIComponent("assignedTo eq null")}&$count=true&$top=1`, token)).json();
    expect(unassigned["@odata.count"]).toBe(all.filter((i) => i.assignedTo === null).length);
    // Older determination names are the same members.
    const compromised = (
      await graph("GET", `/security/incidents?$filter=${encodeURIComponent("determination eq 'compromisedUser'")}&$count=true`, token)
    ).json();
    expect(compromised["@odata.count"]).toBe(all.filter((i) => i.determination === "compromisedAccount").length);
    expect(compromised.value.every((i: LooseJson) => i.determination === "compromisedAccount")).toBe(true);

    for (const bad of [
      "status eq 'active' or status eq 'resolved'",
      "title eq 'x'",
      "status eq 'sleeping'",
      "lastUpdateDateTime ge yesterday",
      "status gt 'active'",
    ]) {
      expectGraphError(await graph("GET", `/security/incidents?$filter=${encodeURIComponent(bad)}`, token), 400, "BadRequest");
    }
  });

  it("expands alerts with evidence whose values match the Defender entities, including types clients do not know", async () => {
    const token = await accessToken(CONTOSO);
    const { items } = await walk("/security/incidents?$expand=alerts", token);
    expect(items).toHaveLength(230);
    const defenderById = new Map((await truth(CONTOSO)).map((i) => [String(i.incidentId), i]));
    const types = new Set<string>();
    for (const incident of items) {
      const d = defenderById.get(incident.id)!;
      expect(incident.alerts.map((a: LooseJson) => a.id)).toEqual(d.alerts.map((a: LooseJson) => a.alertId));
      for (const [index, alert] of incident.alerts.entries()) {
        const source = d.alerts[index];
        expect(alert).toMatchObject({
          "@odata.type": "#microsoft.graph.security.alert",
          incidentId: incident.id,
          title: source.title,
          actorDisplayName: source.actorName,
          threatFamilyName: source.threatFamilyName,
          mitreTechniques: source.mitreTechniques,
          firstActivityDateTime: source.firstActivity,
          lastActivityDateTime: source.lastActivity,
          createdDateTime: source.creationTime,
        });
        expect(["new", "inProgress", "resolved"]).toContain(alert.status);
        expect(alert.serviceSource).toMatch(/^[a-z][A-Za-z0-9]+$/);
        const evidence: LooseJson[] = alert.evidence;
        for (const e of evidence) {
          types.add(e["@odata.type"]);
          expect(["unknown", "suspicious", "malicious", "noThreatsFound"]).toContain(e.verdict);
          expect(["none", "remediated", "prevented", "blocked", "notFound"]).toContain(e.remediationStatus);
          expect(Array.isArray(e.roles)).toBe(true);
          expect(e.createdDateTime).toMatch(/Z$/);
        }
        const ofType = (t: string) => evidence.filter((e) => e["@odata.type"] === `#microsoft.graph.security.${t}`);
        for (const entity of source.entities) {
          switch (entity.entityType) {
            case "Ip":
              expect(ofType("ipEvidence").map((e) => e.ipAddress)).toContain(entity.ipAddress);
              break;
            case "User":
              expect(ofType("userEvidence").map((e) => e.userAccount.userPrincipalName)).toContain(entity.userPrincipalName);
              break;
            case "File":
              expect(ofType("fileEvidence").map((e) => e.fileDetails.sha256)).toContain(entity.sha256);
              break;
            case "Process":
              expect(ofType("processEvidence").map((e) => e.processCommandLine)).toContain(entity.processCommandLine);
              break;
            case "Url":
              expect(ofType("urlEvidence").map((e) => e.url)).toContain(entity.url);
              break;
            case "MailBox":
              expect(ofType("mailboxEvidence").map((e) => e.primaryAddress)).toContain(entity.mailboxAddress);
              break;
            case "MailMessage":
              expect(
                ofType("analyzedMessageEvidence").map((e) => [e.p1Sender.emailAddress, e.recipientEmailAddress, e.subject, e.networkMessageId]),
              ).toContainEqual([entity.sender, entity.recipient, entity.subject, entity.networkMessageId]);
              break;
            case "Registry":
              expect(ofType("registryKeyEvidence").map((e) => e.registryKey)).toContain(entity.registryKey);
              expect(ofType("registryValueEvidence").map((e) => e.registryValueName)).toContain(entity.registryValueName);
              break;
            case "SecurityGroup":
              expect(ofType("securityGroupEvidence").map((e) => e.securityGroupId)).toContain(entity.securityGroupId);
              break;
            case "CloudApplication":
              expect(ofType("cloudApplicationEvidence").map((e) => e.displayName)).toContain(entity.applicationName);
              break;
          }
        }
        for (const device of source.devices) {
          expect(ofType("deviceEvidence").map((e) => [e.mdeDeviceId, e.deviceDnsName])).toContainEqual([device.mdatpDeviceId, device.deviceDnsName]);
        }
      }
    }
    for (const known of KNOWN_EVIDENCE) expect(types).toContain(known);
    expect([...types].filter((t) => !KNOWN_EVIDENCE.includes(t)).length).toBeGreaterThan(0);
    expect(types).toContain("#microsoft.graph.security.kubernetesPodEvidence");

    // Graph-only incident fields, deterministic per seed, some with HTML-looking text.
    expect(items.some((i) => i.systemTags.includes("Defender Experts"))).toBe(true);
    expect(items.some((i) => typeof i.description === "string" && i.description.includes("<"))).toBe(true);
    expect(items.some((i) => typeof i.summary === "string")).toBe(true);
    expect(items.some((i) => i.status === "resolved" && typeof i.resolvingComment === "string")).toBe(true);
    expect(items.every((i) => "lastModifiedBy" in i && "redirectIncidentId" in i)).toBe(true);
  });

  it("shows evolvable status awaitingAction only with Prefer: include-unknown-enum-members", async () => {
    const [target] = await truth(FABRIKAM);
    const changed = await control("PATCH", `/tenants/${FABRIKAM}/incidents/${target.incidentId}`, {
      status: "awaitingAction",
      systemTags: ["Defender Experts"],
      summary: "Experts need your answer <b>now</b>",
    });
    expect(changed.json().status).toBe("AwaitingAction");
    const token = await accessToken(FABRIKAM);

    const plain = await graph("GET", `/security/incidents/${target.incidentId}`, token);
    expect(plain.json()).toMatchObject({ status: "unknownFutureValue", systemTags: ["Defender Experts"], summary: "Experts need your answer <b>now</b>" });
    expect(plain.headers["preference-applied"]).toBeUndefined();
    const preferred = await graph("GET", `/security/incidents/${target.incidentId}`, token, { headers: { prefer: "include-unknown-enum-members" } });
    expect(preferred.json().status).toBe("awaitingAction");
    expect(preferred.headers["preference-applied"]).toBe("include-unknown-enum-members");

    const filtered = (await graph("GET", `/security/incidents?$filter=${encodeURIComponent("status eq 'awaitingAction'")}`, token)).json().value;
    expect(filtered.map((i: LooseJson) => [i.id, i.status])).toEqual([[String(target.incidentId), "unknownFutureValue"]]);
    const defenderView = (await defender("GET", `/api/incidents/${target.incidentId}`, await accessToken(FABRIKAM, DEFENDER_SCOPE))).json();
    expect(defenderView.status).toBe("AwaitingAction");
    expect(defenderView.graph).toBeUndefined();
    expect(defenderView.systemTags).toBeUndefined();
    await control("PATCH", `/tenants/${FABRIKAM}/incidents/${target.incidentId}`, { status: "Active" });
  });
});

describe("updating incidents", () => {
  it("PATCH validates Graph's values case-insensitively, stores them, and the Defender view shows the change", async () => {
    const token = await accessToken(FABRIKAM);
    const defenderToken = await accessToken(FABRIKAM, DEFENDER_SCOPE);
    const [target] = await truth(FABRIKAM);
    const id = String(target.incidentId);
    const latest = (await truth(FABRIKAM))
      .map((i) => i.lastUpdateTime)
      .sort()
      .at(-1);

    const reply = await graph("PATCH", `/security/incidents/${id}`, token, {
      body: {
        status: "InProgress",
        assignedTo: "zoe.angstrom@northwindcyber.onmicrosoft.com",
        classification: "TruePositive",
        determination: "compromisedUser",
        customTags: ["Demo", "東京支社"],
      },
    });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.headers["request-id"]).toBeTruthy();
    const updated = reply.json();
    expect(updated).toMatchObject({
      id,
      status: "inProgress",
      classification: "truePositive",
      determination: "compromisedAccount",
      customTags: ["Demo", "東京支社"],
      lastModifiedBy: APP_NAME,
    });
    expect(updated.lastUpdateDateTime > latest).toBe(true);

    const viaDefender = (await defender("GET", `/api/incidents/${id}`, defenderToken)).json();
    expect(viaDefender).toMatchObject({
      status: "InProgress",
      assignedTo: "zoe.angstrom@northwindcyber.onmicrosoft.com",
      classification: "TruePositive",
      determination: "CompromisedAccount",
      tags: ["Demo", "東京支社"],
      lastUpdateTime: updated.lastUpdateDateTime,
    });
    const changedSince = (await defender("GET", `/api/incidents?$filter=${encodeURIComponent(`lastUpdateTime gt ${latest}`)}`, defenderToken)).json().value;
    expect(changedSince.map((i: LooseJson) => String(i.incidentId))).toEqual([id]);

    expect((await graph("PATCH", `/security/incidents/${id}`, token, { body: { assignedTo: null, status: "resolved" } })).json()).toMatchObject({
      assignedTo: null,
      status: "resolved",
    });
    // Changing the classification alone clears a determination that no longer fits, as Defender does.
    expect((await graph("PATCH", `/security/incidents/${id}`, token, { body: { classification: "falsePositive" } })).json()).toMatchObject({
      classification: "falsePositive",
      determination: "unknown",
    });

    const invalid = [
      { status: "Sleeping" },
      { status: "unknownFutureValue" },
      { classification: "BenignPositive" },
      { classification: "falsePositive", determination: "malware" },
      { determination: "phishing" },
      { severity: "high" },
      { resolvingComment: "done" },
      { customTags: "Demo" },
      { assignedTo: 42 },
      {},
    ];
    for (const body of invalid) expectGraphError(await graph("PATCH", `/security/incidents/${id}`, token, { body }), 400, "BadRequest");
    expectGraphError(await graph("PATCH", "/security/incidents/999999999", token, { body: { status: "active" } }), 404, "NotFound");
    expectGraphError(await graph("GET", "/security/incidents/999999999", token), 404, "NotFound");
    expectGraphError(await graph("GET", "/security/incidents/abc", token), 404, "NotFound");
    const broken = await https("PATCH", `${emulator.graphApiUrl}/v1.0/security/incidents/${id}`, {
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "{not json",
    });
    expectGraphError(broken, 400, "BadRequest");
  });

  it("adds comments that both views list, bumping the last update", async () => {
    const token = await accessToken(FABRIKAM);
    const [, target] = await truth(FABRIKAM);
    const before = (await graph("GET", `/security/incidents/${target.incidentId}`, token)).json();
    const reply = await graph("POST", `/security/incidents/${target.incidentId}/comments`, token, {
      body: { "@odata.type": "microsoft.graph.security.alertComment", comment: "Isolated the device <b>now</b> 🛡" },
    });
    expect(reply.status, reply.text).toBe(200);
    const body = reply.json();
    expect(body["@odata.context"]).toContain("alertComment");
    expect(body.value).toHaveLength(before.comments.length + 1);
    const added = body.value.at(-1);
    expect(added).toMatchObject({ comment: "Isolated the device <b>now</b> 🛡", createdByDisplayName: APP_NAME });

    const after = (await graph("GET", `/security/incidents/${target.incidentId}`, token)).json();
    expect(after.lastUpdateDateTime > before.lastUpdateDateTime).toBe(true);
    expect(after.comments.at(-1)).toEqual(added);
    expect(after.lastModifiedBy).toBe(APP_NAME);
    const viaDefender = (await defender("GET", `/api/incidents/${target.incidentId}`, await accessToken(FABRIKAM, DEFENDER_SCOPE))).json();
    expect(viaDefender.comments.at(-1)).toEqual({ comment: added.comment, createdBy: APP_NAME, createdTime: added.createdDateTime });
    expect(viaDefender.lastUpdateTime).toBe(after.lastUpdateDateTime);

    expect((await graph("POST", `/security/incidents/${target.incidentId}/comments`, token, { body: { comment: "without the annotation" } })).status).toBe(200);
    for (const bad of [{ comment: "" }, { comment: 5 }, { "@odata.type": "microsoft.graph.security.incident", comment: "x" }, { comment: "x", author: "me" }]) {
      expectGraphError(await graph("POST", `/security/incidents/${target.incidentId}/comments`, token, { body: bad }), 400, "BadRequest");
    }
  });

  it("control API: added and changed incidents, Graph-only fields included, appear in both views", async () => {
    const added = (
      await control("POST", `/tenants/${FABRIKAM}/incidents`, {
        incident: { incidentName: "Zoë's <script> incident", severity: "High", summary: "Added <i>by a test</i>", systemTags: ["Defender Experts"] },
      })
    ).json();
    expect(added).toHaveLength(1);
    expect(added[0].graph).toBeUndefined();
    const id = added[0].incidentId;
    const token = await accessToken(FABRIKAM);
    const newest = (await graph("GET", "/security/incidents?$top=1", token)).json().value[0];
    expect(newest).toMatchObject({
      id: String(id),
      displayName: "Zoë's <script> incident",
      severity: "high",
      status: "active",
      summary: "Added <i>by a test</i>",
      systemTags: ["Defender Experts"],
    });
    expect((await defender("GET", `/api/incidents/${id}`, await accessToken(FABRIKAM, DEFENDER_SCOPE))).json()).toMatchObject({
      incidentId: id,
      severity: "High",
      status: "Active",
    });

    await control("PATCH", `/tenants/${FABRIKAM}/incidents/${id}`, { status: "Resolved", resolvingComment: "Closed by the test", description: null });
    expect((await graph("GET", `/security/incidents/${id}`, token)).json()).toMatchObject({
      status: "resolved",
      resolvingComment: "Closed by the test",
      description: null,
    });
    const stored = (await truth(FABRIKAM, "stored")).find((i) => i.incidentId === id);
    expect(stored.graph).toMatchObject({ resolvingComment: "Closed by the test", systemTags: ["Defender Experts"] });
    expect((await control("PATCH", `/tenants/${FABRIKAM}/incidents/${id}`, { systemTags: "not a list" })).status).toBe(400);
  });
});

describe("throttling, faults and metrics", () => {
  it("throttles Graph per app and tenant with 429 and Retry-After, apart from the Defender windows", async () => {
    await control("POST", "/rate-limits", { graph: { perMinute: 3 } });
    const token = await accessToken(FABRIKAM);
    for (let i = 0; i < 3; i++) expect((await graph("GET", "/security/incidents?$top=1", token)).status).toBe(200);
    const throttled = await graph("GET", "/security/incidents/1", token);
    expectGraphError(throttled, 429, "TooManyRequests");
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    expect((await defender("GET", "/api/incidents?$top=1", await accessToken(FABRIKAM, DEFENDER_SCOPE))).status).toBe(200);
    expect((await graph("GET", "/security/incidents?$top=1", await accessToken(CONTOSO))).status).toBe(200);
    const limits = (await control("POST", "/rate-limits", { graph: { perMinute: 150 } })).json();
    expect(limits.graph).toEqual({ perMinute: 150, perHour: 9000 });
  });

  it("applies the list/get/patch faults to Graph too (comments count as patch) and counts Graph calls apart", async () => {
    const token = await accessToken(FABRIKAM);
    const [target] = await truth(FABRIKAM);
    await control("DELETE", "/metrics");

    await control("POST", "/faults", { tenantId: FABRIKAM, route: "list", kind: "503", count: 1, retryAfterSeconds: 2 });
    const failed = await graph("GET", "/security/incidents?$top=5", token);
    expectGraphError(failed, 503, "ServiceUnavailable");
    expect(failed.headers["retry-after"]).toBe("2");
    expect((await graph("GET", "/security/incidents?$top=5", token)).status).toBe(200);

    await control("POST", "/faults", { tenantId: FABRIKAM, route: "list", kind: "malformed-record", count: 1 });
    const page = (await graph("GET", "/security/incidents?$top=5", token)).json().value;
    expect(page.filter((i: LooseJson) => !/^\d+$/.test(String(i.id)) && i.createdDateTime === "not-a-date")).toHaveLength(1);

    await control("POST", "/faults", { tenantId: FABRIKAM, route: "get", kind: "malformed-json", count: 1 });
    const truncated = await graph("GET", `/security/incidents/${target.incidentId}`, token);
    expect(truncated.status).toBe(200);
    expect(() => truncated.json()).toThrow();

    await control("POST", "/faults", { tenantId: FABRIKAM, route: "patch", kind: "500", count: 1 });
    expectGraphError(
      await graph("POST", `/security/incidents/${target.incidentId}/comments`, token, { body: { comment: "retry me" } }),
      500,
      "InternalServerError",
    );
    expect((await graph("PATCH", `/security/incidents/${target.incidentId}`, token, { body: { customTags: ["after fault"] } })).status).toBe(200);

    await control("POST", "/faults", { tenantId: FABRIKAM, route: "*", kind: "reset", count: 1 });
    await expect(graph("GET", "/security/incidents?$top=1", token)).rejects.toThrow();
    await control("DELETE", `/faults?tenantId=${FABRIKAM}`);

    const metrics = (await control("GET", "/metrics")).json();
    expect(metrics.apiCalls[FABRIKAM]).toEqual({ "graph.list": 4, "graph.get": 1, "graph.comment": 1, "graph.patch": 1 });
    expect(metrics.apiResponses[FABRIKAM]).toMatchObject({ "200": 4, "503": 1, "500": 1 });
  });
});

describe("consent details", () => {
  it("a cancelled v2 consent can come back as consent_required (AADSTS65004) as well as access_denied", async () => {
    const fields = {
      client_id: emulator.clientId,
      scope: GRAPH_SCOPE,
      redirect_uri: CONSENT_CALLBACK,
      state: "cancel-1",
      step: "decide",
      user_id: TAILSPIN_ADMIN,
      decision: "cancel",
    };
    const cancel = async () =>
      new URL(
        (await fetch(`${emulator.browserUrl}/${TAILSPIN}/v2.0/adminconsent`, { method: "POST", redirect: "manual", ...form(fields) })).headers.get("location")!,
      ).searchParams;

    expect((await cancel()).get("error")).toBe("access_denied");
    expect((await control("POST", "/settings", { cancelForm: "consent_required" })).json().cancelForm).toBe("consent_required");
    const params = await cancel();
    expect(params.get("error")).toBe("consent_required");
    expect(params.get("error_description")).toMatch(/^AADSTS65004/);
    expect(params.get("admin_consent")).toBe("True");
    expect(params.get("state")).toBe("cancel-1");
    expect((await tokenRequest(TAILSPIN, GRAPH_SCOPE)).json().error_codes).toEqual([7000229]);
    expect((await control("POST", "/settings", { cancelForm: "sideways" })).status).toBe(400);
    await control("POST", "/settings", { cancelForm: "access_denied" });
  });

  it("keeps Graph changes and Graph-only fields across restarts; legacy consent applies to a fresh world only", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emulator-graph-persist-"));
    cpSync(path.join(dataDir, "pki"), path.join(dir, "pki"), { recursive: true });
    const options = { dataDir: dir, persist: true, incidentCounts: { [ADATUM]: 12 }, legacyConsent: [ADATUM] };
    try {
      const first = await startEmulator(options);
      const viaControl = (method: string, handle: EmulatorHandle, route: string, body?: unknown) =>
        https(method, `${handle.controlUrl}${route}`, {
          headers: { "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const graphToken = async (handle: EmulatorHandle) =>
        (
          await https(
            "POST",
            `${handle.authorityHost}/${ADATUM}/oauth2/v2.0/token`,
            form({ grant_type: "client_credentials", client_id: handle.clientId, client_secret: handle.clientSecret, scope: GRAPH_SCOPE }),
          )
        ).json().access_token as string;
      // Re-consent (directly), then change the incident through Graph and Graph-only fields through control.
      await viaControl("POST", first, `/tenants/${ADATUM}/consent`, {});
      const [target] = (await viaControl("GET", first, `/tenants/${ADATUM}/incidents`)).json();
      const token = await graphToken(first);
      const patched = await https("PATCH", `${first.graphApiUrl}/v1.0/security/incidents/${target.incidentId}`, {
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ customTags: ["kept"], classification: "informationalExpectedActivity", determination: "confirmedUserActivity" }),
      });
      expect(patched.status, patched.text).toBe(200);
      await viaControl("PATCH", first, `/tenants/${ADATUM}/incidents/${target.incidentId}`, { summary: "kept summary" });
      await first.stop();

      const second = await startEmulator(options);
      try {
        const state = (await viaControl("GET", second, "/state")).json();
        expect(state.tenants.find((t: LooseJson) => t.id === ADATUM).grantedPermissions).toEqual([...DEFENDER_ROLES, ...GRAPH_ROLES]);
        const again = (
          await https("GET", `${second.graphApiUrl}/v1.0/security/incidents/${target.incidentId}`, {
            headers: { authorization: `Bearer ${await graphToken(second)}` },
          })
        ).json();
        expect(again).toMatchObject({
          customTags: ["kept"],
          classification: "informationalExpectedActivity",
          determination: "confirmedActivity",
          summary: "kept summary",
          lastModifiedBy: APP_NAME,
        });
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to start with a legacy-consent name that is not a customer tenant", async () => {
    await expect(startEmulator({ dataDir, persist: false, incidentCounts: { [CONTOSO]: 1 }, legacyConsent: ["nobody.onmicrosoft.com"] })).rejects.toThrow(
      /legacy consent/,
    );
  });

  it("EMULATOR_LEGACY_CONSENT (main.ts) consents the named customers with the Defender permissions only", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emulator-graph-main-"));
    cpSync(path.join(dataDir, "pki"), path.join(dir, "pki"), { recursive: true });
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "../../emulator/main.ts")], {
      env: {
        ...process.env,
        EMULATOR_HTTPS_PORT: "0",
        EMULATOR_HTTP_PORT: "0",
        EMULATOR_DATA_DIR: dir,
        EMULATOR_LEGACY_CONSENT: ` ${LITWARE}, tailspintoys.onmicrosoft.com ,`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const ready = await new Promise<LooseJson>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.once("line", (line) => resolve(JSON.parse(line)));
        child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
      });
      expect(ready).toMatchObject({ event: "emulator.ready", graphApiUrl: ready.authorityHost, defenderApiUrl: ready.authorityHost });
      const state = (await https("GET", `${ready.controlUrl}/state`)).json();
      const byId = new Map(state.tenants.map((t: LooseJson) => [t.id, t]));
      for (const id of [LITWARE, TAILSPIN]) expect(byId.get(id)).toMatchObject({ consented: true, grantedPermissions: DEFENDER_ROLES, consentedAtMs: null });
      expect(byId.get(CONTOSO)).toMatchObject({ consented: false });
    } finally {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
