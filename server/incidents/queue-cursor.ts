import { z } from "zod";
import { isInt8Id, isStorableDate } from "../database/column-ranges";
import type { QueueSort, SortDirection } from "./queue-filters";
import { isTenantId } from "../../lib/ids";

// Pure: the keyset cursor of the queue, as an opaque URL-safe token.

/** The sort key of one row: enough to continue the ordering right after (or before) it. */
export type QueueKey = {
  severityRank: number;
  lastUpdateTime: Date;
  createdTime: Date;
  /** sla_next_due_at: 9999-12-31 when no clock runs. */
  slaNextDueAt: Date;
  tenantId: string;
  incidentId: bigint;
};

type KeyField = keyof QueueKey;
export type OrderTerm = { field: KeyField; dir: SortDirection };

/**
 * The canonical (descending) order of each sort, matching the schema's indexes; the tie-breakers
 * (tenant, incident) follow the index too, so the ascending order is the exact reverse scan.
 */
const CANONICAL: Record<QueueSort, OrderTerm[]> = {
  updated: [
    { field: "lastUpdateTime", dir: "desc" },
    { field: "tenantId", dir: "asc" },
    { field: "incidentId", dir: "asc" },
  ],
  created: [
    { field: "createdTime", dir: "desc" },
    { field: "tenantId", dir: "asc" },
    { field: "incidentId", dir: "asc" },
  ],
  severity: [
    { field: "severityRank", dir: "desc" },
    { field: "lastUpdateTime", dir: "desc" },
    { field: "tenantId", dir: "asc" },
    { field: "incidentId", dir: "asc" },
  ],
  // Read ascending (soonest due first) by default: the all-ascending order is the index's own.
  due: [
    { field: "slaNextDueAt", dir: "desc" },
    { field: "tenantId", dir: "desc" },
    { field: "incidentId", dir: "desc" },
  ],
};

const flip = (dir: SortDirection): SortDirection => (dir === "asc" ? "desc" : "asc");

/** The order to read rows in; `backwards` is for the previous page (reversed again afterwards). */
export function orderTerms(sort: QueueSort, dir: SortDirection, backwards = false): OrderTerm[] {
  const flipAll = (dir === "asc") !== backwards;
  return CANONICAL[sort].map((term) => (flipAll ? { field: term.field, dir: flip(term.dir) } : term));
}

const storableInstant = z.iso.datetime().refine((value) => isStorableDate(new Date(value)));

/** Every field within what its column holds: a forged cursor out of range is no cursor, not a 500. */
const tokenSchema = z.object({
  s: z.enum(["updated", "created", "severity", "due"]),
  d: z.enum(["asc", "desc"]),
  r: z.number().int().min(-1000).max(1000),
  u: storableInstant,
  c: storableInstant,
  n: storableInstant.optional(),
  t: z.string().refine(isTenantId),
  i: z.string().refine(isInt8Id),
});

export function encodeCursor(sort: QueueSort, dir: SortDirection, key: QueueKey): string {
  const token = {
    s: sort,
    d: dir,
    r: key.severityRank,
    u: key.lastUpdateTime.toISOString(),
    c: key.createdTime.toISOString(),
    n: key.slaNextDueAt.toISOString(),
    t: key.tenantId,
    i: key.incidentId.toString(),
  };
  return Buffer.from(JSON.stringify(token), "utf8").toString("base64url");
}

/** The key in a cursor token, or null when it is malformed or belongs to another sort. */
export function decodeCursor(token: string | undefined, sort: QueueSort, dir: SortDirection): QueueKey | null {
  if (!token) return null;
  try {
    const parsed = tokenSchema.safeParse(JSON.parse(Buffer.from(token, "base64url").toString("utf8")));
    if (!parsed.success || parsed.data.s !== sort || parsed.data.d !== dir) return null;
    const { r, u, c, n, t, i } = parsed.data;
    // A cursor made before the due-time column existed has none: only the "due" sort needs it.
    if (sort === "due" && !n) return null;
    return { severityRank: r, lastUpdateTime: new Date(u), createdTime: new Date(c), slaNextDueAt: new Date(n ?? c), tenantId: t, incidentId: BigInt(i) };
  } catch {
    return null; // not base64 JSON: treated as no cursor
  }
}
