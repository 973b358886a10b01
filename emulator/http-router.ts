// A minimal router over node:http: path templates with ":name" segments, and response helpers.
import type { IncomingMessage, ServerResponse } from "node:http";

export type RequestContext = {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  url: URL;
  params: Record<string, string>;
  /** A path parameter the route template guarantees. */
  param(name: string): string;
  /** The raw request body (read once, cached). */
  body(): Promise<string>;
};

export type RouteHandler = (ctx: RequestContext) => Promise<void> | void;
export type Route = { method: string; path: string; handler: RouteHandler };

const MAX_BODY_BYTES = 1_000_000;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

function matchPath(template: string, pathname: string): Record<string, string> | null {
  const want = template.split("/").filter(Boolean);
  const got = pathname.split("/").filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, expected] of want.entries()) {
    let segment: string;
    try {
      segment = decodeURIComponent(got[i] ?? "");
    } catch {
      return null;
    }
    if (expected.startsWith(":")) params[expected.slice(1)] = segment;
    else if (expected.toLowerCase() !== segment.toLowerCase()) return null; // Entra paths are case-insensitive
  }
  return params;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, { error: { code: "RequestEntityTooLarge", message: "Request body too large." } }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function createRouter(routes: Route[], onError: (error: unknown, ctx: RequestContext) => void) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    let cachedBody: Promise<string> | null = null;
    const base = { req, res, method, url, body: () => (cachedBody ??= readBody(req)) };
    let pathMatched = false;
    for (const route of routes) {
      const params = matchPath(route.path, url.pathname);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const param = (name: string): string => {
        const value = params[name];
        if (value === undefined) throw new Error(`route ${route.path} has no parameter ${name}`);
        return value;
      };
      const ctx: RequestContext = { ...base, params, param };
      try {
        await route.handler(ctx);
      } catch (error) {
        onError(error, ctx);
      }
      return;
    }
    if (pathMatched) sendJson(res, 405, { error: { code: "MethodNotAllowed", message: `${method} is not allowed here.` } });
    else sendJson(res, 404, { error: { code: "NotFound", message: `No route for ${url.pathname}.` } });
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers });
  res.end(text);
}

export function sendRaw(res: ServerResponse, status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store", ...headers });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  // The pages need no scripts; a strict CSP keeps injected markup inert even if escaping regressed.
  sendRaw(res, status, "text/html; charset=utf-8", html, {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action *; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
  });
}

export function redirect(res: ServerResponse, location: string): void {
  if (res.headersSent) return;
  res.writeHead(302, { location, "cache-control": "no-store" });
  res.end();
}

export async function readForm(ctx: RequestContext): Promise<URLSearchParams> {
  return new URLSearchParams(await ctx.body());
}

export async function readJson(ctx: RequestContext): Promise<unknown> {
  const text = await ctx.body();
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, { error: { code: "BadRequest", message: "The request body is not valid JSON." } });
  }
}
