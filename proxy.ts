import { NextResponse, type NextRequest } from "next/server";

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
  url.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
