import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/server/database/open-database";
import { EmbeddedDatabaseLocked } from "@/server/database/pglite-lock.mjs";
import { createTestDatabase, migrate, testDatabaseKinds, type TestDatabase } from "../support/test-database";

describe.each(testDatabaseKinds())("database on %s", (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("is created by the committed migrations, and applying them again changes nothing", async () => {
    const applied = await db.database.prisma.$queryRaw<
      { migration_name: string }[]
    >`SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL`;
    expect(applied.map((row) => row.migration_name)).toContainEqual(expect.stringMatching(/_foundation$/));
    if (kind === "postgres") {
      migrate({ DATABASE_URL: db.config.kind === "postgres" ? db.config.url : undefined });
      const again = await db.database.prisma.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM _prisma_migrations`;
      expect(Number(again[0]!.count)).toBe(applied.length);
    }
  });

  it("keeps audit events append-only: the database refuses update, delete and truncate", async () => {
    const { prisma } = db.database;
    const event = await prisma.auditEvent.create({ data: { actorType: "system", action: "test.append", outcome: "success", reason: "<b>kept as text</b>" } });
    await expect(prisma.auditEvent.update({ where: { id: event.id }, data: { outcome: "failure" } })).rejects.toThrow(/append-only/);
    await expect(prisma.auditEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRawUnsafe(`TRUNCATE audit_event`)).rejects.toThrow(/append-only/);
    const stored = await prisma.auditEvent.findUniqueOrThrow({ where: { id: event.id } });
    expect(stored.outcome).toBe("success");
    expect(stored.reason).toBe("<b>kept as text</b>");
  });

  it("records a staff member once per account and updates them on the next sign-in", async () => {
    const { prisma } = db.database;
    const first = new Date("2026-01-01T00:00:00Z");
    for (const [name, at] of [
      ["Zoë Ångström", first],
      ["Zoë Ångström-Lind", new Date("2026-02-01T00:00:00Z")],
    ] as const) {
      await prisma.staffMember.upsert({
        where: { id: "oid-1" },
        create: { id: "oid-1", tenantId: "t", name, username: "zoe@example.com", roles: ["Portal.Analyst"], lastSignInAt: at },
        update: { name, lastSignInAt: at },
      });
    }
    const rows = await prisma.staffMember.findMany({ where: { id: "oid-1" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name).toBe("Zoë Ångström-Lind");
    expect(rows[0]!.roles).toEqual(["Portal.Analyst"]);
  });
});

describe("embedded database folder", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("pglite");
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("cannot be opened twice in one process", async () => {
    await expect(openDatabase(db.config)).rejects.toBeInstanceOf(EmbeddedDatabaseLocked);
  });

  it("gives a second process a clear error instead of opening it", () => {
    if (db.config.kind !== "pglite") throw new Error("expected PGlite");
    const script = `import { openDatabase } from "./server/database/open-database.ts";
      openDatabase({ kind: "pglite", dataDir: ${JSON.stringify(db.config.dataDir)} })
        .then(() => { console.log("opened"); process.exit(0); })
        .catch((error) => { console.error(error.message); process.exit(3); });`;
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/already open in another process \(pid \d+\)/);
    expect(result.stderr).toMatch(/DATABASE_URL/);
  });

  it("keeps its data after close and reopen", async () => {
    await db.database.prisma.auditEvent.create({ data: { actorType: "system", action: "test.persist", outcome: "success" } });
    await db.database.close();
    db.database = await openDatabase(db.config);
    const count = await db.database.prisma.auditEvent.count({ where: { action: "test.persist" } });
    expect(count).toBe(1);
  });
});
