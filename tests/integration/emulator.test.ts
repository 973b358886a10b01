// The local Microsoft cloud behaves like Entra ID and the Defender XDR API for the portal:
// real HTTPS with a private CA, msal-node against it, consent, incidents, throttling and faults.
import { ConfidentialClientApplication, type INetworkModule, type NetworkResponse } from "@azure/msal-node";
import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type EmulatorHandle } from "../../emulator/start-emulator";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const FABRIKAM = "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72";
const WOODGROVE = "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83";
const TAILSPIN = "3e0a2d6b-54f7-4c9d-9b8a-0f4c6d2e5b94";
const DEFENDER_SCOPE = "https://api.security.microsoft.com/.default";
const PORTAL_CALLBACK = "http://localhost:3000/api/auth/callback/azure-ad";
const CONSENT_CALLBACK = "http://localhost:3000/consent/callback";

// Response bodies are inspected ad hoc with toMatchObject/toEqual; a loose type keeps assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type LooseJson = any;
type Reply = { status: number; headers: Record<string, string>; text: string; json: () => LooseJson };

let emulator: EmulatorHandle;
let ca: string;
let dataDir: string;

/** HTTPS with the emulator's CA; global fetch cannot take a custom CA without extra packages. */
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

function tokenRequest(tenant: string, fields: Record<string, string> = {}) {
  return https(
    "POST",
    `${emulator.authorityHost}/${tenant}/oauth2/v2.0/token`,
    form({ grant_type: "client_credentials", client_id: emulator.clientId, client_secret: emulator.clientSecret, scope: DEFENDER_SCOPE, ...fields }),
  );
}

async function accessToken(tenant: string): Promise<string> {
  const reply = await tokenRequest(tenant);
  expect(reply.status).toBe(200);
  return reply.json().access_token as string;
}

const api = (method: string, route: string, token: string, body?: unknown) =>
  https(method, `${emulator.defenderApiUrl}${route}`, {
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** msal-node's network module over node:https so it trusts the emulator's private CA. */
function caTrustingNetworkClient(): INetworkModule {
  const send = async <T>(method: string, url: string, options?: { headers?: Record<string, string>; body?: string }): Promise<NetworkResponse<T>> => {
    const reply = await https(method, url, { headers: options?.headers, body: options?.body });
    return { headers: reply.headers, body: JSON.parse(reply.text) as T, status: reply.status };
  };
  return {
    sendGetRequestAsync: (url, options) => send("GET", url, options),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
  };
}

function msalApp(tenant: string, credential: "secret" | "certificate"): ConfidentialClientApplication {
  const pem = readFileSync(emulator.appCertificatePath, "utf8");
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)![0];
  return new ConfidentialClientApplication({
    auth: {
      clientId: emulator.clientId,
      authority: `${emulator.authorityHost}/${tenant}`,
      knownAuthorities: [new URL(emulator.authorityHost).host],
      ...(credential === "secret"
        ? { clientSecret: emulator.clientSecret }
        : { clientCertificate: { thumbprintSha256: new X509Certificate(certPem).fingerprint256.replace(/:/g, ""), privateKey: pem } }),
    },
    system: { networkClient: caTrustingNetworkClient() },
  });
}

async function allPages(token: string, query = ""): Promise<LooseJson[]> {
  const out: LooseJson[] = [];
  for (let skip = 0; ; skip += 100) {
    const reply = await api("GET", `/api/incidents?$top=100&$skip=${skip}${query}`, token);
    expect(reply.status).toBe(200);
    const page = reply.json();
    expect(page["@odata.nextLink"]).toBeUndefined();
    out.push(...page.value);
    if (page.value.length < 100) return out;
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "emulator-test-"));
  emulator = await startEmulator({ dataDir, seed: 7, propagationDelayMs: 400, incidentCounts: { [CONTOSO]: 230 } });
  ca = readFileSync(emulator.caCertPath, "utf8");
});

afterAll(async () => {
  await emulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("Entra ID emulation", () => {
  it("publishes discovery over HTTPS, sign-in pages on the HTTP browser listener, and JWKS", async () => {
    const doc = (await https("GET", `${emulator.authorityHost}/contosomfg.onmicrosoft.com/v2.0/.well-known/openid-configuration`)).json();
    expect(doc.issuer).toBe(`${emulator.authorityHost}/${CONTOSO}/v2.0`);
    expect(doc.token_endpoint).toBe(`${emulator.authorityHost}/${CONTOSO}/oauth2/v2.0/token`);
    expect(doc.authorization_endpoint).toBe(`${emulator.browserUrl}/${CONTOSO}/oauth2/v2.0/authorize`);
    expect(doc.token_endpoint_auth_methods_supported).toEqual(["client_secret_post", "private_key_jwt", "client_secret_basic"]);

    const jwks = (await https("GET", doc.jwks_uri)).json();
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", use: "sig" });
    expect(jwks.keys[0].kid).toBe(jwks.keys[0].x5t);

    const orgs = (await https("GET", `${emulator.authorityHost}/organizations/v2.0/.well-known/openid-configuration`)).json();
    expect(orgs.issuer).toBe(`${emulator.authorityHost}/{tenantid}/v2.0`);

    const unknown = await https("GET", `${emulator.authorityHost}/nobody.onmicrosoft.com/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expect(unknown.json().error_codes).toEqual([90002]);

    const instance = (
      await https(
        "GET",
        `${emulator.authorityHost}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${emulator.authorityHost}/${CONTOSO}/oauth2/v2.0/authorize`)}`,
      )
    ).json();
    expect(instance.tenant_discovery_endpoint).toBe(`${emulator.authorityHost}/${CONTOSO}/v2.0/.well-known/openid-configuration`);
  });

  it("refuses an app that was never consented with AADSTS7000229, through msal-node", async () => {
    const error = await msalApp(WOODGROVE, "secret")
      .acquireTokenByClientCredential({ scopes: [DEFENDER_SCOPE] })
      .catch((e: unknown) => e as { errorCode: string; errorNo: unknown });
    expect(error).toMatchObject({ errorCode: "unauthorized_client" });
    // msal copies error_codes[0] as given (a number), although its type says string.
    expect(String((error as { errorNo: unknown }).errorNo)).toBe("7000229");
  });

  it("issues tokens with the granted roles after consent, by secret and by certificate, via msal-node", async () => {
    expect((await control("POST", `/tenants/${CONTOSO}/consent`, {})).status).toBe(200);
    await control("DELETE", "/metrics");

    const bySecret = msalApp(CONTOSO, "secret");
    const first = await bySecret.acquireTokenByClientCredential({ scopes: [DEFENDER_SCOPE] });
    const claims = decodeJwt(first!.accessToken);
    expect(claims).toMatchObject({
      tid: CONTOSO,
      aud: "https://api.security.microsoft.com",
      appid: emulator.clientId,
      iss: `https://sts.windows.net/${CONTOSO}/`,
    });
    expect(claims.roles).toEqual(["Incident.Read.All", "Incident.ReadWrite.All"]);
    await bySecret.acquireTokenByClientCredential({ scopes: [DEFENDER_SCOPE] }); // served from msal's cache

    const byCertificate = await msalApp(CONTOSO, "certificate").acquireTokenByClientCredential({ scopes: [DEFENDER_SCOPE] });
    expect(decodeJwt(byCertificate!.accessToken).tid).toBe(CONTOSO);

    const metrics = (await control("GET", "/metrics")).json();
    expect(metrics.tokenRequests[CONTOSO].client_credentials).toBe(2);
  });

  it("answers credential, tenant and scope problems with Microsoft's error codes", async () => {
    await control("POST", `/tenants/${CONTOSO}/consent`, {});
    const codeOf = async (p: Promise<Reply>) => {
      const reply = await p;
      return [reply.status, reply.json().error_codes[0]];
    };
    expect(await codeOf(tokenRequest(CONTOSO, { client_secret: "wrong" }))).toEqual([401, 7000215]);
    expect(await codeOf(tokenRequest(CONTOSO, { client_secret: "Nwp8Q~Expired.Demo-Secret_Emulator-2023" }))).toEqual([401, 7000222]);
    expect(await codeOf(tokenRequest("00000000-0000-0000-0000-000000000000"))).toEqual([400, 90002]);
    expect(await codeOf(tokenRequest(CONTOSO, { scope: "https://api.security.microsoft.com/Incident.Read.All" }))).toEqual([400, 1002012]);
    expect(await codeOf(tokenRequest(CONTOSO, { client_id: "11111111-2222-3333-4444-555555555555" }))).toEqual([400, 700016]);
    expect(
      await codeOf(
        tokenRequest(CONTOSO, {
          client_secret: "",
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: "e30.e30.sig",
        }),
      ),
    ).toEqual([401, 700027]);

    await control("POST", `/tenants/${CONTOSO}/status`, { disabled: true });
    expect(await codeOf(tokenRequest(CONTOSO))).toEqual([400, 7000112]);
    await control("POST", `/tenants/${CONTOSO}/status`, { disabled: false, blocked: true });
    expect(await codeOf(tokenRequest(CONTOSO))).toEqual([400, 53003]);
    await control("POST", `/tenants/${CONTOSO}/status`, { blocked: false });

    const body = (await tokenRequest(CONTOSO, { client_secret: "wrong" })).json();
    expect(body.error).toBe("invalid_client");
    expect(body.error_description).toMatch(/^AADSTS7000215: .+\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [0-9a-f-]{36}\r\nTimestamp: /);
  });
});

describe("Defender XDR incidents API", () => {
  beforeAll(async () => {
    expect((await control("POST", `/tenants/${CONTOSO}/consent`, {})).status).toBe(200);
  });

  it("pages the whole tenant with $top/$skip in a stable order and filters on lastUpdateTime", async () => {
    const token = await accessToken(CONTOSO);
    const truth = (await control("GET", `/tenants/${CONTOSO}/incidents`)).json();
    expect(truth).toHaveLength(230);
    const listed = await allPages(token);
    expect(listed.map((i) => i.incidentId).sort((a, b) => a - b)).toEqual(
      truth.map((i: { incidentId: number }) => i.incidentId).sort((a: number, b: number) => a - b),
    );
    const stamps = listed.map((i) => i.lastUpdateTime);
    expect([...stamps].sort()).toEqual(stamps);

    const cursor = stamps[150];
    const since = await allPages(token, `&$filter=${encodeURIComponent(`lastUpdateTime ge ${cursor}`)}`);
    expect(since.length).toBe(truth.filter((i: { lastUpdateTime: string }) => i.lastUpdateTime >= cursor).length);

    const active = (
      await api("GET", `/api/incidents?$filter=${encodeURIComponent("status eq 'Active' and (assignedTo eq null or createdTime gt 2000-01-01)")}`, token)
    ).json();
    expect(active.value.every((i: { status: string }) => i.status === "Active")).toBe(true);

    expect((await api("GET", "/api/incidents?$top=101", token)).status).toBe(400);
    const badFilter = await api("GET", `/api/incidents?$filter=${encodeURIComponent("severity eq 'High'")}`, token);
    expect(badFilter.status).toBe(400);
    expect(badFilter.json().error.code).toBe("InvalidRequest");
  });

  it("in the shuffled list order pages every incident once, ordered by neither last update nor id, the same on every walk", async () => {
    expect((await control("POST", "/settings", { listOrder: "shuffled", listOrderSeed: 3 })).status).toBe(200);
    try {
      const token = await accessToken(CONTOSO);
      const listed = await allPages(token);
      const ids = listed.map((i) => i.incidentId as number);
      const truth = (await control("GET", `/tenants/${CONTOSO}/incidents`)).json() as { incidentId: number }[];
      expect([...ids].sort((a, b) => a - b)).toEqual(truth.map((i) => i.incidentId).sort((a, b) => a - b));
      expect((await allPages(token)).map((i) => i.incidentId)).toEqual(ids);
      const stamps = listed.map((i) => i.lastUpdateTime as string);
      expect([...stamps].sort()).not.toEqual(stamps);
      expect([...ids].sort((a, b) => a - b)).not.toEqual(ids);
    } finally {
      expect((await control("POST", "/settings", { listOrder: "sorted" })).status).toBe(200);
    }
  });

  it("adds no latency by default; with addedLatencyMs every token request and API call waits that long", async () => {
    expect((await control("GET", "/state")).json().settings.addedLatencyMs).toBe(0);
    expect((await control("POST", "/settings", { addedLatencyMs: 300 })).status).toBe(200);
    try {
      let t0 = performance.now();
      const token = await accessToken(CONTOSO);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
      t0 = performance.now();
      expect((await api("GET", "/api/incidents?$top=1", token)).status).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    } finally {
      expect((await control("POST", "/settings", { addedLatencyMs: 0 })).status).toBe(200);
    }
  });

  it("clears one tenant's metrics without touching another's", async () => {
    await api("GET", "/api/incidents?$top=1", await accessToken(CONTOSO));
    const before = (await control("GET", "/metrics")).json();
    expect(before.apiCalls[CONTOSO].list).toBeGreaterThan(0);
    await control("POST", `/tenants/${WOODGROVE}/consent`, {});
    try {
      await api("GET", "/api/incidents?$top=1", await accessToken(WOODGROVE));
    } finally {
      await control("POST", `/tenants/${WOODGROVE}/revoke`);
    }
    expect((await control("DELETE", `/metrics?tenantId=${WOODGROVE}`)).status).toBe(200);
    const after = (await control("GET", "/metrics")).json();
    expect(after.apiCalls[WOODGROVE]).toBeUndefined();
    expect(after.tokenRequests[WOODGROVE]).toBeUndefined();
    expect(after.apiCalls[CONTOSO].list).toBeGreaterThanOrEqual(before.apiCalls[CONTOSO].list);
    expect(after.tokenRequests[CONTOSO]).toEqual(before.tokenRequests[CONTOSO]);
    expect((await control("DELETE", "/metrics?tenantId=nobody.example")).status).toBe(404);
  });

  it("seed data covers every entity type, unicode and HTML-looking strings", async () => {
    const truth = (await control("GET", `/tenants/${CONTOSO}/incidents`)).json() as {
      incidentName: string;
      alerts: { entities: { entityType: string }[] }[];
    }[];
    const types = new Set(truth.flatMap((i) => i.alerts.flatMap((a) => a.entities.map((e) => e.entityType))));
    for (const t of [
      "User",
      "Ip",
      "Url",
      "File",
      "Process",
      "MailBox",
      "MailMessage",
      "MailCluster",
      "Registry",
      "SecurityGroup",
      "CloudApplication",
      "CloudLogonSession",
    ])
      expect(types).toContain(t);
    const text = JSON.stringify(truth);
    expect(text).toContain("<script>alert('xss')</script>");
    expect(text).toContain("Zoë Ångström");
  });

  it("updates an incident with PATCH, bumps lastUpdateTime and validates the classification pair", async () => {
    const token = await accessToken(CONTOSO);
    const [target] = (await api("GET", "/api/incidents?$top=1", token)).json().value;
    const before = (await control("GET", `/tenants/${CONTOSO}/incidents`))
      .json()
      .map((i: { lastUpdateTime: string }) => i.lastUpdateTime)
      .sort()
      .at(-1);
    const reply = await api("PATCH", `/api/incidents/${target.incidentId}`, token, {
      status: "InProgress",
      assignedTo: "arjun.analyst@northwindcyber.onmicrosoft.com",
      classification: "TruePositive",
      determination: "Malware",
      tags: ["Escalated"],
      comment: "Isolated the device <b>now</b>",
    });
    expect(reply.status).toBe(200);
    const updated = reply.json();
    expect(updated).toMatchObject({ status: "InProgress", classification: "TruePositive", determination: "Malware", tags: ["Escalated"] });
    expect(updated.comments.at(-1).comment).toBe("Isolated the device <b>now</b>");
    expect(updated.lastUpdateTime > before).toBe(true);

    const changed = (await api("GET", `/api/incidents?$filter=${encodeURIComponent(`lastUpdateTime gt ${before}`)}`, token)).json().value;
    expect(changed.map((i: { incidentId: number }) => i.incidentId)).toEqual([target.incidentId]);

    expect((await api("PATCH", `/api/incidents/${target.incidentId}`, token, { classification: "FalsePositive", determination: "Malware" })).status).toBe(400);
    expect((await api("PATCH", `/api/incidents/${target.incidentId}`, token, { status: "Sleeping" })).status).toBe(400);
    expect((await api("PATCH", "/api/incidents/999999999", token, { status: "Active" })).status).toBe(404);
    expect((await api("GET", "/api/incidents/999999999", token)).status).toBe(404);
  });

  it("refuses a caller without permission: 403 for PATCH with read-only roles, 401 without a token", async () => {
    await control("POST", `/tenants/${CONTOSO}/roles`, { roles: ["Incident.Read.All"] });
    const token = await accessToken(CONTOSO);
    expect(decodeJwt(token).roles).toEqual(["Incident.Read.All"]);
    expect((await api("GET", "/api/incidents?$top=1", token)).status).toBe(200);
    const patch = await api("PATCH", "/api/incidents/1", token, { status: "Active" });
    expect(patch.status).toBe(403);
    expect(patch.json().error.code).toBe("Forbidden");

    await control("POST", `/tenants/${CONTOSO}/roles`, { roles: [] });
    const noRoles = await accessToken(CONTOSO);
    expect(decodeJwt(noRoles).roles).toBeUndefined();
    expect((await api("GET", "/api/incidents", noRoles)).status).toBe(403);
    expect((await https("GET", `${emulator.defenderApiUrl}/api/incidents`)).status).toBe(401);
    await control("POST", `/tenants/${CONTOSO}/roles`, { roles: ["Incident.Read.All", "Incident.ReadWrite.All"] });
  });

  it("throttles per app and tenant with 429 and Retry-After", async () => {
    await control("POST", "/rate-limits", { list: { perMinute: 3 } });
    const token = await accessToken(CONTOSO);
    for (let i = 0; i < 3; i++) expect((await api("GET", "/api/incidents?$top=1", token)).status).toBe(200);
    const throttled = await api("GET", "/api/incidents?$top=1", token);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    expect((await api("GET", `/api/incidents/${(await control("GET", `/tenants/${CONTOSO}/incidents`)).json()[0].incidentId}`, token)).status).toBe(200);
    await control("POST", "/rate-limits", { list: { perMinute: 50 } });
  });

  it("injects faults: 503 once, a malformed record, truncated JSON, a reset connection", async () => {
    const token = await accessToken(CONTOSO);
    await control("POST", "/faults", { tenantId: CONTOSO, route: "list", kind: "503", count: 1, retryAfterSeconds: 2 });
    const failed = await api("GET", "/api/incidents?$top=5", token);
    expect(failed.status).toBe(503);
    expect(failed.headers["retry-after"]).toBe("2");
    expect((await api("GET", "/api/incidents?$top=5", token)).status).toBe(200);

    await control("POST", "/faults", { route: "list", kind: "malformed-record", count: 1 });
    const page = (await api("GET", "/api/incidents?$top=5", token)).json().value;
    expect(page.filter((i: { incidentId: unknown }) => typeof i.incidentId === "string")).toHaveLength(1);

    await control("POST", "/faults", { route: "get", kind: "malformed-json", count: 1 });
    const truncated = await api("GET", "/api/incidents/1", token);
    expect(() => truncated.json()).toThrow();

    await control("POST", "/faults", { route: "token", kind: "reset", count: 1 });
    await expect(tokenRequest(CONTOSO)).rejects.toThrow();
    expect((await tokenRequest(CONTOSO)).status).toBe(200);
    await control("DELETE", "/faults");
  });

  it("after the enterprise app is deleted: the API answers 401 and new tokens fail with 7000229", async () => {
    const token = await accessToken(CONTOSO);
    await control("POST", `/tenants/${CONTOSO}/revoke`);
    expect((await api("GET", "/api/incidents?$top=1", token)).status).toBe(401);
    const reply = await tokenRequest(CONTOSO);
    expect(reply.json()).toMatchObject({ error: "unauthorized_client", error_codes: [7000229] });
  });
});

describe("browser flows on the HTTP listener", () => {
  const pkce = () => {
    const verifier = "v".repeat(20) + Math.random().toString(36).slice(2).padEnd(40, "x");
    return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
  };

  async function signIn(tenant: string, userId: string, challenge: string) {
    const params = {
      client_id: emulator.clientId,
      redirect_uri: PORTAL_CALLBACK,
      response_type: "code",
      scope: "openid profile email",
      state: "st-1",
      nonce: "n-1",
      code_challenge: challenge,
      code_challenge_method: "S256",
      response_mode: "query",
    };
    const page = await fetch(`${emulator.browserUrl}/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams(params)}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const picked = await fetch(`${emulator.browserUrl}/${tenant}/oauth2/v2.0/authorize`, {
      method: "POST",
      redirect: "manual",
      ...form({ ...params, user_id: userId }),
    });
    expect(picked.status).toBe(302);
    return { html, location: new URL(picked.headers.get("location")!) };
  }

  const redeem = (code: string, verifier: string) =>
    https(
      "POST",
      `${emulator.authorityHost}/${emulator.mspTenantId}/oauth2/v2.0/token`,
      form({
        grant_type: "authorization_code",
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
        code,
        redirect_uri: PORTAL_CALLBACK,
        code_verifier: verifier,
      }),
    );

  it("signs a staff member in with PKCE and puts tid, roles and nonce in the id token", async () => {
    const { verifier, challenge } = pkce();
    const { html, location } = await signIn(emulator.mspTenantId, "a1f4c2d8-3b5e-4c7a-9d1f-2e6b8a0c4d11", challenge);
    expect(html).toContain("Pick an account");
    expect(html).toContain("amelia.admin@northwindcyber.onmicrosoft.com");
    expect(html).toContain("Zoë Ångström");
    expect(html).toContain("Use an account from another organization");
    expect(location.origin + location.pathname).toBe(PORTAL_CALLBACK);
    expect(location.searchParams.get("state")).toBe("st-1");

    const code = location.searchParams.get("code")!;
    const reply = await redeem(code, verifier);
    expect(reply.status).toBe(200);
    const idToken = decodeJwt(reply.json().id_token);
    expect(idToken).toMatchObject({
      tid: emulator.mspTenantId,
      aud: emulator.clientId,
      nonce: "n-1",
      roles: ["Portal.Admin"],
      preferred_username: "amelia.admin@northwindcyber.onmicrosoft.com",
      ver: "2.0",
    });
    expect(idToken.iss).toBe(`${emulator.authorityHost}/${emulator.mspTenantId}/v2.0`);
    expect((await redeem(code, verifier)).json().error_codes).toEqual([54005]);
  });

  it("issues a foreign user's token with the requested issuer but their home tid, and checks PKCE", async () => {
    const { verifier, challenge } = pkce();
    const { location } = await signIn(emulator.mspTenantId, "11c2a7e4-0a1b-4c2d-8e3f-10a1b2c3d401", challenge);
    const idToken = decodeJwt((await redeem(location.searchParams.get("code")!, verifier)).json().id_token);
    expect(idToken.iss).toBe(`${emulator.authorityHost}/${emulator.mspTenantId}/v2.0`);
    expect(idToken.tid).toBe(CONTOSO);
    expect(idToken.roles).toBeUndefined();

    const second = await signIn(emulator.mspTenantId, "e5b8a61c-7f9c-4abe-9b5d-6cafce4a8b55", pkce().challenge);
    expect((await redeem(second.location.searchParams.get("code")!, verifier)).json().error).toBe("invalid_grant");
  });

  it("escapes HTML and refuses unregistered redirect URIs", async () => {
    const bad = await fetch(
      `${emulator.browserUrl}/${emulator.mspTenantId}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: emulator.clientId, redirect_uri: "https://evil.example/cb", response_type: "code", state: "<script>x</script>" })}`,
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("AADSTS50011");
    const page = await fetch(
      `${emulator.browserUrl}/${emulator.mspTenantId}/oauth2/v2.0/authorize?${new URLSearchParams({ client_id: emulator.clientId, redirect_uri: PORTAL_CALLBACK, response_type: "code", state: '"><script>alert(1)</script>' })}`,
    );
    const html = await page.text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("admin consent v2: accept grants the tenant (after a short propagation), cancel returns an error", async () => {
    const query = new URLSearchParams({ client_id: emulator.clientId, scope: DEFENDER_SCOPE, redirect_uri: CONSENT_CALLBACK, state: "consent-1" });
    const url = `${emulator.browserUrl}/${FABRIKAM}/v2.0/adminconsent`;
    const signInPage = await (await fetch(`${url}?${query}`)).text();
    expect(signInPage).toContain("isaiah.langer@fabrikamhealth.onmicrosoft.com");
    expect(signInPage).not.toContain("megan.bowen@contosomfg.onmicrosoft.com");

    const fields = Object.fromEntries(query);
    const consentPage = await (
      await fetch(url, { method: "POST", ...form({ ...fields, step: "consent", user_id: "22d3b8f5-1b2c-4d3e-9f4a-21b2c3d4e502" }) })
    ).text();
    expect(consentPage).toContain("Northwind MSSP Portal");
    expect(consentPage).toContain("Read and write all incidents");

    // Consent grants propagate only when the test releases them (no wall-clock window to win).
    expect((await control("POST", "/settings", { propagationDelayMs: 3_600_000 })).status).toBe(200);
    try {
      const accepted = await fetch(url, {
        method: "POST",
        redirect: "manual",
        ...form({ ...fields, step: "decide", user_id: "22d3b8f5-1b2c-4d3e-9f4a-21b2c3d4e502", decision: "accept" }),
      });
      const back = new URL(accepted.headers.get("location")!);
      expect(back.origin + back.pathname).toBe(CONSENT_CALLBACK);
      expect(Object.fromEntries(back.searchParams)).toEqual({ admin_consent: "True", tenant: FABRIKAM, scope: DEFENDER_SCOPE, state: "consent-1" });

      // Right after consent Microsoft's grants are still propagating: no roles, or AADSTS65001.
      const early = await tokenRequest(FABRIKAM);
      if (early.status === 200) expect(decodeJwt(early.json().access_token).roles).toBeUndefined();
      else expect(early.json().error_codes).toEqual([65001]);
      // Released: the grants have propagated.
      expect((await control("POST", "/settings", { propagationDelayMs: 0 })).status).toBe(200);
      expect(decodeJwt(await accessToken(FABRIKAM)).roles).toEqual(["Incident.Read.All", "Incident.ReadWrite.All"]);
    } finally {
      expect((await control("POST", "/settings", { propagationDelayMs: 400 })).status).toBe(200);
    }

    const cancelled = await fetch(`${emulator.browserUrl}/organizations/v2.0/adminconsent`, {
      method: "POST",
      redirect: "manual",
      ...form({ ...fields, step: "decide", user_id: "44f5dab7-3d4e-4f5a-9b6c-43d4e5f6a704", decision: "cancel" }),
    });
    const error = new URL(cancelled.headers.get("location")!).searchParams;
    expect(error.get("error")).toBe("access_denied");
    expect(error.get("admin_consent")).toBe("True");
    expect(error.get("tenant")).toBe(TAILSPIN);
    expect(error.get("error_description")).toMatch(/^AADSTS65004/);

    const v1Cancel = await fetch(`${emulator.browserUrl}/${TAILSPIN}/adminconsent`, {
      method: "POST",
      redirect: "manual",
      ...form({
        client_id: emulator.clientId,
        redirect_uri: CONSENT_CALLBACK,
        state: "s",
        step: "decide",
        user_id: "44f5dab7-3d4e-4f5a-9b6c-43d4e5f6a704",
        decision: "cancel",
      }),
    });
    expect(new URL(v1Cancel.headers.get("location")!).searchParams.get("error")).toBe("permission_denied");
    expect((await tokenRequest(TAILSPIN)).json().error_codes).toEqual([7000229]);
  });
});

describe("persistence", () => {
  it("keeps consent and key material across restarts when persist is on", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emulator-persist-"));
    try {
      const first = await startEmulator({ dataDir: dir, persist: true, incidentCounts: { [WOODGROVE]: 150 } });
      // This emulator made its own CA in its own data directory; trust it for these calls.
      const caPem = readFileSync(first.caCertPath, "utf8");
      ca = caPem;
      expect(
        (await https("POST", `${first.controlUrl}/tenants/${WOODGROVE}/consent`, { headers: { "content-type": "application/json" }, body: "{}" })).status,
      ).toBe(200);
      await first.stop();

      const second = await startEmulator({ dataDir: dir, persist: true, incidentCounts: { [WOODGROVE]: 150 } });
      expect(readFileSync(second.caCertPath, "utf8")).toBe(caPem);
      const state = (await https("GET", `${second.controlUrl}/state`)).json();
      expect(state.tenants.find((t: { id: string }) => t.id === WOODGROVE).consented).toBe(true);
      await second.stop();
    } finally {
      ca = readFileSync(emulator.caCertPath, "utf8");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
