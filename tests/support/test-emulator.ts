import { startEmulator, type EmulatorHandle, type StartEmulatorOptions } from "@/emulator/start-emulator";

/** An emulator on random loopback ports, sharing the CA that vitest's global setup trusts. */
export function startTestEmulator(options: Omit<StartEmulatorOptions, "dataDir"> = {}): Promise<EmulatorHandle> {
  const dataDir = process.env.TEST_EMULATOR_DATA_DIR;
  if (!dataDir) throw new Error("TEST_EMULATOR_DATA_DIR is not set: run tests through vitest.config.ts");
  return startEmulator({ dataDir, persist: false, ...options });
}

/** Calls the emulator's control API (loopback, HTTPS). */
export async function control<T = unknown>(emulator: EmulatorHandle, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulator.controlUrl}${route}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${method} ${route}: ${response.status} ${await response.text()}`);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
