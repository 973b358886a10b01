import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "@/server/config-schema";
import { TokenBroker } from "@/server/microsoft/token-broker";
import { TenantTokenError } from "@/server/microsoft/token-errors";
import type { EmulatorHandle } from "@/emulator/start-emulator";
import { control, startTestEmulator } from "../support/test-emulator";

const CONTOSO = "0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61";
const FABRIKAM = "1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72";
const WOODGROVE = "2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83";

function brokerFor(emulator: EmulatorHandle, credential: "secret" | "certificate", counter?: (tenantId: string, resource: string) => void) {
  const config = readConfig({
    AZURE_CLIENT_ID: emulator.clientId,
    AZURE_TENANT_ID: emulator.mspTenantId,
    ...(credential === "secret" ? { AZURE_CLIENT_SECRET: emulator.clientSecret } : { AZURE_CLIENT_CERTIFICATE_PATH: emulator.appCertificatePath }),
    AZURE_AUTHORITY_HOST: emulator.authorityHost,
    DEFENDER_API_URL: emulator.defenderApiUrl,
    NEXTAUTH_URL: "http://localhost:3000",
    NEXTAUTH_SECRET: "x".repeat(32),
  });
  return new TokenBroker({ ...config.azure, onTokenRequest: counter });
}

async function failure(promise: Promise<unknown>): Promise<TenantTokenError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TenantTokenError) return error;
    throw error;
  }
  throw new Error("expected a TenantTokenError");
}

const GRAPH = "https://graph.microsoft.com";
const DEFENDER = "https://api.security.microsoft.com";

describe("token broker (msal-node, client credentials) against the emulator over HTTPS", () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    expect(readFileSync(process.env.NODE_EXTRA_CA_CERTS!, "utf8")).toContain(readFileSync(emulator.caCertPath, "utf8").trim());
    await control(emulator, "POST", `/tenants/${CONTOSO}/consent`, {});
    await control(emulator, "POST", `/tenants/${FABRIKAM}/consent`, { roles: ["SecurityIncident.Read.All"] });
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  for (const credential of ["secret", "certificate"] as const) {
    it(`gets a token for a consented tenant with a ${credential}, carrying tid and the granted roles`, async () => {
      const token = await brokerFor(emulator, credential).getAppToken(CONTOSO, { resource: GRAPH });
      expect(token.tenantId).toBe(CONTOSO);
      expect(token.resource).toBe(GRAPH);
      expect(token.roles.sort()).toEqual(["SecurityAlert.Read.All", "SecurityIncident.Read.All", "SecurityIncident.ReadWrite.All"]);
      expect(token.expiresOn.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    });
  }

  it("asks Microsoft once per tenant per API per token lifetime, even for concurrent callers", async () => {
    const requests: string[] = [];
    const broker = brokerFor(emulator, "secret", (tenantId, resource) => requests.push(`${tenantId} ${resource}`));
    const graph = broker.forResource(GRAPH);
    const tokens = await Promise.all([
      graph.getAppToken(CONTOSO),
      graph.getAppToken(CONTOSO),
      graph.getAppToken(FABRIKAM),
      broker.getAppToken(CONTOSO, { resource: DEFENDER }),
    ]);
    await graph.getAppToken(CONTOSO);
    await graph.getAppToken(FABRIKAM);
    await broker.getAppToken(CONTOSO, { resource: DEFENDER });
    expect(requests.sort()).toEqual([`${CONTOSO} ${DEFENDER}`, `${CONTOSO} ${GRAPH}`, `${FABRIKAM} ${GRAPH}`]);
    expect(tokens[0]!.accessToken).toBe(tokens[1]!.accessToken);
    expect(tokens[2]!.roles).toEqual(["SecurityIncident.Read.All"]);
    expect(tokens[3]!.roles.sort()).toEqual(["Incident.Read.All", "Incident.ReadWrite.All"]);
  });

  it("maps Microsoft's error codes to typed failures", async () => {
    const broker = brokerFor(emulator, "secret");
    const notConsented = await failure(broker.getAppToken(WOODGROVE, { resource: GRAPH }));
    expect([notConsented.kind, notConsented.aadstsCode]).toEqual(["not_consented", 7000229]);
    const unknownTenant = await failure(broker.getAppToken("00000000-0000-4000-8000-000000000000", { resource: GRAPH }));
    expect([unknownTenant.kind, unknownTenant.aadstsCode]).toEqual(["tenant_not_found", 90002]);
    const badSecret = await failure(
      new TokenBroker({ clientId: emulator.clientId, credential: { kind: "secret", secret: "wrong" }, authorityHost: emulator.authorityHost }).getAppToken(
        CONTOSO,
        { resource: GRAPH },
      ),
    );
    expect([badSecret.kind, badSecret.aadstsCode]).toEqual(["bad_credential", 7000215]);
    expect(badSecret.staffMessage).toMatch(/secret or certificate/);
  });

  it("keeps Microsoft's code when msal-node holds a tenant back after a 5xx (its throttling replay)", async () => {
    const broker = brokerFor(emulator, "secret");
    // One 503 only: a second request that reached Microsoft would get a token.
    await control(emulator, "POST", "/faults", { tenantId: FABRIKAM, route: "token", kind: "503", count: 1 });
    try {
      const first = await failure(broker.getAppToken(FABRIKAM, { resource: GRAPH }));
      expect([first.kind, first.aadstsCode]).toEqual(["transient", 90033]);
      // Asked again at once, msal answers from its throttling cache without calling Microsoft.
      broker.forget(FABRIKAM);
      const replayed = await failure(broker.getAppToken(FABRIKAM, { resource: GRAPH }));
      expect([replayed.kind, replayed.aadstsCode]).toEqual(["transient", 90033]);
      expect(replayed.message).toMatch(/temporary error.*\(AADSTS90033\)/);
    } finally {
      await control(emulator, "DELETE", `/faults?tenantId=${FABRIKAM}`);
    }
  });

  it("sees a revoked consent once the cached token is forgotten", async () => {
    const broker = brokerFor(emulator, "secret");
    await broker.getAppToken(FABRIKAM, { resource: GRAPH });
    await control(emulator, "POST", `/tenants/${FABRIKAM}/revoke`);
    // Cached: the revocation is not seen until the token is forgotten (after a 401, or on Verify).
    await expect(broker.getAppToken(FABRIKAM, { resource: GRAPH })).resolves.toMatchObject({ tenantId: FABRIKAM });
    broker.forget(FABRIKAM);
    expect((await failure(broker.getAppToken(FABRIKAM, { resource: GRAPH }))).kind).toBe("not_consented");
  });
});
