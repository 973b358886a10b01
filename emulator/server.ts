// The two listeners: HTTPS for server-to-server calls and plain HTTP (loopback) for browser pages.
import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createRouter, HttpError, sendJson, type RequestContext, type Route } from "./http-router";

export type LogEvent = (event: Record<string, unknown>) => void;

export type Listener = {
  server: Server;
  port: number;
  /** Installs the routes once URLs (which depend on the ports) are known. */
  setRoutes(routes: Route[]): void;
  close(): Promise<void>;
};

function errorHandler(log: LogEvent) {
  return (error: unknown, ctx: RequestContext) => {
    if (error instanceof HttpError) return sendJson(ctx.res, error.status, error.body);
    log({ event: "emulator.request_failed", method: ctx.method, path: ctx.url.pathname, error: error instanceof Error ? error.message : String(error) });
    sendJson(ctx.res, 500, { error: { code: "InternalServerError", message: "The emulator failed to handle this request." } });
  };
}

async function listen(server: Server, port: number, host: string, log: LogEvent): Promise<Listener> {
  let handler: RequestListener = (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 503, { error: { code: "Starting", message: "Starting." } });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    setRoutes(routes) {
      const route = createRouter(routes, errorHandler(log));
      handler = (req, res) => void route(req, res);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function listenHttps(opts: { port: number; host: string; keyPem: string; certPem: string; log: LogEvent }): Promise<Listener> {
  return listen(createHttpsServer({ key: opts.keyPem, cert: opts.certPem }), opts.port, opts.host, opts.log);
}

export function listenHttp(opts: { port: number; host: string; log: LogEvent }): Promise<Listener> {
  return listen(createHttpServer(), opts.port, opts.host, opts.log);
}
