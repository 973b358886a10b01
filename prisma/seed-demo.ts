// Demo mode, first start: the portal already serves one customer that consented before the portal
// used Microsoft Graph (it consented to the Defender XDR API only, as the emulator's
// EMULATOR_LEGACY_CONSENT customer did), so the migration to Graph can be seen and clicked.
// Run by scripts/start.mjs in its own process: the embedded store opens in one process at a time.
import { readConfig } from "../server/config-schema";
import { openDatabase } from "../server/database/open-database";

export const DEMO_LEGACY_TENANT = { id: "4f1b3e7c-65a8-4dae-8c9b-1a5d7e3f6ca5", displayName: "Litware Legal" };

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const db = await openDatabase(config.database);
  try {
    const onboardedAt = new Date(Date.UTC(2025, 8, 15, 9, 30));
    // Only on a fresh store: once staff changed anything, the demo is theirs.
    const anyTenant = await db.prisma.tenant.count();
    if (anyTenant > 0) return;
    await db.prisma.tenant.create({
      data: {
        id: DEMO_LEGACY_TENANT.id,
        displayName: DEMO_LEGACY_TENANT.displayName,
        requiredAccess: "read_write",
        status: "graph_consent_needed",
        statusChangedAt: onboardedAt,
        grantedRoles: [],
        legacyRoles: ["Incident.Read.All", "Incident.ReadWrite.All"],
        incidentSource: "defender",
        onboardedAt,
        onboardedByName: "Demo seed (onboarded before Microsoft Graph)",
        lastVerifiedAt: onboardedAt,
        // Verified again right away, as the portal does after an upgrade.
        nextVerifyAt: new Date(),
      },
    });
    await db.prisma.auditEvent.create({
      data: {
        actorType: "system",
        actorName: "demo seed",
        action: "tenant.onboarded",
        outcome: "success",
        tenantId: DEMO_LEGACY_TENANT.id,
        reason: `${DEMO_LEGACY_TENANT.displayName}: consented to the Defender XDR API before the portal used Microsoft Graph`,
        occurredAt: onboardedAt,
      },
    });
    console.log(`Demo: ${DEMO_LEGACY_TENANT.displayName} is onboarded through the retiring Defender XDR API (see Tenants).`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
