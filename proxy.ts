import { NextResponse, type NextRequest } from "next/server";
import { safeReturnPathOr } from "./server/auth/safe-return-path";

// Only a redirect for people without any session cookie; every page and route checks the
// session and role again on the server.
const PUBLIC = [/^\/signin/, /^\/access-denied/, /^\/api\/auth\//, /^\/api\/health/, /^\/consent(\/|$)/];

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (PUBLIC.some((pattern) => pattern.test(pathname))) return NextResponse.next();
  const hasSession = request.cookies.has("next-auth.session-token") || request.cookies.has("__Secure-next-auth.session-token");
  if (hasSession) return NextResponse.next();
  if (pathname.startsWith("/api/")) {
    return NextResponse.json({ error: "unauthenticated", message: "Sign in to the portal first." }, { status: 401 });
  }
  const url = new URL("/signin", request.url);
  // "//evil.example" is a path here but a host to a browser: only a same-origin path comes back.
  url.searchParams.set("callbackUrl", safeReturnPathOr(pathname + search, request.nextUrl.origin));
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
