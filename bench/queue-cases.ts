// The queue filters people use most, as the URL query the page receives.
import type { PrismaClient } from "../prisma/generated/client/client";

export type QueueCase = { name: string; query: Record<string, string> };
export type DeepCase = { name: string; query: Record<string, string>; depth: number };

/** An entity value that exists in the data: `entityType`'s most common value (ties: smallest). Types are the neutral evidence kinds (`ip`, `user`, …). */
async function commonValue(prisma: PrismaClient, entityType: string): Promise<string | null> {
  const rows = await prisma.$queryRawUnsafe<{ value: string }[]>(
    `SELECT value FROM incident_entity WHERE entity_type = $1 GROUP BY value ORDER BY count(*) DESC, value LIMIT 1`,
    entityType,
  );
  return rows[0]?.value ?? null;
}

export async function queueCases(prisma: PrismaClient, firstTenantId: string): Promise<QueueCase[]> {
  const [ip, user, named] = await Promise.all([
    commonValue(prisma, "ip"),
    prisma
      .$queryRawUnsafe<{ value: string }[]>(
        // A UPN (not the bare account name) of the first tenant: what an analyst pastes.
        `SELECT value FROM incident_entity WHERE entity_type = 'user' AND value LIKE '%@%' AND tenant_id = $1 GROUP BY value ORDER BY count(*) DESC, value LIMIT 1`,
        firstTenantId,
      )
      .then((rows) => rows[0]?.value ?? null),
    prisma
      .$queryRawUnsafe<{ incident_id: bigint; incident_name: string }[]>(
        `SELECT incident_id, incident_name FROM incident WHERE tenant_id = $1 ORDER BY incident_id DESC LIMIT 1`,
        firstTenantId,
      )
      .then((rows) => rows[0] ?? null),
  ]);
  // A word of an incident's name (its longest): many incidents share it, as a word people search for does.
  const word = named?.incident_name
    .split(/[^A-Za-z]+/)
    .filter((w) => w.length >= 5)
    .sort((a, b) => b.length - a.length)[0];
  const cases: QueueCase[] = [
    { name: "no filter (updated ↓)", query: {} },
    { name: "one tenant", query: { tenant: firstTenantId } },
    { name: "severity High+Medium", query: { severity: "High,Medium" } },
    { name: "status Active", query: { status: "Active" } },
    { name: "unassigned", query: { assigned: "unassigned" } },
    { name: "last 7 days", query: { range: "7d" } },
    { name: "sort by severity", query: { sort: "severity" } },
    { name: "sort by created", query: { sort: "created" } },
  ];
  if (ip) cases.push({ name: `search IP (${ip})`, query: { q: ip } });
  if (user) cases.push({ name: `search user (${user})`, query: { q: user } });
  if (named) cases.push({ name: `search incident id (${named.incident_id})`, query: { q: String(named.incident_id) } });
  if (word) cases.push({ name: `search a word of names (${word.toLowerCase()})`, query: { q: word.toLowerCase() } });
  return cases;
}

export const DEEP_CASES: DeepCase[] = [
  { name: "no filter", query: {}, depth: 50 },
  { name: "no filter", query: {}, depth: 200 },
  { name: "sort by severity", query: { sort: "severity" }, depth: 200 },
  { name: "status Active", query: { status: "Active" }, depth: 200 },
];
