import { connect, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { resetServices } from "@/server/services";
import { freePort } from "../support/free-port";
import { createScratchPostgresDatabase } from "../support/test-database";

// /api/health, as a load balancer and `npm start` read it: 200 "ok" while the store answers, 503
// "degraded" while it does not (and nothing about customers or the error), and ok again once the
// store is back, without a restart.
const FAKE_APP = {
  AZURE_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
  AZURE_TENANT_ID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
  AZURE_CLIENT_SECRET: "health-test-secret",
  NEXTAUTH_URL: "http://127.0.0.1:3999",
  NEXTAUTH_SECRET: "health-test-secret-0123456789abcdef0123",
  LOG_LEVEL: "silent",
};
const saved = { ...process.env };

async function health(): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await GET();
  expect(response.headers.get("cache-control")).toBe("no-store");
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A TCP door in front of PostgreSQL: closed (nothing listens), then opened. */
function tcpDoor(port: number, target: { host: string; port: number }) {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  return {
    open: () =>
      new Promise<void>((resolve) => {
        server = createServer((client) => {
          const upstream = connect(target.port, target.host);
          for (const socket of [client, upstream]) {
            sockets.add(socket);
            socket.on("error", () => undefined);
            socket.on("close", () => sockets.delete(socket));
          }
          client.pipe(upstream).pipe(client);
        });
        server.listen(port, "127.0.0.1", () => resolve());
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!server) return resolve();
        server.close(() => resolve());
      }),
  };
}

describe("the health endpoint", () => {
  afterEach(async () => {
    await resetServices();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it("answers 503 degraded while the database is unreachable, naming neither the address nor the error", { timeout: 60_000 }, async () => {
    const port = await freePort(); // nothing listens there
    Object.assign(process.env, FAKE_APP, { DATABASE_URL: `postgres://portal:db-password@127.0.0.1:${port}/portal` });
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: "degraded", database: "unreachable", databaseKind: "postgres" });
    expect(Object.keys(body).sort()).toEqual(["database", "databaseKind", "status", "time"]);
    expect(JSON.stringify(body)).not.toMatch(/db-password|127\.0\.0\.1|ECONNREFUSED/);
  });

  it.runIf(Boolean(process.env.TEST_DATABASE_URL))("is ok again once PostgreSQL answers, without a restart", { timeout: 60_000 }, async () => {
    const scratch = await createScratchPostgresDatabase("health");
    const real = new URL(scratch.url);
    const port = await freePort();
    const door = tcpDoor(port, { host: real.hostname, port: Number(real.port || 5432) });
    try {
      const throughDoor = new URL(scratch.url);
      throughDoor.hostname = "127.0.0.1";
      throughDoor.port = String(port);
      Object.assign(process.env, FAKE_APP, { DATABASE_URL: throughDoor.toString() });
      expect((await health()).status).toBe(503);
      await door.open();
      const { status, body } = await health();
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: "ok", database: "ok", databaseKind: "postgres" });
      await resetServices(); // let go of the pool before the door closes
    } finally {
      await door.close();
      await scratch.drop();
    }
  });
});
