// Two PostgreSQL roles: the owner, which applies migrations (MIGRATION_DATABASE_URL), and the
// portal's runtime role (DATABASE_URL), which reads and writes data but may only INSERT and SELECT
// the audit trail and can change no table's shape. Applied after every `migrate deploy`, so tables
// added by later migrations are covered too. The embedded store (PGlite) keeps its one role.
import pg from "pg";

/** The role name in a postgres:// URL. */
export function roleOf(url) {
  const name = decodeURIComponent(new URL(url).username || "");
  if (!name)
    throw new Error("Configuration error: DATABASE_URL must name the portal's runtime role (postgres://role@host/db) when MIGRATION_DATABASE_URL is set");
  return name;
}

const quote = (identifier) => `"${identifier.replaceAll('"', '""')}"`;

/** The statements, in order (pure: the tests read them too). */
export function runtimeGrantStatements(role) {
  const r = quote(role);
  return [
    `GRANT USAGE ON SCHEMA public TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    // The audit trail: append and read, nothing else (its trigger refuses UPDATE/DELETE as well).
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE "audit_event" FROM ${r}`,
    // Migration history: readable (Prisma checks it), never written by the portal.
    `REVOKE ALL ON TABLE "_prisma_migrations" FROM ${r}`,
    `GRANT SELECT ON TABLE "_prisma_migrations" TO ${r}`,
    // No DDL: the runtime role may not create objects in the schema, neither by its own grant nor
    // through PUBLIC (which had CREATE on public before PostgreSQL 15, and may have been given it).
    `REVOKE CREATE ON SCHEMA public FROM ${r}`,
    `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
  ];
}

/**
 * Grants the runtime role what it needs, as the owner. Refuses to run when both URLs name the same
 * role: then there is only one role, and the separation this exists for would be an illusion.
 */
export async function grantRuntimeRole({ ownerUrl, runtimeUrl }) {
  const role = roleOf(runtimeUrl);
  if (role === roleOf(ownerUrl))
    throw new Error(
      "Configuration error: MIGRATION_DATABASE_URL and DATABASE_URL name the same role; the portal's runtime role must be another one (see README: database roles)",
    );
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    for (const statement of runtimeGrantStatements(role)) await client.query(statement);
  } finally {
    await client.end();
  }
  return role;
}
