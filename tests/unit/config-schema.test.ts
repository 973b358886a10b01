import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";
import { describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "@/server/config-schema";

const base = {
  AZURE_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
  AZURE_TENANT_ID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
  AZURE_CLIENT_SECRET: "s3cret",
  NEXTAUTH_URL: "https://portal.example.com",
  NEXTAUTH_SECRET: "x".repeat(32),
};

function failure(env: Record<string, string | undefined>): ConfigError {
  try {
    readConfig(env, "/tmp");
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("readConfig", () => {
  it("fills Microsoft's production defaults and the embedded database", () => {
    const config = readConfig(base, "/srv/portal");
    expect(config.azure.authorityHost).toBe("https://login.microsoftonline.com");
    expect(config.defender.apiUrl).toBe("https://api.security.microsoft.com");
    expect(config.defender.resource).toBe("https://api.security.microsoft.com");
    expect(config.database).toEqual({ kind: "pglite", dataDir: "/srv/portal/.data/pglite" });
    expect(config.azure.credential).toEqual({ kind: "secret", secret: "s3cret" });
  });

  it("reads incidents from Microsoft Graph by default; national clouds are their own token resource", () => {
    const config = readConfig(base, "/srv/portal");
    expect([config.incidentSource, config.graph.apiUrl, config.graph.resource]).toEqual([
      "graph",
      "https://graph.microsoft.com",
      "https://graph.microsoft.com",
    ]);
    expect(readConfig({ ...base, GRAPH_API_URL: "https://graph.microsoft.us/" }, "/x").graph).toEqual({
      apiUrl: "https://graph.microsoft.us",
      resource: "https://graph.microsoft.us",
      callsPerMinute: 150,
    });
    expect(readConfig({ ...base, GRAPH_API_URL: "https://microsoftgraph.chinacloudapi.cn" }, "/x").graph.resource).toBe(
      "https://microsoftgraph.chinacloudapi.cn",
    );
    // A proxy or the local emulator serves the global cloud's Graph.
    expect(readConfig({ ...base, GRAPH_API_URL: "https://127.0.0.1:44300" }, "/x").graph).toEqual({
      apiUrl: "https://127.0.0.1:44300",
      resource: "https://graph.microsoft.com",
      callsPerMinute: 150,
    });
    expect(readConfig({ ...base, INCIDENT_SOURCE: "defender" }, "/x").incidentSource).toBe("defender");
    expect(failure({ ...base, INCIDENT_SOURCE: "mde" }).message).toMatch(/INCIDENT_SOURCE is invalid/);
    expect(readConfig(base, "/x").graph.callsPerMinute).toBe(150);
    expect(readConfig({ ...base, GRAPH_CALLS_PER_MINUTE: "60" }, "/x").graph.callsPerMinute).toBe(60);
    expect(failure({ ...base, GRAPH_CALLS_PER_MINUTE: "500" }).message).toMatch(/GRAPH_CALLS_PER_MINUTE is invalid: must be at most 150/);
    expect(failure({ ...base, GRAPH_API_URL: "http://graph.microsoft.com" }).message).toMatch(/GRAPH_API_URL must be an https/);
    expect(failure({ ...base, GRAPH_API_URL: "https://graph.microsoft.com/v1.0" }).message).toMatch(/GRAPH_API_URL must be Microsoft Graph's base URL/);
  });

  it("uses PostgreSQL when DATABASE_URL is set and a national cloud host when given", () => {
    const config = readConfig({ ...base, DATABASE_URL: "postgres://u@db/portal", AZURE_AUTHORITY_HOST: "https://login.microsoftonline.us/" }, "/x");
    expect(config.database).toEqual({ kind: "postgres", url: "postgres://u@db/portal" });
    expect(config.azure.authorityHost).toBe("https://login.microsoftonline.us");
  });

  it.each([
    ["AZURE_CLIENT_ID", { AZURE_CLIENT_ID: undefined }],
    ["AZURE_CLIENT_ID", { AZURE_CLIENT_ID: "not-a-guid" }],
    ["AZURE_TENANT_ID", { AZURE_TENANT_ID: "" }],
    ["AZURE_CLIENT_SECRET", { AZURE_CLIENT_SECRET: undefined }],
    ["AZURE_AUTHORITY_HOST", { AZURE_AUTHORITY_HOST: "http://login.microsoftonline.com" }],
    ["DEFENDER_API_URL", { DEFENDER_API_URL: "nonsense" }],
    ["NEXTAUTH_URL", { NEXTAUTH_URL: undefined }],
    ["NEXTAUTH_SECRET", { NEXTAUTH_SECRET: "short" }],
    ["DATABASE_URL", { DATABASE_URL: "mysql://db" }],
    ["AZURE_CLIENT_CERTIFICATE_PATH", { AZURE_CLIENT_SECRET: undefined, AZURE_CLIENT_CERTIFICATE_PATH: "/does/not/exist.pem" }],
    ["LOG_LEVEL", { LOG_LEVEL: "loud" }],
  ])("stops with a message naming %s", (variable, change) => {
    const error = failure({ ...base, ...change });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
  });

  it("runs the sync in a worker only on PostgreSQL: the embedded store admits one process", () => {
    expect(readConfig(base, "/tmp").syncMode).toBe("embedded");
    expect(readConfig({ ...base, PORTAL_SYNC_MODE: "worker", DATABASE_URL: "postgres://portal@db:5432/portal" }, "/tmp").syncMode).toBe("worker");
    const refused = failure({ ...base, PORTAL_SYNC_MODE: "worker" });
    expect(refused.variable).toBe("PORTAL_SYNC_MODE");
    expect(refused.message).toMatch(/needs PostgreSQL \(DATABASE_URL\)/);
    expect(failure({ ...base, PORTAL_SYNC_MODE: "both" }).message).toMatch(/must be "embedded" or "worker"/);
  });

  it("refuses a secret and a certificate at once", () => {
    expect(failure({ ...base, AZURE_CLIENT_CERTIFICATE_PATH: "x.pem" }).message).toMatch(/choose one/);
  });

  it("reads a PEM holding key and certificate and computes its thumbprints", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cfg-"));
    const keys = forge.pki.rsa.generateKeyPair(2048);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = "01";
    cert.validity.notBefore = new Date();
    cert.validity.notAfter = new Date(Date.now() + 86_400_000);
    cert.setSubject([{ name: "commonName", value: "portal" }]);
    cert.setIssuer([{ name: "commonName", value: "portal" }]);
    cert.sign(keys.privateKey, forge.md.sha256.create());
    const file = path.join(dir, "app.pem");
    writeFileSync(file, forge.pki.privateKeyToPem(keys.privateKey) + forge.pki.certificateToPem(cert));
    const config = readConfig({ ...base, AZURE_CLIENT_SECRET: undefined, AZURE_CLIENT_CERTIFICATE_PATH: file });
    expect(config.azure.credential.kind).toBe("certificate");
    if (config.azure.credential.kind === "certificate") {
      expect(config.azure.credential.thumbprintSha1).toMatch(/^[0-9A-F]{40}$/);
      expect(config.azure.credential.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
    }
    const keyOnly = path.join(dir, "key.pem");
    writeFileSync(keyOnly, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }));
    expect(failure({ ...base, AZURE_CLIENT_SECRET: undefined, AZURE_CLIENT_CERTIFICATE_PATH: keyOnly }).message).toMatch(
      /both the private key and the certificate/,
    );
  });
});
