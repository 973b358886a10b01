// Starts the local Microsoft cloud: Entra ID (discovery, token, sign-in, admin consent), the
// Defender XDR incidents API and Microsoft Graph's security incidents API (one shared incident state),
// plus the /_emulator control API used by tests.
import { createAuthorizationCodeStore } from "./authorization-codes";
import { consentRoutes } from "./consent-routes";
import { controlRoutes } from "./control-routes";
import { defenderRoutes } from "./defender-routes";
import type { EmulatorContext } from "./emulator-context";
import {
  defaultSettings,
  RATE_LIMITED_ROUTES,
  type CancelForm,
  type ListOrder,
  type PropagationMode,
  type RateLimit,
  type RateLimits,
} from "./emulator-settings";
import { discoveryRoutes } from "./entra-discovery-routes";
import { tokenRoutes } from "./entra-token-routes";
import { createFaultRegistry } from "./faults";
import { graphRoutes } from "./graph-routes";
import { loadOrCreateKeyMaterial } from "./key-material";
import { createMetrics } from "./metrics";
import type { AppPermission, DirectoryTenant } from "./model";
import { createRateLimiter } from "./rate-limit";
import { buildDirectory, MSSP_CLIENT_ID, MSSP_CLIENT_SECRET, MSSP_TENANT_ID } from "./seed-directory";
import { startNotificationSink } from "./notification-sink";
import { listenHttp, listenHttps, type LogEvent } from "./server";
import { signInRoutes } from "./sign-in-routes";
import { createStateStore } from "./state-store";
import { createTokenSigner } from "./tokens";

export const DEFAULT_SEED = 42;

export type StartEmulatorOptions = {
  /** 0 (default) picks a free port. */
  httpsPort?: number;
  httpPort?: number;
  dataDir: string;
  /** Interface to bind; loopback by default (the control API must stay local). */
  host?: string;
  seed?: number;
  rateLimits?: Partial<Record<keyof RateLimits, Partial<RateLimit>>>;
  /** Save consent and incident changes to dataDir/state.json (default false; main.ts turns it on). */
  persist?: boolean;
  /** Incidents per customer tenant (GUID or domain); unspecified tenants get 120-400. */
  incidentCounts?: Record<string, number>;
  accessTokenLifetimeSeconds?: number;
  propagationDelayMs?: number;
  propagationMode?: PropagationMode;
  /** What the app registration lists (default: the Defender permissions and three Graph ones). */
  requestedPermissions?: AppPermission[];
  /** How a cancelled v2 admin consent returns (default "access_denied"). */
  cancelForm?: CancelForm;
  /** The order of list pages (default "sorted"); "shuffled" is a seeded shuffle (`listOrderSeed`, default 1). */
  listOrder?: ListOrder;
  listOrderSeed?: number;
  /** A fixed delay (ms) added to every token and incident API response (default 0: none). */
  latencyMs?: number;
  /**
   * Customer tenants (GUID or domain) already consented at a fresh start (no persisted state), long
   * ago and with only the Defender permissions, as before the app listed Graph permissions.
   */
  legacyConsent?: string[];
  /** Extra exact redirect URIs registered on the app (besides the loopback callback patterns). */
  extraRedirectUris?: string[];
  /** Customer tenants to serve instead of the six seeded ones (benchmarks with many tenants). */
  customers?: DirectoryTenant[];
  /** Customer tenants to serve beside the seeded (or given) ones (end-to-end tests). */
  extraCustomers?: DirectoryTenant[];
  /** Structured log sink (one object per event); silent by default. */
  log?: LogEvent;
  /**
   * Demo mode's notification sink (notification-sink.ts): webhooks at `${browserUrl}/sink/<channel>`,
   * mail at a loopback SMTP port (0: any free one), listed at `${browserUrl}/sink`. Off by default.
   */
  notificationSink?: { smtpPort: number };
};

export type EmulatorHandle = {
  authorityHost: string;
  defenderApiUrl: string;
  /** Microsoft Graph's base (the same HTTPS origin): `${graphApiUrl}/v1.0/security/incidents`. */
  graphApiUrl: string;
  browserUrl: string;
  caCertPath: string;
  appCertificatePath: string;
  clientId: string;
  clientSecret: string;
  mspTenantId: string;
  controlUrl: string;
  /** With the notification sink: its page (webhooks go to `${sinkUrl}/<channel>`) and SMTP port. */
  sinkUrl?: string;
  sinkSmtpPort?: number;
  stop(): Promise<void>;
};

export async function startEmulator(opts: StartEmulatorOptions): Promise<EmulatorHandle> {
  const host = opts.host ?? "127.0.0.1";
  const log = opts.log ?? (() => {});
  const keys = loadOrCreateKeyMaterial(opts.dataDir);
  // The world first: bad options (an unknown legacy-consent tenant) fail before any port is open.
  const seeded = buildDirectory(opts.extraRedirectUris ?? []);
  const directory = { ...seeded, customers: [...(opts.customers ?? seeded.customers), ...(opts.extraCustomers ?? [])] };
  const store = createStateStore({
    directory,
    seed: opts.seed ?? DEFAULT_SEED,
    dataDir: opts.dataDir,
    persist: opts.persist ?? false,
    incidentCounts: opts.incidentCounts,
    legacyConsent: opts.legacyConsent,
  });
  const https = await listenHttps({ port: opts.httpsPort ?? 0, host, keyPem: keys.server.keyPem, certPem: keys.server.certPem, log });
  const http = await listenHttp({ port: opts.httpPort ?? 0, host, log }).catch(async (error: unknown) => {
    await https.close();
    throw error;
  });

  // URLs name a loopback address even when bound to all interfaces: the certificate covers only those.
  const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  const authorityHost = `https://${urlHost}:${https.port}`;
  const browserUrl = `http://${urlHost}:${http.port}`;

  const rateLimits: RateLimits = structuredClone(defaultSettings().rateLimits);
  for (const route of RATE_LIMITED_ROUTES) rateLimits[route] = { ...rateLimits[route], ...opts.rateLimits?.[route] };
  const settings = defaultSettings({
    accessTokenLifetimeSeconds: opts.accessTokenLifetimeSeconds,
    propagationDelayMs: opts.propagationDelayMs,
    propagationMode: opts.propagationMode,
    requestedPermissions: opts.requestedPermissions,
    cancelForm: opts.cancelForm,
    listOrder: opts.listOrder,
    listOrderSeed: opts.listOrderSeed,
    addedLatencyMs: opts.latencyMs,
    rateLimits,
  });
  const initialSettings = structuredClone(settings);

  const ctx: EmulatorContext = {
    directory,
    store,
    settings,
    keys,
    signer: createTokenSigner(keys.signing),
    metrics: createMetrics(),
    faults: createFaultRegistry(),
    rateLimiter: createRateLimiter(() => settings.rateLimits),
    authorityHost,
    browserUrl,
  };
  const codes = createAuthorizationCodeStore();
  const browserPages = [...signInRoutes(ctx, codes), ...consentRoutes(ctx)];
  https.setRoutes([
    ...controlRoutes(ctx, initialSettings),
    ...defenderRoutes(ctx),
    ...graphRoutes(ctx),
    ...discoveryRoutes(ctx),
    ...tokenRoutes(ctx, codes),
    ...browserPages,
  ]);
  const sink = opts.notificationSink
    ? await startNotificationSink({ host, smtpPort: opts.notificationSink.smtpPort, customers: directory.customers, store, log }).catch(
        async (error: unknown) => {
          await Promise.all([https.close(), http.close()]);
          throw error;
        },
      )
    : null;
  http.setRoutes([...browserPages, ...(sink?.routes ?? [])]);
  log({ event: "emulator.started", authorityHost, browserUrl, dataDir: opts.dataDir });

  let stopped = false;
  return {
    authorityHost,
    defenderApiUrl: authorityHost,
    graphApiUrl: authorityHost,
    browserUrl,
    caCertPath: keys.caCertPath,
    appCertificatePath: keys.appCertificatePath,
    clientId: MSSP_CLIENT_ID,
    clientSecret: MSSP_CLIENT_SECRET,
    mspTenantId: MSSP_TENANT_ID,
    controlUrl: `${authorityHost}/_emulator`,
    ...(sink ? { sinkUrl: `${browserUrl}/sink`, sinkSmtpPort: sink.smtpPort } : {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      store.flush();
      await Promise.all([https.close(), http.close(), sink?.close()]);
    },
  };
}
