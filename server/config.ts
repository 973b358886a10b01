import "server-only";
import { readConfig, type PortalConfig } from "./config-schema";

export type { PortalConfig } from "./config-schema";
export { ConfigError } from "./config-schema";

let cached: PortalConfig | undefined;

/** The one validated view of the environment; nothing else reads process.env. */
export function getConfig(): PortalConfig {
  cached ??= readConfig(process.env);
  return cached;
}
