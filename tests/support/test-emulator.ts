import https from "node:https";
import { startEmulator, type EmulatorHandle, type StartEmulatorOptions } from "@/emulator/start-emulator";

/**
 * An emulator on random loopback ports, sharing the CA that vitest's global setup trusts. Its list
 * pages come in a seeded shuffle unless a test asks otherwise: Microsoft documents no order for
 * either incidents API, so no test may pass only because the emulator sorts.
 */
export function startTestEmulator(options: Omit<StartEmulatorOptions, "dataDir"> = {}): Promise<EmulatorHandle> {
  const dataDir = process.env.TEST_EMULATOR_DATA_DIR;
  if (!dataDir) throw new Error("TEST_EMULATOR_DATA_DIR is not set: run tests through vitest.config.ts");
  return startEmulator({ dataDir, persist: false, listOrder: "shuffled", ...options });
}

/**
 * Calls the emulator's control API (loopback, HTTPS), on a connection of its own each time.
 * fetch() would pool these calls with the portal clients' kept-alive connections to the same
 * origin, and the emulator serves in the test's process, whose event loop a sync keeps busy: an
 * idle connection may then be closed by the server just as the next call is sent on it (seen as
 * ECONNRESET). The portal's clients retry such errors; these calls must not need to.
 */
export function control<T = unknown>(emulator: EmulatorHandle, method: string, route: string, body?: unknown): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const request = https.request(
      `${emulator.controlUrl}${route}`,
      { method, agent: false, headers: payload === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = response.statusCode ?? 0;
          if (status < 200 || status > 299) return reject(new Error(`control ${method} ${route}: ${status} ${text}`));
          resolve((text ? JSON.parse(text) : undefined) as T);
        });
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}
