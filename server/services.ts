// The ground layer: every process-wide thing the portal holds, in one typed slot. Config, logger,
// database, the Microsoft clients (one token broker, one directory, one client per incident API,
// each with its rate budget) and the handles of background work. Next.js bundles server code more
// than once (route handlers, server actions, instrumentation), so the slot lives on globalThis
// under a symbol: every bundle of this process sees the same clients and the same database.
// Domains import their services from here; server/microsoft/ defines the clients and imports no
// domain; tests swap or reset the slot (resetServices) instead of deleting globals by name.
import "server-only";
import pino from "pino";
import type { PrismaClient } from "../prisma/generated/client/client";
import { readConfig, type PortalConfig } from "./config-schema";
import { openDatabase, type Database } from "./database/open-database";
import { DefenderClient } from "./microsoft/defender-client";
import { EntraDirectory } from "./microsoft/entra-directory";
import { GraphSecurityClient } from "./microsoft/graph-security-client";
import { GRAPH_SECURITY_RATE_LIMITS, RateBudget } from "./microsoft/rate-budget";
import { TokenBroker } from "./microsoft/token-broker";

export type { PortalConfig } from "./config-schema";
export { ConfigError } from "./config-schema";

/** Something running in the background that stops on shutdown (sync engine, health checks). */
export type BackgroundService = { stop: () => Promise<void> };

export type Services = {
  config?: PortalConfig;
  logger?: pino.Logger;
  database?: Promise<Database>;
  tokenBroker?: TokenBroker;
  entraDirectory?: EntraDirectory;
  defenderClient?: DefenderClient;
  graphSecurityClient?: GraphSecurityClient;
  /** Started by server/process/background-services.ts; undefined until then. */
  background?: BackgroundService[];
  shutdownInstalled?: boolean;
  /** Consent attempts whose background verification loop runs in this process. */
  consentLoops?: Set<string>;
  /** Microsoft's browser-facing sign-in origin, learnt from discovery (server/http/security-headers.ts). */
  browserSignInOrigin?: string;
  browserSignInLookup?: Promise<void>;
  /** The queue filter's assignee choices, for the visible tenants `key` (server/incidents/queue-options.ts). */
  queueAssignees?: { key: string; at: number; value: Promise<string[]> };
  /** The overview's recent figures of large scopes (server/overview/overview-recent.ts). */
  overviewRecent?: Map<string, { value: unknown; computedAt: number; large: boolean; refresh: Promise<void> | null }>;
  overviewInflight?: Map<string, Promise<unknown>>;
};

const SLOT = Symbol.for("mssp-portal.services");

/** This process's services, created on first use. */
export function services(): Services {
  const holder = globalThis as unknown as Record<symbol, Services | undefined>;
  return (holder[SLOT] ??= {});
}

/**
 * The one validated view of the portal's settings: no other module reads its variables from
 * process.env. Node's and Next's own variables are read where they act (NODE_EXTRA_CA_CERTS by
 * auth/auth-options.ts, NODE_ENV, NEXT_RUNTIME); the start-up check validates the environment itself.
 */
export function getConfig(): PortalConfig {
  return (services().config ??= readConfig(process.env));
}

/** Structured JSON logs, one event per line; anything that looks like a secret is redacted. */
export function logger(): pino.Logger {
  return (services().logger ??= pino({
    level: safeLogLevel(),
    base: { service: "portal" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["*.secret", "*.clientSecret", "*.accessToken", "*.access_token", "*.idToken", "*.id_token", "*.password", "*.authorization", "*.cookie"],
      censor: "[redacted]",
    },
  }));
}

function safeLogLevel(): string {
  try {
    return getConfig().logLevel;
  } catch {
    return "info";
  }
}

/** The one Prisma client of this process (the store opens once: PGlite holds its folder). */
export async function getDb(): Promise<PrismaClient> {
  const slot = services();
  const opening = (slot.database ??= openDatabase(getConfig().database));
  try {
    return (await opening).prisma;
  } catch (error) {
    // A store that could not be opened (locked, unreachable) is tried again on the next call.
    if (slot.database === opening) slot.database = undefined;
    throw error;
  }
}

/** Closes the store (on shutdown, after background work stops: server/process/lifecycle.ts). */
export async function closeDb(): Promise<void> {
  const slot = services();
  const pending = slot.database;
  slot.database = undefined;
  if (pending)
    await pending.then(
      (database) => database.close(),
      () => undefined,
    );
}

/** The process's one token broker: one confidential client, one token cache per tenant and API. */
export function getTokenBroker(): TokenBroker {
  return (services().tokenBroker ??= new TokenBroker({ ...getConfig().azure }));
}

/** Entra ID as the portal sees it: admin consent, admin sign-in and the app's access check. */
export function getEntraDirectory(): EntraDirectory {
  const config = getConfig();
  return (services().entraDirectory ??= new EntraDirectory({
    authorityHost: config.azure.authorityHost,
    clientId: config.azure.clientId,
    credential: config.azure.credential,
    resource: config.incidentSource === "graph" ? config.graph.resource : config.defender.resource,
  }));
}

/** The process's one Defender XDR API client (legacy): one rate budget per tenant across every caller. */
export function getDefenderClient(): DefenderClient {
  const config = getConfig();
  return (services().defenderClient ??= new DefenderClient({
    apiUrl: config.defender.apiUrl,
    tokens: getTokenBroker().forResource(config.defender.resource),
    budget: new RateBudget({ api: "defender" }),
  }));
}

/** The process's one Microsoft Graph security client: one rate budget per tenant across every caller. */
export function getGraphSecurityClient(): GraphSecurityClient {
  const config = getConfig();
  return (services().graphSecurityClient ??= new GraphSecurityClient({
    apiUrl: config.graph.apiUrl,
    resource: config.graph.resource,
    tokens: getTokenBroker().forResource(config.graph.resource),
    budget: new RateBudget({ api: "graph", routes: GRAPH_SECURITY_RATE_LIMITS, limits: { security: { perMinute: config.graph.callsPerMinute } } }),
  }));
}

/**
 * Stops background work, closes the store and forgets every service, so the next use starts from
 * the environment as it is now. Tests call it between environments; the process never needs to.
 */
export async function resetServices(): Promise<void> {
  const slot = services();
  const background = slot.background ?? [];
  slot.background = undefined;
  await Promise.all(background.map((service) => service.stop()));
  await closeDb();
  const holder = globalThis as unknown as Record<symbol, Services | undefined>;
  holder[SLOT] = {};
}
