// The one list of values that say nothing across customers. Such values are still stored for the
// tenant (the incident page lists them, the queue filter finds them) but never correlated: they
// are not counted towards "seen in N customers" and never appear on the Indicators page.
//
//   non-public-ip         private (10/8, 172.16/12, 192.168/16, fc00::/7), loopback (127/8, ::1),
//                         link-local (169.254/16, fe80::/10), CGNAT (100.64/10), multicast
//                         (224/4, ff00::/8), unspecified, broadcast and reserved (0/8, 240/4, ::)
//   microsoft-service     Microsoft's own service domains and their subdomains (MICROSOFT_DOMAINS),
//                         as a domain, a URL's host or a sender's domain; customer content Microsoft
//                         hosts (blob storage, web apps, SharePoint/OneDrive) is NOT excluded:
//                         attackers host there too
//   public-mail-provider  the domain of a free mail service (gmail.com, …); the sender address
//                         itself still correlates
//   customer-account      user accounts, UPNs, mailboxes and recipients: a customer's own people
//   customer-domain       the tenant's own domains (its verified domain and the UPN suffixes of the
//                         incident's accounts) as a domain, URL host or sender domain
//   common-program        names of programs every Windows/Office estate runs (cmd.exe, …); their
//                         hashes still correlate
//
// The migration 20261202120000_indicators applied the same rules once, in SQL, to its backfill.
// Pure: no server-only import.
import type { IndicatorType } from "./indicator-normalise";
import { normaliseIp } from "./indicator-normalise";

export const EXCLUSION_REASONS = [
  "non-public-ip",
  "microsoft-service",
  "public-mail-provider",
  "customer-account",
  "customer-domain",
  "common-program",
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export const EXCLUSION_LABEL: Record<ExclusionReason, string> = {
  "non-public-ip": "Private or reserved IP address",
  "microsoft-service": "Microsoft service",
  "public-mail-provider": "Public mail provider",
  "customer-account": "The customer's own account",
  "customer-domain": "The customer's own domain",
  "common-program": "Common program name",
};

export const MICROSOFT_DOMAINS = [
  "microsoft.com",
  "microsoftonline.com",
  "microsoftonline-p.com",
  "microsoft365.com",
  "msauth.net",
  "msftauth.net",
  "msauthimages.net",
  "msocdn.com",
  "office.com",
  "office.net",
  "office365.com",
  "outlook.com",
  "live.com",
  "live.net",
  "windows.com",
  "windows.net",
  "windowsupdate.com",
  "azure.com",
  "azure.net",
  "azureedge.net",
  "bing.com",
  "skype.com",
  "onmicrosoft.com",
  "sharepointonline.com",
  "msn.com",
  "aka.ms",
] as const;

/** Subdomains of MICROSOFT_DOMAINS where anyone's content lives: still correlated. */
export const MICROSOFT_HOSTED_CONTENT = ["blob.core.windows.net", "web.core.windows.net", "azurewebsites.net", "sharepoint.com", "1drv.ms"] as const;

export const PUBLIC_MAIL_DOMAINS = [
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "yahoo.com",
  "icloud.com",
  "me.com",
  "aol.com",
  "gmx.com",
  "gmx.net",
  "mail.com",
  "proton.me",
  "protonmail.com",
  "yandex.ru",
  "qq.com",
] as const;

export const COMMON_PROGRAMS = [
  "cmd.exe",
  "powershell.exe",
  "pwsh.exe",
  "conhost.exe",
  "explorer.exe",
  "svchost.exe",
  "services.exe",
  "lsass.exe",
  "rundll32.exe",
  "regsvr32.exe",
  "mshta.exe",
  "wscript.exe",
  "cscript.exe",
  "wmic.exe",
  "schtasks.exe",
  "taskhostw.exe",
  "msedge.exe",
  "chrome.exe",
  "firefox.exe",
  "winword.exe",
  "excel.exe",
  "powerpnt.exe",
  "outlook.exe",
  "teams.exe",
  "onedrive.exe",
] as const;

/** IPv4 ranges as [first octets, prefix length]. */
const NON_PUBLIC_V4: [number[], number][] = [
  [[0], 8],
  [[10], 8],
  [[100, 64], 10],
  [[127], 8],
  [[169, 254], 16],
  [[172, 16], 12],
  [[192, 168], 16],
  [[224], 4],
  [[240], 4],
];

function inV4Range(octets: number[], [prefix, bits]: [number[], number]): boolean {
  const value = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  const base = (((prefix[0] ?? 0) << 24) >>> 0) + ((prefix[1] ?? 0) << 16) + ((prefix[2] ?? 0) << 8) + (prefix[3] ?? 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (value & mask) >>> 0 === (base & mask) >>> 0;
}

/** Private, loopback, link-local, CGNAT, multicast or otherwise not routable on the internet. */
export function isNonPublicIp(raw: string): boolean {
  const ip = normaliseIp(raw);
  if (!ip) return false;
  if (!ip.includes(":")) {
    const octets = ip.split(".").map(Number);
    return ip === "255.255.255.255" || NON_PUBLIC_V4.some((range) => inV4Range(octets, range));
  }
  if (ip === "::" || ip === "::1") return true;
  const first = parseInt(ip.split(":")[0] || "0", 16);
  // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast.
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
}

function withinAny(domain: string, parents: readonly string[]): boolean {
  return parents.some((parent) => domain === parent || domain.endsWith(`.${parent}`));
}

export function isMicrosoftServiceDomain(domain: string): boolean {
  return withinAny(domain, MICROSOFT_DOMAINS) && !withinAny(domain, MICROSOFT_HOSTED_CONTENT);
}

/** The host (a domain) of a normalised URL or the domain of an address, for the domain rules. */
function domainOf(type: IndicatorType, value: string): string | null {
  if (type === "domain") return value;
  if (type === "email") return value.split("@").pop() ?? null;
  if (type === "url") return /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^:/?#]*)/.exec(value)?.[1]?.replace(/\.$/, "") ?? null;
  return null;
}

/**
 * Why a value is not correlated across customers, or null when it is. `ownDomains` are the
 * tenant's own domains (lower case): its verified domain and its accounts' UPN suffixes.
 */
export function exclusionOf(indicator: { type: IndicatorType; value: string }, ownDomains: readonly string[] = []): ExclusionReason | null {
  const { type, value } = indicator;
  if (type === "account") return "customer-account";
  if (type === "ip") return isNonPublicIp(value) ? "non-public-ip" : null;
  if (type === "fileName") return (COMMON_PROGRAMS as readonly string[]).includes(value) ? "common-program" : null;
  const domain = domainOf(type, value);
  if (!domain) return null;
  if (withinAny(domain, ownDomains)) return "customer-domain";
  // Anyone can send from a free mailbox: the address is an indicator, its domain is not.
  if (type === "email" && (PUBLIC_MAIL_DOMAINS as readonly string[]).includes(domain)) return null;
  if (isMicrosoftServiceDomain(domain)) return "microsoft-service";
  if (type === "domain" && (PUBLIC_MAIL_DOMAINS as readonly string[]).includes(domain)) return "public-mail-provider";
  return null;
}
