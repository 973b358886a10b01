import NextAuth from "next-auth";
import { buildAuthOptions } from "@/server/auth/auth-options";
import { clientAddress } from "@/server/auth/client-address";

type Context = { params: Promise<{ nextauth: string[] }> };

function handler(request: Request, context: Context) {
  const options = buildAuthOptions({ ipAddress: clientAddress(request.headers), userAgent: request.headers.get("user-agent") });
  // next-auth v4's route-handler form: (request, { params }, options); its types predate Next 16.
  return NextAuth(request as never, context as never, options) as Promise<Response>;
}

export { handler as GET, handler as POST };
