import "server-only";
import { getConfig, getDb } from "./services";

export type Health = { status: "ok" | "degraded"; database: "ok" | "unreachable"; databaseKind: string; time: string };

/** Liveness for load balancers and the start script; says nothing about customers. */
export async function checkHealth(): Promise<Health> {
  const kind = getConfig().database.kind;
  try {
    const db = await getDb();
    await db.$queryRaw`SELECT 1`;
    return { status: "ok", database: "ok", databaseKind: kind, time: new Date().toISOString() };
  } catch {
    return { status: "degraded", database: "unreachable", databaseKind: kind, time: new Date().toISOString() };
  }
}
