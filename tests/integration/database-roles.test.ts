// PostgreSQL with two roles: migrations run as the owner; the portal's runtime role reads and
// writes data, may only INSERT and SELECT the audit trail, and can change no schema.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantRuntimeRole, runtimeGrantStatements } from "@/scripts/lib/db-roles.mjs";
import { createScratchPostgresDatabase, migrate } from "../support/test-database";

const postgres = process.env.TEST_DATABASE_URL;

describe.skipIf(!postgres)("database roles on PostgreSQL", () => {
  const role = `portal_rt_${randomBytes(4).toString("hex")}`;
  let scratch: { url: string; drop: () => Promise<void> };
  let runtime: pg.Client;

  beforeAll(async () => {
    scratch = await createScratchPostgresDatabase("portal_roles");
    migrate({ DATABASE_URL: scratch.url });
    const owner = new pg.Client({ connectionString: scratch.url });
    await owner.connect();
    await owner.query(`CREATE ROLE ${role} LOGIN`);
    // As PostgreSQL before 15 had it (and an administrator may have restored it): everyone may create in public.
    await owner.query(`GRANT CREATE ON SCHEMA public TO PUBLIC`);
    await owner.end();
    const runtimeUrl = new URL(scratch.url);
    runtimeUrl.username = role;
    runtimeUrl.password = "";
    expect(await grantRuntimeRole({ ownerUrl: scratch.url, runtimeUrl: runtimeUrl.toString() })).toBe(role);
    runtime = new pg.Client({ connectionString: runtimeUrl.toString() });
    await runtime.connect();
  });
  afterAll(async () => {
    await runtime?.end();
    await scratch?.drop();
    const admin = new pg.Client({ connectionString: postgres });
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  const refused = async (sql: string) => {
    await runtime.query("SAVEPOINT s").catch(() => undefined);
    const error = await runtime.query(sql).then(
      () => null,
      (e: { code?: string; message: string }) => e,
    );
    expect(error, sql).not.toBeNull();
    return error!.message;
  };

  it("lets the runtime role append to and read the audit trail, and nothing else there", async () => {
    await runtime.query(`INSERT INTO audit_event (actor_type, action, outcome) VALUES ('system', 'test.role', 'success')`);
    expect((await runtime.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'test.role'`)).rows[0].n).toBe(1);
    expect(await refused(`UPDATE audit_event SET reason = 'rewritten'`)).toMatch(/permission denied/);
    expect(await refused(`DELETE FROM audit_event`)).toMatch(/permission denied/);
    expect(await refused(`TRUNCATE audit_event`)).toMatch(/permission denied/);
  });

  it("lets it read and write data, but change no schema and no migration history", async () => {
    await runtime.query(`INSERT INTO staff_member (oid, tenant_id, name, username, roles, last_sign_in_at) VALUES ('o', 't', 'n', 'u', '{}', now())`);
    await runtime.query(`UPDATE staff_member SET name = 'm' WHERE oid = 'o'`);
    await runtime.query(`DELETE FROM staff_member WHERE oid = 'o'`);
    expect(await refused(`CREATE TABLE sneaky (id int)`)).toMatch(/permission denied/);
    expect(await refused(`CREATE FUNCTION sneaky() RETURNS int LANGUAGE sql AS 'SELECT 1'`)).toMatch(/permission denied/);
    // Not through PUBLIC either.
    expect((await runtime.query(`SELECT has_schema_privilege('public', 'CREATE') AS can`)).rows[0].can).toBe(false);
    expect(await refused(`ALTER TABLE incident ADD COLUMN sneaky int`)).toMatch(/must be owner/);
    expect(await refused(`DROP TABLE tenant`)).toMatch(/must be owner/);
    expect(await refused(`DELETE FROM _prisma_migrations`)).toMatch(/permission denied/);
  });

  it("refuses to call one role two roles", async () => {
    await expect(grantRuntimeRole({ ownerUrl: scratch.url, runtimeUrl: scratch.url })).rejects.toThrow(/name the same role/);
    expect(runtimeGrantStatements('odd"name')[0]).toBe('GRANT USAGE ON SCHEMA public TO "odd""name"');
  });
});
