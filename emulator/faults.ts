// Fault injection for tests: the next N matching calls fail in a chosen way. The routes name the kind
// of call, for both incident APIs: `list`, `get`, `patch` (Graph's comments count as `patch`), `token`.

export const FAULT_KINDS = ["429", "500", "503", "slow", "malformed-json", "malformed-record", "reset"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export const FAULT_ROUTES = ["list", "get", "patch", "token", "*"] as const;
export type FaultRoute = (typeof FAULT_ROUTES)[number];

export type FaultRule = {
  id: number;
  tenantId: string | null;
  route: FaultRoute;
  kind: FaultKind;
  /** Calls left to affect; Infinity until DELETE /_emulator/faults. */
  remaining: number;
  retryAfterSeconds: number;
  delayMs: number;
};

export type FaultRegistry = {
  add(rule: Omit<FaultRule, "id">): FaultRule;
  /** Consumes one use of the first rule that matches this call, if any. */
  take(route: Exclude<FaultRoute, "*">, tenantId: string | null): FaultRule | undefined;
  list(): FaultRule[];
  /** Removes every rule, or only those of one tenant (tests running side by side clear their own). */
  clear(tenantId?: string): void;
};

function appliesTo(kind: FaultKind, route: Exclude<FaultRoute, "*">): boolean {
  // A malformed incident record only makes sense where incidents are returned.
  return kind !== "malformed-record" || route === "list" || route === "get";
}

export function createFaultRegistry(): FaultRegistry {
  let rules: FaultRule[] = [];
  let nextId = 1;
  return {
    add(rule) {
      const stored = { ...rule, id: nextId++ };
      rules.push(stored);
      return stored;
    },
    take(route, tenantId) {
      const rule = rules.find(
        (r) => r.remaining > 0 && (r.route === "*" || r.route === route) && (r.tenantId === null || r.tenantId === tenantId) && appliesTo(r.kind, route),
      );
      if (!rule) return undefined;
      rule.remaining -= 1;
      if (rule.remaining <= 0) rules = rules.filter((r) => r !== rule);
      return { ...rule };
    },
    list: () => rules.map((r) => ({ ...r })),
    clear(tenantId) {
      rules = tenantId === undefined ? [] : rules.filter((r) => r.tenantId !== tenantId);
    },
  };
}
