// README: "An upgrade re-verifies every tenant at once." The upgrade to Microsoft Graph is a
// committed migration (graph_source): a store of the release before it, with tenants in it, is
// brought to today's schema by applying the remaining migrations as they are committed, and every
// tenant that is not offboarded is then due for verification at once (the health check takes
// tenants whose next_verify_at has passed), its Defender roles kept as legacy roles.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../prisma/migrations");
const UPGRADE = "20261201232041_graph_source";
const migrations = readdirSync(MIGRATIONS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();
const sqlOf = (name: string) => readFileSync(path.join(MIGRATIONS, name, "migration.sql"), "utf8");

describe("the upgrade to Microsoft Graph (migration graph_source)", () => {
  let db: PGlite;
  const sixHoursOn = new Date(Date.now() + 6 * 3_600_000);
  const offboardedNext = new Date(Date.now() + 30 * 86_400_000);

  beforeAll(async () => {
    db = await PGlite.create({ extensions: { pg_trgm } });
    // The release before the upgrade, with three customers verified recently.
    for (const name of migrations.filter((m) => m < UPGRADE)) await db.exec(sqlOf(name));
    const insert = `INSERT INTO "tenant" ("id", "display_name", "required_access", "status", "granted_roles", "next_verify_at", "updated_at")
      VALUES ($1, $2, 'read_write', $3, $4, $5, CURRENT_TIMESTAMP)`;
    await db.query(insert, ["0b7d9a3e-21c4-4f6a-8e5d-7c1f3a9b2e61", "Contoso", "active", ["Incident.Read.All", "Incident.ReadWrite.All"], sixHoursOn]);
    await db.query(insert, ["1c8e0b4f-32d5-4a7b-9f6e-8d2a4b0c3f72", "Fabrikam", "permission_missing", ["Incident.Read.All"], sixHoursOn]);
    await db.query(insert, ["2d9f1c5a-43e6-4b8c-8a7f-9e3b5c1d4a83", "Woodgrove", "offboarded", [], offboardedNext]);
    // The upgrade: every migration from graph_source on, as committed.
    for (const name of migrations.filter((m) => m >= UPGRADE)) await db.exec(sqlOf(name));
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  it("makes every tenant that is not offboarded due for verification at once, keeping its Defender roles as legacy roles", async () => {
    const { rows } = await db.query<{ display_name: string; next_verify_at: Date; legacy_roles: string[]; granted_roles: string[]; incident_source: string }>(
      `SELECT "display_name", "next_verify_at", "legacy_roles", "granted_roles", "incident_source" FROM "tenant" ORDER BY "display_name"`,
    );
    const byName = Object.fromEntries(rows.map((row) => [row.display_name, row]));
    const now = Date.now();
    for (const name of ["Contoso", "Fabrikam"]) {
      expect(byName[name]!.next_verify_at.getTime(), name).toBeLessThanOrEqual(now);
      expect(byName[name]!.incident_source, name).toBe("defender");
      expect(byName[name]!.granted_roles, name).toEqual([]);
    }
    expect(byName.Contoso!.legacy_roles).toEqual(["Incident.Read.All", "Incident.ReadWrite.All"]);
    // An offboarded tenant is not checked again.
    expect(byName.Woodgrove!.next_verify_at.getTime()).toBe(offboardedNext.getTime());
    // The health check's own question (health-scheduler.ts): which tenants are due now?
    const due = await db.query<{ display_name: string }>(
      `SELECT "display_name" FROM "tenant" WHERE "status" <> 'offboarded' AND "next_verify_at" <= $1 ORDER BY "display_name"`,
      [new Date()],
    );
    expect(due.rows.map((row) => row.display_name)).toEqual(["Contoso", "Fabrikam"]);
  });
});
