// @ts-check

/**
 * The portal's public host (NEXTAUTH_URL), so server actions posted from it are accepted when a
 * reverse proxy forwards another Host; Next.js compares the Origin's host (with port) to this list.
 */
function serverActionOrigins() {
  try {
    return process.env.NEXTAUTH_URL ? [new URL(process.env.NEXTAUTH_URL).host] : [];
  } catch {
    return []; // server/config-schema.ts reports a malformed NEXTAUTH_URL at start-up
  }
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native/embedded database and logging packages must stay outside the server bundle.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pino", "pg", "@azure/msal-node"],
  experimental: {
    serverActions: { allowedOrigins: serverActionOrigins() },
  },
  async headers() {
    // Content-Security-Policy and Strict-Transport-Security are set per request by proxy.ts (nonce).
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
