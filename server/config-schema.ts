import { readFileSync } from "node:fs";
import { X509Certificate, createPrivateKey } from "node:crypto";
import path from "node:path";
import { z } from "zod";
import { isGuid } from "../lib/ids";

/** Thrown when the environment is wrong; the message always names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Configuration error: ${variable} ${detail}`);
    this.name = "ConfigError";
  }
}

export type ClientCredential =
  | { kind: "secret"; secret: string }
  | {
      kind: "certificate";
      privateKeyPem: string;
      certificatePem: string;
      thumbprintSha1: string;
      thumbprintSha256: string;
    };

export type DatabaseConfig = { kind: "postgres"; url: string } | { kind: "pglite"; dataDir: string };

export type PortalConfig = {
  azure: {
    clientId: string;
    tenantId: string;
    authorityHost: string;
    credential: ClientCredential;
  };
  defender: {
    apiUrl: string;
    /** The resource the token is issued for; regional API hosts share it. */
    resource: string;
  };
  graph: {
    /** Microsoft Graph's base URL (national clouds differ), without /v1.0. */
    apiUrl: string;
    /** The resource app-only tokens are requested for: `{resource}/.default`. */
    resource: string;
    /** Calls a minute per customer tenant to Graph's security API (Microsoft documents about 150). */
    callsPerMinute: number;
  };
  /**
   * Where incidents come from: "graph" (Microsoft Graph security API, the default) or "defender"
   * (the legacy Defender XDR API, kept only until Microsoft turns it off on 2027-02-01).
   */
  incidentSource: "graph" | "defender";
  auth: { url: string; secret: string };
  database: DatabaseConfig;
  mssp: { name: string };
  /** "embedded": the web process runs sync and health checks; "worker": `npm run worker` does. */
  syncMode: "embedded" | "worker";
  /**
   * Notification channels (server/notifications/): the key sealing their secrets (32 bytes; null when
   * NOTIFICATION_SECRET_KEY is unset, which start-up refuses once a channel exists), and whether
   * plain-http webhooks and SMTP without TLS may go to this machine (demo mode's local sink only).
   */
  notifications: { secretKey: Buffer | null; allowLoopbackHttp: boolean };
  dataDir: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
};

type Env = Record<string, string | undefined>;

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function required(env: Env, name: string, hint: string): string {
  const value = optional(env, name);
  if (!value) throw new ConfigError(name, `is not set: ${hint}`);
  return value;
}

function parseWith<T>(name: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(name, `is invalid: ${result.error.issues[0]?.message ?? "bad value"}`);
  }
  return result.data;
}

function httpsOrigin(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `is not a URL: "${value}"`);
  }
  if (url.protocol !== "https:") throw new ConfigError(name, "must be an https:// URL");
  return url.origin + url.pathname.replace(/\/+$/, "");
}

function readCertificateFile(name: string, file: string): ClientCredential {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch {
    throw new ConfigError(name, `points at a file that cannot be read: ${file}`);
  }
  const keyMatch = pem.match(/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/);
  const certMatch = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/);
  if (!keyMatch || !certMatch) {
    throw new ConfigError(name, "must be a PEM file holding both the private key and the certificate");
  }
  try {
    createPrivateKey(keyMatch[0]);
    const cert = new X509Certificate(certMatch[0]);
    return {
      kind: "certificate",
      privateKeyPem: keyMatch[0],
      certificatePem: certMatch[0],
      thumbprintSha1: cert.fingerprint.replace(/:/g, ""),
      thumbprintSha256: cert.fingerprint256.replace(/:/g, ""),
    };
  } catch {
    throw new ConfigError(name, "holds a private key or certificate that cannot be parsed");
  }
}

/** Microsoft Graph in each cloud: the token resource is the cloud's own Graph host. */
export const GRAPH_CLOUD_HOSTS = ["graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"] as const;

/**
 * A national cloud's Graph host is also its token resource. Any other host (a forward proxy, or
 * the local emulator) serves the global cloud's Graph, so tokens are for graph.microsoft.com.
 */
function graphResourceFor(graphApiUrl: string): string {
  const host = new URL(graphApiUrl).hostname.toLowerCase();
  return (GRAPH_CLOUD_HOSTS as readonly string[]).includes(host) ? `https://${host}` : "https://graph.microsoft.com";
}

/** Reads and validates the whole environment at once; pure apart from reading the certificate file. */
export function readConfig(env: Env, cwd = process.cwd()): PortalConfig {
  const clientId = parseWith(
    "AZURE_CLIENT_ID",
    z.string().refine(isGuid, "must be the application (client) ID, a GUID"),
    required(env, "AZURE_CLIENT_ID", "the application (client) ID of the portal's Entra ID app registration"),
  );
  const tenantId = parseWith(
    "AZURE_TENANT_ID",
    z.string().refine(isGuid, "must be the MSSP's own directory (tenant) ID, a GUID"),
    required(env, "AZURE_TENANT_ID", "the directory (tenant) ID of the MSSP's own tenant"),
  );

  const secret = optional(env, "AZURE_CLIENT_SECRET");
  const certificatePath = optional(env, "AZURE_CLIENT_CERTIFICATE_PATH");
  if (secret && certificatePath) {
    throw new ConfigError("AZURE_CLIENT_SECRET", "and AZURE_CLIENT_CERTIFICATE_PATH are both set: choose one");
  }
  let credential: ClientCredential;
  if (certificatePath) {
    credential = readCertificateFile("AZURE_CLIENT_CERTIFICATE_PATH", path.resolve(cwd, certificatePath));
  } else if (secret) {
    credential = { kind: "secret", secret };
  } else {
    throw new ConfigError("AZURE_CLIENT_SECRET", "is not set: set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (PEM with key and certificate)");
  }

  const authorityHost = httpsOrigin("AZURE_AUTHORITY_HOST", optional(env, "AZURE_AUTHORITY_HOST") ?? "https://login.microsoftonline.com");
  const apiUrl = httpsOrigin("DEFENDER_API_URL", optional(env, "DEFENDER_API_URL") ?? "https://api.security.microsoft.com");
  const graphApiUrl = httpsOrigin("GRAPH_API_URL", optional(env, "GRAPH_API_URL") ?? "https://graph.microsoft.com");
  if (new URL(graphApiUrl).pathname !== "/")
    throw new ConfigError("GRAPH_API_URL", "must be Microsoft Graph's base URL without a path (the portal adds /v1.0), e.g. https://graph.microsoft.com");
  const incidentSource = parseWith(
    "INCIDENT_SOURCE",
    z.enum(["graph", "defender"], { error: 'must be "graph" (Microsoft Graph security API) or "defender" (legacy Defender XDR API until 2027-02-01)' }),
    optional(env, "INCIDENT_SOURCE") ?? "graph",
  );

  const authUrlRaw = required(env, "NEXTAUTH_URL", "the portal's public URL, for example https://portal.example.com");
  const authUrl = parseWith("NEXTAUTH_URL", z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }), authUrlRaw);
  const authSecret = parseWith(
    "NEXTAUTH_SECRET",
    z.string().min(32, "must be at least 32 characters (generate one with: openssl rand -base64 32)"),
    required(env, "NEXTAUTH_SECRET", "a random secret of at least 32 characters that signs sessions"),
  );

  const dataDir = path.resolve(cwd, optional(env, "PORTAL_DATA_DIR") ?? ".data");
  const databaseUrl = optional(env, "DATABASE_URL");
  let database: DatabaseConfig;
  if (databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
      throw new ConfigError("DATABASE_URL", "must be a postgres:// or postgresql:// URL (leave it unset for the embedded database)");
    }
    database = { kind: "postgres", url: databaseUrl };
  } else {
    database = { kind: "pglite", dataDir: path.resolve(cwd, optional(env, "PORTAL_PGLITE_DIR") ?? path.join(dataDir, "pglite")) };
  }

  const logLevel = parseWith("LOG_LEVEL", z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]), optional(env, "LOG_LEVEL") ?? "info");

  const syncMode = parseWith(
    "PORTAL_SYNC_MODE",
    z.enum(["embedded", "worker"], { error: 'must be "embedded" or "worker"' }),
    optional(env, "PORTAL_SYNC_MODE") ?? "embedded",
  );
  // The embedded database admits one process: a worker beside the web process would fail on its
  // lock after start-up, so the setting is refused now, with the way out.
  if (syncMode === "worker" && database.kind === "pglite") {
    throw new ConfigError(
      "PORTAL_SYNC_MODE",
      'is "worker", which needs PostgreSQL (DATABASE_URL): the embedded database serves one process only. Leave it unset to sync inside the portal.',
    );
  }

  const notificationKey = optional(env, "NOTIFICATION_SECRET_KEY");
  const notifications = {
    secretKey: notificationKey === undefined ? null : parseNotificationSecretKey(notificationKey),
    allowLoopbackHttp:
      parseWith(
        "NOTIFICATION_ALLOW_LOOPBACK_HTTP",
        z.enum(["0", "1", "true", "false"], { error: 'must be "1" (demo mode\'s local sink) or "0"' }),
        optional(env, "NOTIFICATION_ALLOW_LOOPBACK_HTTP") ?? "0",
      ).match(/^(1|true)$/) !== null,
  };

  return {
    azure: { clientId, tenantId, authorityHost, credential },
    notifications,
    syncMode,
    defender: { apiUrl, resource: "https://api.security.microsoft.com" },
    graph: {
      apiUrl: new URL(graphApiUrl).origin,
      resource: graphResourceFor(graphApiUrl),
      callsPerMinute: parseWith(
        "GRAPH_CALLS_PER_MINUTE",
        z.coerce.number().int().min(1, "must be at least 1").max(150, "must be at most 150, Microsoft's documented limit"),
        optional(env, "GRAPH_CALLS_PER_MINUTE") ?? "150",
      ),
    },
    incidentSource,
    auth: { url: authUrl.replace(/\/+$/, ""), secret: authSecret },
    database,
    mssp: { name: optional(env, "MSSP_DISPLAY_NAME") ?? "Your managed security provider" },
    dataDir,
    logLevel,
  };
}

/**
 * NOTIFICATION_SECRET_KEY: 32 random bytes, as 64 hex digits or base64 (url-safe or not). A key of
 * another length, or one with few distinct bytes (a repeated character, a counting pattern), is
 * refused: it would seal every channel's webhook URL and SMTP password.
 */
export function parseNotificationSecretKey(value: string): Buffer {
  const name = "NOTIFICATION_SECRET_KEY";
  const hint = "must be 32 random bytes as 64 hex digits or base64 (generate one with: openssl rand -base64 32)";
  let key: Buffer;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, "hex");
  else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) key = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  else throw new ConfigError(name, hint);
  if (key.length !== 32) throw new ConfigError(name, hint);
  // A random 32-byte key has about 31 distinct bytes; fewer than 16 means a pattern, not a key.
  if (new Set(key).size < 16) throw new ConfigError(name, "is too weak (a pattern, not random bytes): generate one with: openssl rand -base64 32");
  return key;
}
