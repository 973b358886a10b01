// Pure: which indicators an incident's evidence holds, typed by the field they came from (both
// adapters name their searchable fields; see graph-incident.ts and defender-incident.ts), and
// whether each is correlated across customers (indicator-exclusions.ts).
import type { SourceIncident } from "../microsoft/source-incident";
import { exclusionOf, type ExclusionReason } from "./indicator-exclusions";
import { MAX_INDICATOR_CHARS, normaliseEmail, normaliseFileName, normaliseHash, normaliseIp, normaliseUrl, type IndicatorValue } from "./indicator-normalise";

/** Searchable field name (the last segment of its path) → how its value becomes indicators. */
const FIELD_KIND: Record<string, "ip" | "hash" | "fileName" | "url" | "sender" | "account"> = {
  ipAddress: "ip",
  senderIp: "ip",
  sha256: "hash",
  sha1: "hash",
  md5: "hash",
  fileName: "fileName",
  url: "url",
  // Graph's p1Sender/p2Sender.emailAddress, Defender's sender.
  emailAddress: "sender",
  sender: "sender",
  userPrincipalName: "account",
  accountName: "account",
  azureAdUserId: "account",
  aadUserId: "account",
  primaryAddress: "account",
  mailboxAddress: "account",
  recipientEmailAddress: "account",
  recipient: "account",
};

function indicatorsOfField(field: string, raw: string): IndicatorValue[] {
  switch (FIELD_KIND[field]) {
    case "ip": {
      const ip = normaliseIp(raw);
      return ip ? [{ type: "ip", value: ip }] : [];
    }
    case "hash": {
      const hash = normaliseHash(raw);
      return hash ? [hash] : [];
    }
    case "fileName": {
      const name = normaliseFileName(raw);
      return name ? [{ type: "fileName", value: name }] : [];
    }
    case "url": {
      const url = normaliseUrl(raw);
      return url ? [{ type: "url", value: url.url }, ...(url.host ? [url.host] : [])] : [];
    }
    case "sender": {
      const email = normaliseEmail(raw);
      return email ? [{ type: "email", value: email.address }, ...(email.domain ? [{ type: "domain" as const, value: email.domain }] : [])] : [];
    }
    case "account": {
      const value = raw.trim().toLowerCase().slice(0, MAX_INDICATOR_CHARS);
      return value ? [{ type: "account", value }] : [];
    }
    default:
      return [];
  }
}

/** Every indicator of the incident's evidence, normalised, each (type, value) once. */
export function incidentIndicatorValues(incident: SourceIncident): IndicatorValue[] {
  const seen = new Map<string, IndicatorValue>();
  for (const alert of incident.alerts) {
    for (const evidence of alert.evidence) {
      for (const { field, value } of evidence.searchValues) {
        for (const indicator of indicatorsOfField(field, value)) seen.set(`${indicator.type}\u0000${indicator.value}`, indicator);
      }
    }
  }
  return [...seen.values()];
}

export type ClassifiedIndicator = IndicatorValue & { excludedReason: ExclusionReason | null };

/**
 * Each indicator with the reason it is not correlated (or null). The tenant's own domains are its
 * verified domain and the UPN suffixes of the incident's own accounts.
 */
export function classifyIndicators(indicators: readonly IndicatorValue[], verifiedDomain: string | null): ClassifiedIndicator[] {
  const ownDomains = new Set<string>(verifiedDomain ? [verifiedDomain.toLowerCase()] : []);
  for (const { type, value } of indicators) {
    const at = value.lastIndexOf("@");
    if (type === "account" && at > 0 && at < value.length - 1) ownDomains.add(value.slice(at + 1));
  }
  const domains = [...ownDomains];
  return indicators.map((indicator) => ({ ...indicator, excludedReason: exclusionOf(indicator, domains) }));
}
