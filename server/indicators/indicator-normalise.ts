// Pure: one spelling per indicator, so the same IP, hash, URL or address from two customers (or two
// APIs) meets in the index. No server-only import: the queue's URL filter parses with it too.

export const INDICATOR_TYPES = ["ip", "sha256", "sha1", "md5", "url", "domain", "email", "fileName", "account"] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export const INDICATOR_TYPE_LABEL: Record<IndicatorType, string> = {
  ip: "IP address",
  sha256: "SHA-256",
  sha1: "SHA-1",
  md5: "MD5",
  url: "URL",
  domain: "Domain",
  email: "Sender address",
  fileName: "File name",
  account: "Account",
};

export type IndicatorValue = { type: IndicatorType; value: string };

/** Same bound as the entity index (btree keys stay small); a longer value is cut, not dropped. */
export const MAX_INDICATOR_CHARS = 512;

export function isIndicatorType(value: string): value is IndicatorType {
  return (INDICATOR_TYPES as readonly string[]).includes(value);
}

function ipv4Octets(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : null;
}

/** Eight 16-bit groups of an IPv6 address (an IPv4 tail allowed), or null. */
function ipv6Groups(text: string): number[] | null {
  if (!/^[0-9a-f:.]+$/.test(text) || !text.includes(":")) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (half: string): number[] | null => {
    if (half === "") return [];
    const groups: number[] = [];
    const pieces = half.split(":");
    for (const [index, piece] of pieces.entries()) {
      if (piece.includes(".")) {
        const octets = index === pieces.length - 1 ? ipv4Octets(piece) : null;
        if (!octets) return null;
        groups.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
      } else if (/^[0-9a-f]{1,4}$/.test(piece)) groups.push(parseInt(piece, 16));
      else return null;
    }
    return groups;
  };
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : null;
}

/** RFC 5952 text: lower-case hex, no leading zeros, the longest run of two or more zero groups as "::". */
function ipv6Text(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** Canonical IPv4 (dotted decimal) or IPv6 (RFC 5952) text; an IPv4-mapped IPv6 address is its IPv4. Null if not an IP. */
export function normaliseIp(raw: string): string | null {
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/%.*$/, "");
  const v4 = ipv4Octets(text);
  if (v4) return v4.join(".");
  const v6 = ipv6Groups(text);
  if (!v6) return null;
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) return [v6[6]! >> 8, v6[6]! & 255, v6[7]! >> 8, v6[7]! & 255].join(".");
  return ipv6Text(v6);
}

/** A file hash's type by its length (lower-case hex): SHA-256, SHA-1 or MD5; null for anything else. */
export function normaliseHash(raw: string): IndicatorValue | null {
  const value = raw.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(value)) return null;
  const type = value.length === 64 ? "sha256" : value.length === 40 ? "sha1" : value.length === 32 ? "md5" : null;
  return type ? { type, value } : null;
}

/** A host name: lower case, without a trailing dot or a leading "*."; null unless it has a dot and no spaces. */
export function normaliseDomain(raw: string): string | null {
  const value = raw.trim().toLowerCase().replace(/^\*\./, "").replace(/\.$/, "");
  return /^[^\s/@:?#]+\.[^\s/@:?#.]+$/.test(value) && value.length <= MAX_INDICATOR_CHARS ? value : null;
}

export function normaliseEmail(raw: string): { address: string; domain: string | null } | null {
  const value = raw
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, "");
  const match = /^[^\s@]+@([^\s@]+)$/.exec(value);
  if (!match || value.length > MAX_INDICATOR_CHARS) return null;
  return { address: value, domain: normaliseDomain(match[1]!) };
}

const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/;

/**
 * A URL as one lower-cased string without its fragment (as the entity index spells it), and its host
 * as a domain (or an IP). Unicode host names stay Unicode: the same spelling the APIs send.
 */
export function normaliseUrl(raw: string): { url: string; host: IndicatorValue | null } | null {
  const value = raw.trim().toLowerCase().replace(/#.*$/, "").slice(0, MAX_INDICATOR_CHARS);
  const match = URL_PARTS.exec(value);
  if (!match) return null;
  const host = match[2]!;
  const ip = normaliseIp(host);
  const domain = ip ? null : normaliseDomain(host);
  return { url: value, host: ip ? { type: "ip", value: ip } : domain ? { type: "domain", value: domain } : null };
}

/** The last path segment, lower case: "C:\\Temp\\Payload.EXE" → "payload.exe". */
export function normaliseFileName(raw: string): string | null {
  const value = raw.trim().toLowerCase().split(/[\\/]/).pop()!.trim().slice(0, MAX_INDICATOR_CHARS);
  return value || null;
}

/** An indicator typed by a person or carried in a URL (`ip:203.0.113.7`), normalised by its type; null if it is not one. */
export function normaliseIndicator(type: string, raw: string): IndicatorValue | null {
  if (!isIndicatorType(type)) return null;
  switch (type) {
    case "ip": {
      const value = normaliseIp(raw);
      return value ? { type, value } : null;
    }
    case "sha256":
    case "sha1":
    case "md5": {
      const hash = normaliseHash(raw);
      return hash?.type === type ? hash : null;
    }
    case "url": {
      const url = normaliseUrl(raw);
      return url ? { type, value: url.url } : null;
    }
    case "domain": {
      const value = normaliseDomain(raw);
      return value ? { type, value } : null;
    }
    case "email": {
      const email = normaliseEmail(raw);
      return email ? { type, value: email.address } : null;
    }
    case "fileName": {
      const value = normaliseFileName(raw);
      return value ? { type, value } : null;
    }
    case "account": {
      const value = raw.trim().toLowerCase().slice(0, MAX_INDICATOR_CHARS);
      return value ? { type, value } : null;
    }
  }
}
