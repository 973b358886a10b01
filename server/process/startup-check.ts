import { ConfigError, readConfig } from "../config-schema";

/** Stops the process with a message naming the bad variable; never prints values. */
export function checkConfigAtStartup(): void {
  try {
    readConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
