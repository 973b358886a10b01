import { describe, expect, it } from "vitest";
import { DefenderClient } from "@/server/microsoft/defender-client";
import { ApiForbidden, ApiMalformedResponse, ApiThrottled, ApiUnavailable } from "@/server/microsoft/api-errors";
import { TenantTokenError } from "@/server/microsoft/token-errors";

/** A scripted Defender API: each call takes the next answer. */
function scripted(answers: (Response | Error)[]) {
  const calls: { url: string; auth: string | null }[] = [];
  const fetchImpl = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), auth: new Headers(init?.headers).get("authorization") });
    const next = answers.shift();
    if (!next) throw new Error("no scripted answer left");
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return { calls, fetchImpl };
}

function tokens() {
  let serial = 0;
  const forgotten: string[] = [];
  return {
    forgotten,
    getAppToken: async (tenantId: string) => ({
      accessToken: `token-${++serial}`,
      tenantId,
      resource: "https://api.security.microsoft.com",
      roles: [],
      expiresOn: new Date(Date.now() + 3_600_000),
    }),
    forget: (tenantId: string) => void forgotten.push(tenantId),
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const incident = (id: unknown, extra: Record<string, unknown> = {}) => ({
  incidentId: id,
  incidentName: "x",
  createdTime: "2026-01-01T00:00:00.1234567Z",
  lastUpdateTime: "2026-01-02T00:00:00Z",
  ...extra,
});

function client(answers: (Response | Error)[], source = tokens()) {
  const api = scripted(answers);
  return {
    api,
    source,
    client: new DefenderClient({
      apiUrl: "https://api.example.test/",
      tokens: source,
      fetch: api.fetchImpl,
      backoff: { baseMs: 1, maxMs: 2 },
      maxThrottleWaitMs: 50,
    }),
  };
}

describe("DefenderClient", () => {
  it("builds the list query and returns readable and malformed records apart", async () => {
    const { client: c, api } = client([
      json(200, { value: [incident(1, { severity: "Brand-new", extra: { kept: true } }), incident("abc"), incident(2, { createdTime: "not-a-date" })] }),
    ]);
    const page = await c.listIncidents({ tenantId: "t", filter: { lastUpdateTimeGe: new Date("2026-01-01T00:00:00Z") }, top: 500, skip: 200 });
    expect(decodeURIComponent(api.calls[0]!.url)).toBe(
      "https://api.example.test/api/incidents?$top=100&$skip=200&$filter=lastUpdateTime ge 2026-01-01T00:00:00.000Z",
    );
    expect(page.received).toBe(3);
    expect(page.incidents.map((i) => [i.incidentId, i.severity, (i.raw.extra as { kept: boolean }).kept])).toEqual([[1, "Brand-new", true]]);
    expect(page.malformed.map((m) => [m.incidentId, m.problem.split(":")[0]])).toEqual([
      ["abc", "incidentId"],
      ["2", "createdTime"],
    ]);
  });

  it("replaces U+0000, which PostgreSQL cannot store, instead of failing the tenant's sync", async () => {
    const { client: c } = client([json(200, { value: [incident(7, { incidentName: "cmd\u0000.exe", alerts: [{ title: "a\u0000b" }] })] })]);
    const page = await c.listIncidents({ tenantId: "t", top: 100, skip: 0 });
    expect(page.incidents[0]!.displayName).toBe("cmd\uFFFD.exe");
    expect(JSON.stringify(page.incidents[0]!.raw)).not.toContain("\\u0000");
  });

  it("forgets the token after a 401 and retries once; a second 401 is ApiForbidden", async () => {
    const { client: c, api, source } = client([json(401, { error: { message: "expired" } }), json(401, { error: { message: "no consent" } })]);
    await expect(c.getIncident({ tenantId: "t", incidentId: 5 })).rejects.toBeInstanceOf(ApiForbidden);
    expect(source.forgotten).toEqual(["t"]);
    expect(api.calls.map((call) => call.auth)).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("retries 5xx and network errors, then gives up with ApiUnavailable", async () => {
    const ok = client([json(500, {}), new TypeError("fetch failed"), json(200, incident(7))]);
    expect((await ok.client.getIncident({ tenantId: "t", incidentId: 7 })).incidentId).toBe(7);
    const down = client([json(503, {}), json(502, {}), json(500, {}), json(500, {})]);
    await expect(down.client.getIncident({ tenantId: "t", incidentId: 7 })).rejects.toBeInstanceOf(ApiUnavailable);
    expect(down.api.calls).toHaveLength(4);
  });

  it("ends with ApiThrottled when Retry-After is longer than it may wait", async () => {
    const { client: c, api } = client([json(429, {}, { "retry-after": "120" })]);
    const error = await c.listIncidents({ tenantId: "t", top: 100, skip: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiThrottled);
    expect(api.calls).toHaveLength(1);
    // The budget now refuses the tenant's list calls without sending anything.
    await expect(c.listIncidents({ tenantId: "t", top: 100, skip: 0 })).rejects.toBeInstanceOf(ApiThrottled);
    expect(api.calls).toHaveLength(1);
  });

  it("reports a body that is not JSON as ApiMalformedResponse, and lets token errors through typed", async () => {
    const { client: c } = client([new Response('{"value":[{"incidentId":1,', { status: 200 })]);
    await expect(c.listIncidents({ tenantId: "t", top: 100, skip: 0 })).rejects.toBeInstanceOf(ApiMalformedResponse);
    const failing = { getAppToken: async () => Promise.reject(new TenantTokenError("t", "not_consented", 7000229)), forget: () => undefined };
    const { client: noToken, api } = client([], failing as unknown as ReturnType<typeof tokens>);
    await expect(noToken.getIncident({ tenantId: "t", incidentId: 1 })).rejects.toBeInstanceOf(TenantTokenError);
    expect(api.calls).toHaveLength(0);
  });
});
