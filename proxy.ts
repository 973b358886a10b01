import { NextResponse, type NextRequest } from "next/server";
import { safeReturnPathOr } from "./server/auth/safe-return-path";
import { securityHeadersForRequest, type SecurityHeaders } from "./server/http/security-headers";

// Redirects people without any session cookie (every page and route checks the session and role
// again on the server) and gives every response its security headers with a fresh CSP nonce.
const PUBLIC = [/^\/signin/, /^\/access-denied/, /^\/api\/auth\//, /^\/api\/health/, /^\/consent(\/|$)/];

function withSecurityHeaders(response: NextResponse, security: SecurityHeaders): NextResponse {
  response.headers.set("Content-Security-Policy", security.contentSecurityPolicy);
  if (security.strictTransportSecurity) response.headers.set("Strict-Transport-Security", security.strictTransportSecurity);
  return response;
}

/** Next.js reads the nonce from the request's CSP header for its own scripts; the layout reads x-nonce. */
function next(request: NextRequest, security: SecurityHeaders): NextResponse {
  const headers = new Headers(request.headers);
  headers.set("x-nonce", security.nonce);
  headers.set("Content-Security-Policy", security.contentSecurityPolicy);
  return withSecurityHeaders(NextResponse.next({ request: { headers } }), security);
}

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const security = await securityHeadersForRequest({ formsLeadToMicrosoft: pathname.startsWith("/consent/") });
  if (PUBLIC.some((pattern) => pattern.test(pathname))) return next(request, security);
  const hasSession = request.cookies.has("next-auth.session-token") || request.cookies.has("__Secure-next-auth.session-token");
  if (hasSession) return next(request, security);
  if (pathname.startsWith("/api/")) {
    return withSecurityHeaders(NextResponse.json({ error: "unauthenticated", message: "Sign in to the portal first." }, { status: 401 }), security);
  }
  const url = new URL("/signin", request.url);
  // "//evil.example" is a path here but a host to a browser: only a same-origin path comes back.
  url.searchParams.set("callbackUrl", safeReturnPathOr(pathname + search, request.nextUrl.origin));
  return withSecurityHeaders(NextResponse.redirect(url), security);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
