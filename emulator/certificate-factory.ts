// Builds X.509 certificates with node-forge. Keys come from node:crypto, which is far faster than
// forge's pure-JavaScript RSA key generation.
import { generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import forge from "node-forge";

export type PemPair = { keyPem: string; certPem: string };

export type CertificateRequest = {
  commonName: string;
  organization: string;
  validityDays: number;
  isCertificateAuthority?: boolean;
  /** Signs with this issuer; self-signed when omitted. */
  issuer?: PemPair;
  dnsNames?: string[];
  ipAddresses?: string[];
  extendedKeyUsage?: "serverAuth" | "clientAuth";
};

export function createCertificate(req: CertificateRequest): PemPair {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // Positive serial: clear the top bit of the first byte.
  const serial = randomBytes(16);
  serial.writeUInt8(serial.readUInt8(0) & 0x7f, 0);
  cert.serialNumber = serial.toString("hex");
  const notBefore = new Date(Date.now() - 5 * 60_000); // tolerate small clock skew
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = new Date(notBefore.getTime() + req.validityDays * 86_400_000);
  const subject = [
    { name: "commonName", value: req.commonName },
    { name: "organizationName", value: req.organization },
  ];
  cert.setSubject(subject);

  let signingKey = key;
  let issuerCert: forge.pki.Certificate | null = null;
  if (req.issuer) {
    issuerCert = forge.pki.certificateFromPem(req.issuer.certPem);
    signingKey = forge.pki.privateKeyFromPem(req.issuer.keyPem) as forge.pki.rsa.PrivateKey;
    cert.setIssuer(issuerCert.subject.attributes);
  } else {
    cert.setIssuer(subject);
  }

  const extensions: object[] = [
    { name: "basicConstraints", cA: req.isCertificateAuthority === true, critical: req.isCertificateAuthority === true },
    req.isCertificateAuthority
      ? { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true }
      : { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ];
  if (issuerCert) {
    extensions.push({ name: "authorityKeyIdentifier", keyIdentifier: issuerCert.generateSubjectKeyIdentifier().getBytes() });
  }
  if (req.extendedKeyUsage) extensions.push({ name: "extKeyUsage", [req.extendedKeyUsage]: true });
  const altNames = [...(req.dnsNames ?? []).map((value) => ({ type: 2, value })), ...(req.ipAddresses ?? []).map((ip) => ({ type: 7, ip }))];
  if (altNames.length > 0) extensions.push({ name: "subjectAltName", altNames });
  cert.setExtensions(extensions);
  cert.sign(signingKey, forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

/** Hex SHA-1 and SHA-256 thumbprints of a PEM certificate (lowercase, no separators). */
export function certificateThumbprints(certPem: string): { sha1Hex: string; sha256Hex: string } {
  const x509 = new X509Certificate(certPem);
  const clean = (fp: string) => fp.replace(/:/g, "").toLowerCase();
  return { sha1Hex: clean(x509.fingerprint), sha256Hex: clean(x509.fingerprint256) };
}

/** The certificate's DER bytes, base64 (the `x5c` form). */
export function certificateDerBase64(certPem: string): string {
  return new X509Certificate(certPem).raw.toString("base64");
}
