// The emulator's mutable world: consent per tenant and the incidents of every customer tenant.
// Seed incidents are regenerated from (seed, epoch) on start; only what changed since is persisted,
// so state.json stays small and consent survives restarts in demo mode.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatDefenderTime } from "./defender-time";
import {
  DEFENDER_PERMISSIONS,
  type AppPermission,
  type Directory,
  type DirectoryTenant,
  type GraphIncidentExtras,
  type Incident,
  type TenantRuntimeState,
} from "./model";
import { allTenants, findTenant } from "./seed-directory";
import { seedGraphExtras } from "./seed-graph-extras";
import { defaultIncidentCount, generateIncident, generateTenantIncidents, incidentUri, type IncidentContext } from "./seed-incidents";
import { createSeededRandom, deriveSeed } from "./seeded-random";

const STATE_VERSION = 1;
const SAVE_DEBOUNCE_MS = 200;

type PersistedState = {
  version: number;
  seed: number;
  seedEpochMs: number;
  tenants: Record<string, TenantRuntimeState>;
  changedIncidents: Record<string, Incident[]>;
  lastStampMs: Record<string, number>;
  generatedCount: Record<string, number>;
};

export type StateStoreOptions = {
  directory: Directory;
  seed: number;
  dataDir: string;
  persist: boolean;
  /** Incident count per tenant (GUID or domain); others get 120-400 from the seed. */
  incidentCounts?: Record<string, number>;
  /**
   * Customer tenants (GUID or domain) that, in a fresh world (no persisted state), consented long ago
   * with only the Defender permissions: before the app registration listed Graph permissions.
   */
  legacyConsent?: string[];
  now?: () => number;
};

/** Fields a test may give for an added incident: Defender fields, plus any of the Graph-only ones. */
export type IncidentOverrides = Omit<Partial<Incident>, "graph"> & { graph?: Partial<GraphIncidentExtras> };

export type StateStore = ReturnType<typeof createStateStore>;

export function createStateStore(opts: StateStoreOptions) {
  const { directory, seed, persist } = opts;
  const now = opts.now ?? Date.now;
  const file = path.join(opts.dataDir, "state.json");
  let seedEpochMs = now();
  let tenants = new Map<string, TenantRuntimeState>();
  let incidents = new Map<string, Map<number, Incident>>();
  let changed = new Map<string, Set<number>>();
  let lastStampMs = new Map<string, number>();
  let generatedCount = new Map<string, number>();
  let saveTimer: NodeJS.Timeout | null = null;

  const legacyTenantIds = (opts.legacyConsent ?? []).map((name) => {
    const tenant = findTenant(directory, name.trim());
    if (!tenant || tenant.kind !== "customer") throw new Error(`legacy consent: '${name}' is not a customer tenant of the emulator.`);
    return tenant.id;
  });

  const countFor = (tenant: DirectoryTenant): number => {
    const configured = opts.incidentCounts?.[tenant.id] ?? tenant.domains.map((d) => opts.incidentCounts?.[d]).find((n) => n !== undefined);
    return configured ?? defaultIncidentCount(seed, tenant.id);
  };

  const contextFor = (tenant: DirectoryTenant): IncidentContext => ({
    tenant,
    analysts: [
      ...directory.mssp.users.filter((u) => u.appRoles.includes("Portal.Analyst") || u.appRoles.includes("Portal.Admin")).map((u) => u.userPrincipalName),
      ...tenant.users.filter((u) => u.isGlobalAdmin).map((u) => u.userPrincipalName),
    ],
  });

  function freshTenantState(tenant: DirectoryTenant): TenantRuntimeState {
    return {
      // The app is registered in the MSSP tenant, so its service principal always exists there.
      servicePrincipalId: tenant.kind === "mssp" ? deterministicGuid(`sp:${tenant.id}`) : null,
      grantedPermissions: [],
      consentedAtMs: null,
      grantLimit: null,
      disabled: false,
      blocked: false,
      notFound: false,
      missingServicePrincipalForm: "7000229",
    };
  }

  function deterministicGuid(label: string): string {
    return createSeededRandom(deriveSeed(seed, label)).guid();
  }

  function buildFromSeed(epochMs: number): void {
    seedEpochMs = epochMs;
    tenants = new Map(allTenants(directory).map((t) => [t.id, freshTenantState(t)]));
    // Consented long ago (no propagation window), when the app listed only the Defender permissions.
    for (const id of legacyTenantIds) {
      tenants.set(id, {
        ...tenants.get(id)!,
        servicePrincipalId: deterministicGuid(`sp:${id}`),
        grantedPermissions: [...DEFENDER_PERMISSIONS],
        consentedAtMs: null,
      });
    }
    incidents = new Map();
    changed = new Map();
    lastStampMs = new Map();
    generatedCount = new Map();
    for (const tenant of directory.customers) {
      const list = generateTenantIncidents({ seed, epochMs, count: countFor(tenant), ctx: contextFor(tenant) });
      incidents.set(tenant.id, new Map(list.map((i) => [i.incidentId, i])));
      changed.set(tenant.id, new Set());
      lastStampMs.set(tenant.id, epochMs);
    }
  }

  function load(): boolean {
    let parsed: PersistedState;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8")) as PersistedState;
    } catch {
      return false;
    }
    if (parsed.version !== STATE_VERSION || parsed.seed !== seed) return false;
    buildFromSeed(parsed.seedEpochMs);
    for (const [id, state] of Object.entries(parsed.tenants)) {
      if (tenants.has(id)) tenants.set(id, { ...tenants.get(id)!, ...state });
    }
    for (const [tenantId, list] of Object.entries(parsed.changedIncidents)) {
      const map = incidents.get(tenantId);
      if (!map) continue;
      for (const incident of list) {
        // Records saved before Graph-only fields existed keep the seeded ones.
        map.set(incident.incidentId, incident.graph ? incident : { ...incident, graph: map.get(incident.incidentId)?.graph });
        changed.get(tenantId)!.add(incident.incidentId);
      }
    }
    for (const [tenantId, ms] of Object.entries(parsed.lastStampMs)) lastStampMs.set(tenantId, ms);
    for (const [tenantId, n] of Object.entries(parsed.generatedCount ?? {})) generatedCount.set(tenantId, n);
    return true;
  }

  function snapshot(): PersistedState {
    const changedIncidents: Record<string, Incident[]> = {};
    for (const [tenantId, ids] of changed) {
      if (ids.size > 0) changedIncidents[tenantId] = [...ids].map((id) => incidents.get(tenantId)!.get(id)!);
    }
    return {
      version: STATE_VERSION,
      seed,
      seedEpochMs,
      tenants: Object.fromEntries(tenants),
      changedIncidents,
      lastStampMs: Object.fromEntries(lastStampMs),
      generatedCount: Object.fromEntries(generatedCount),
    };
  }

  function saveNow(): void {
    if (!persist) return;
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    mkdirSync(opts.dataDir, { recursive: true });
    // Write then rename, so a crash mid-write never leaves a truncated state file behind.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(snapshot()));
    renameSync(tmp, file);
  }

  function scheduleSave(): void {
    if (!persist || saveTimer) return;
    saveTimer = setTimeout(saveNow, SAVE_DEBOUNCE_MS);
    saveTimer.unref();
  }

  function tenantState(tenantId: string): TenantRuntimeState {
    const state = tenants.get(tenantId);
    if (!state) throw new Error(`unknown tenant ${tenantId}`);
    return state;
  }

  /** A lastUpdateTime strictly later than every earlier one in this tenant. */
  function nextStamp(tenantId: string): string {
    const ms = Math.max(now(), (lastStampMs.get(tenantId) ?? 0) + 1);
    lastStampMs.set(tenantId, ms);
    return formatDefenderTime(ms);
  }

  function tenantIncidents(tenantId: string): Map<number, Incident> {
    const map = incidents.get(tenantId);
    if (!map) throw new Error(`tenant ${tenantId} has no incidents`);
    return map;
  }

  function updateTenantState(tenantId: string, patch: Partial<TenantRuntimeState>): TenantRuntimeState {
    const next = { ...tenantState(tenantId), ...patch };
    tenants.set(tenantId, next);
    scheduleSave();
    return next;
  }

  if (!(persist && load())) buildFromSeed(now());

  return {
    directory,
    get seedEpochMs() {
      return seedEpochMs;
    },
    tenantState,
    updateTenantState,
    /** Admin consent: creates the service principal and grants permissions (capped by grantLimit). */
    grantConsent(tenantId: string, permissions: AppPermission[], opts: { propagate: boolean }): TenantRuntimeState {
      const current = tenantState(tenantId);
      const granted = current.grantLimit ? permissions.filter((p) => current.grantLimit!.includes(p)) : permissions;
      return updateTenantState(tenantId, {
        servicePrincipalId: current.servicePrincipalId ?? randomUUID(),
        grantedPermissions: [...new Set(granted)],
        consentedAtMs: opts.propagate ? now() : null,
      });
    },
    /** Deleting the enterprise app: the service principal and its grants disappear. */
    revokeConsent(tenantId: string): TenantRuntimeState {
      return updateTenantState(tenantId, { servicePrincipalId: null, grantedPermissions: [], consentedAtMs: null });
    },
    listIncidents(tenantId: string): Incident[] {
      return [...tenantIncidents(tenantId).values()];
    },
    getIncident(tenantId: string, incidentId: number): Incident | undefined {
      return tenantIncidents(tenantId).get(incidentId);
    },
    /** Applies a change and bumps lastUpdateTime; returns the updated incident. */
    updateIncident(tenantId: string, incidentId: number, change: (incident: Incident, stamp: string) => void): Incident | undefined {
      const current = tenantIncidents(tenantId).get(incidentId);
      if (!current) return undefined;
      const next = structuredClone(current);
      const stamp = nextStamp(tenantId);
      change(next, stamp);
      next.lastUpdateTime = stamp;
      tenantIncidents(tenantId).set(incidentId, next);
      changed.get(tenantId)!.add(incidentId);
      scheduleSave();
      return next;
    },
    /**
     * Adds generated incidents, optionally overriding fields of each. `lateByMs`: the incidents
     * reach the list only now but carry a lastUpdateTime (and creation) that long ago, as an
     * incident Microsoft indexes late does: a client polling "changed since" never sees them.
     */
    addIncidents(tenantId: string, count: number, overrides: IncidentOverrides[] = [], opts: { lateByMs?: number } = {}): Incident[] {
      const tenant = directory.customers.find((t) => t.id === tenantId);
      if (!tenant) throw new Error(`tenant ${tenantId} has no incidents`);
      const map = tenantIncidents(tenantId);
      const n = Math.max(count, overrides.length);
      const serial = generatedCount.get(tenantId) ?? 0;
      generatedCount.set(tenantId, serial + n);
      const r = createSeededRandom(deriveSeed(seed, `added:${tenantId}:${serial}`));
      const added: Incident[] = [];
      for (let i = 0; i < n; i++) {
        const incidentId = Math.max(0, ...map.keys()) + r.int(1, 3);
        const lateMs = opts.lateByMs ? now() - opts.lateByMs + i : null;
        const stamp = lateMs === null ? nextStamp(tenantId) : formatDefenderTime(lateMs);
        const base = generateIncident(r, contextFor(tenant), { incidentId, createdMs: lateMs ?? now(), lastUpdateTime: stamp });
        // New incidents start untriaged; given fields win, but id, link and timestamp stay consistent.
        const { graph: graphOverrides, ...defenderOverrides } = overrides[i] ?? {};
        const incident: Incident = {
          ...base,
          status: "Active",
          classification: "Unknown",
          determination: "NotAvailable",
          ...defenderOverrides,
          incidentId,
          incidentUri: incidentUri(incidentId, tenantId),
          lastUpdateTime: stamp,
        };
        incident.graph = { ...seedGraphExtras(seed, tenantId, incident, contextFor(tenant).analysts), ...graphOverrides };
        map.set(incidentId, incident);
        changed.get(tenantId)!.add(incidentId);
        added.push(incident);
      }
      scheduleSave();
      return added;
    },
    /** Back to the seed state (a new epoch, so the 30-day spread ends now). */
    reset(): void {
      buildFromSeed(now());
      saveNow();
    },
    flush(): void {
      if (saveTimer) saveNow();
    },
  };
}
