// Loads the emulator's keys and certificates from dataDir, creating them on first start:
// a local CA and the HTTPS server certificate it signs, the MSSP app's client certificate,
// and the token-signing key published in JWKS.
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { certificateDerBase64, certificateThumbprints, createCertificate, type PemPair } from "./certificate-factory";

export type KeyMaterial = {
  caCertPath: string;
  caCertPem: string;
  server: PemPair;
  appCertificatePath: string;
  app: PemPair & { sha1Hex: string; sha256Hex: string; publicKey: KeyObject };
  signing: { privateKey: KeyObject; publicKey: KeyObject; kid: string; x5c: string };
};

const YEAR_DAYS = 365;

function loadOrCreatePair(dir: string, name: string, create: () => PemPair): PemPair {
  const keyPath = path.join(dir, `${name}-key.pem`);
  const certPath = path.join(dir, `${name}-cert.pem`);
  if (existsSync(keyPath) && existsSync(certPath)) {
    return { keyPem: readFileSync(keyPath, "utf8"), certPem: readFileSync(certPath, "utf8") };
  }
  const pair = create();
  writeFileSync(keyPath, pair.keyPem, { mode: 0o600 });
  writeFileSync(certPath, pair.certPem);
  return pair;
}

export function loadOrCreateKeyMaterial(dataDir: string): KeyMaterial {
  const dir = path.join(dataDir, "pki");
  mkdirSync(dir, { recursive: true });

  const ca = loadOrCreatePair(dir, "ca", () =>
    createCertificate({
      commonName: "Microsoft Cloud Emulator Local CA",
      organization: "MSSP Portal demo",
      validityDays: 10 * YEAR_DAYS,
      isCertificateAuthority: true,
    }),
  );
  const server = loadOrCreatePair(dir, "server", () =>
    createCertificate({
      commonName: "localhost",
      organization: "MSSP Portal demo",
      validityDays: 2 * YEAR_DAYS,
      issuer: ca,
      dnsNames: ["localhost"],
      ipAddresses: ["127.0.0.1", "::1"],
      extendedKeyUsage: "serverAuth",
    }),
  );
  const app = loadOrCreatePair(dir, "app-client", () =>
    createCertificate({
      commonName: "Northwind MSSP Portal",
      organization: "Northwind Cyber Defense",
      validityDays: 2 * YEAR_DAYS,
      extendedKeyUsage: "clientAuth",
    }),
  );
  const signing = loadOrCreatePair(dir, "token-signing", () =>
    createCertificate({ commonName: "accounts.emulator.local", organization: "Microsoft Cloud Emulator", validityDays: 5 * YEAR_DAYS }),
  );

  // The portal reads the app credential as one PEM holding both the private key and the certificate.
  const appCertificatePath = path.join(dataDir, "mssp-app-certificate.pem");
  writeFileSync(appCertificatePath, `${app.keyPem.trim()}\n${app.certPem.trim()}\n`, { mode: 0o600 });
  const caCertPath = path.join(dataDir, "ca-cert.pem");
  writeFileSync(caCertPath, ca.certPem);

  const signingThumbprints = certificateThumbprints(signing.certPem);
  return {
    caCertPath,
    caCertPem: ca.certPem,
    server,
    appCertificatePath,
    app: { ...app, ...certificateThumbprints(app.certPem), publicKey: createPublicKey(app.certPem) },
    signing: {
      privateKey: createPrivateKey(signing.keyPem),
      publicKey: createPublicKey(signing.certPem),
      // Entra ID uses the certificate's base64url SHA-1 thumbprint as both kid and x5t.
      kid: Buffer.from(signingThumbprints.sha1Hex, "hex").toString("base64url"),
      x5c: certificateDerBase64(signing.certPem),
    },
  };
}
