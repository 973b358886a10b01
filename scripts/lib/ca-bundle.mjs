// NODE_EXTRA_CA_CERTS may already point at a bundle (it does on this machine): append, never replace.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";

/** Writes <dir>/ca-bundle.pem = existing NODE_EXTRA_CA_CERTS + the given CA, and returns its path. */
export function writeCaBundle(dir, caCertPath) {
  mkdirSync(dir, { recursive: true });
  const parts = [];
  const existing = process.env.NODE_EXTRA_CA_CERTS;
  const bundlePath = path.join(dir, "ca-bundle.pem");
  if (existing && path.resolve(existing) !== bundlePath && existsSync(existing)) parts.push(readFileSync(existing, "utf8").trim());
  parts.push(readFileSync(caCertPath, "utf8").trim());
  writeFileSync(bundlePath, parts.join("\n") + "\n");
  return bundlePath;
}
