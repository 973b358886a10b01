import { ConfigError, readConfig, type PortalConfig } from "../config-schema";
import { getDb, logger } from "../services";
import { legacyModeWarning } from "../incidents/incident-api";
import { checkNotificationKey } from "../notifications/notification-service";

/** Stops the process with a message naming the bad variable; never prints values. */
export function checkConfigAtStartup(now = new Date()): void {
  let config: PortalConfig;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Legacy mode is allowed to start even past the Defender API's retirement (see sourceForTenant).
  const legacy = legacyModeWarning(config.incidentSource, now);
  if (legacy) logger()[legacy.level]({ event: "startup.legacy_incident_source", retired: legacy.level === "error" }, legacy.message);
}

/**
 * Once the store is open: notification channels exist but NOTIFICATION_SECRET_KEY is not set (their
 * secrets could not be opened, and nothing would be delivered): stop with the way out.
 */
export async function checkNotificationKeyAtStartup(): Promise<void> {
  let refusal: string | null;
  try {
    refusal = await checkNotificationKey(await getDb());
  } catch (error) {
    logger().error({ event: "startup.notification_key_check_failed", err: error }, "could not check the notification channels");
    return;
  }
  if (refusal) {
    console.error(refusal);
    process.exit(1);
  }
}
