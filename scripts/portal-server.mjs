#!/usr/bin/env node
// The portal's HTTP server: Next.js's own request handler behind a plain node:http server, so the
// client address comes from the socket (and TRUSTED_PROXY_HOPS proxies), not from headers a
// client can forge. Usage: node scripts/portal-server.mjs [--port 3000] [--host 0.0.0.0]
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { CLIENT_ADDRESS_HEADER, clientAddressFrom, trustedHopsFrom } from "./lib/client-chain.mjs";

const { values } = parseArgs({ options: { port: { type: "string" }, host: { type: "string" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const host = values.host ?? process.env.HOST ?? undefined;

let trustedHops;
try {
  trustedHops = trustedHopsFrom(process.env.TRUSTED_PROXY_HOPS);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const app = next({ dev: false, port, hostname: host ?? "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  // Always overwritten: whatever a client sent under this name is dropped.
  const address = clientAddressFrom(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedHops);
  if (address) req.headers[CLIENT_ADDRESS_HEADER] = address;
  else delete req.headers[CLIENT_ADDRESS_HEADER];
  void handle(req, res);
});
server.listen(port, host, () => {
  console.log(
    `▲ Portal listening on http://${host ?? "localhost"}:${port}${trustedHops ? ` (trusting ${trustedHops} proxy hop${trustedHops === 1 ? "" : "s"})` : ""}`,
  );
});

// The portal's shutdown handlers (server/process/lifecycle.ts, installed at start-up) stop
// background work, close the store and exit; the server only stops taking new requests.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections?.();
  });
}
