import type { BadgeTone } from "../ui/badge";

// Words for Defender's enum values; unknown values (Microsoft adds new ones) show as sent.

export const SEVERITY_LABEL: Record<string, string> = {
  High: "High",
  Medium: "Medium",
  Low: "Low",
  Informational: "Informational",
  UnSpecified: "Unspecified",
};

export const STATUS_LABEL: Record<string, string> = {
  Active: "Active",
  InProgress: "In progress",
  Resolved: "Resolved",
  Redirected: "Redirected",
  AwaitingAction: "Awaiting action",
  UnknownFutureValue: "Unknown",
};

export const STATUS_TONE: Record<string, BadgeTone> = {
  Active: "info",
  InProgress: "warn",
  Resolved: "good",
  Redirected: "neutral",
  AwaitingAction: "warn",
};

export const CLASSIFICATION_LABEL: Record<string, string> = {
  Unknown: "Not set",
  TruePositive: "True positive",
  InformationalExpectedActivity: "Informational, expected activity",
  FalsePositive: "False positive",
  BenignPositive: "Benign positive",
};

export const DETERMINATION_LABEL: Record<string, string> = {
  NotAvailable: "Not available",
  MultiStagedAttack: "Multi-staged attack",
  MaliciousUserActivity: "Malicious user activity",
  CompromisedAccount: "Compromised account",
  CompromisedUser: "Compromised user",
  Malware: "Malware",
  Phishing: "Phishing",
  UnwantedSoftware: "Unwanted software",
  SecurityTesting: "Security testing",
  LineOfBusinessApplication: "Line-of-business application",
  ConfirmedActivity: "Confirmed activity",
  ConfirmedUserActivity: "Confirmed user activity",
  Clean: "Clean",
  NoEnoughDataToValidate: "Not enough data to validate",
  InsufficientData: "Insufficient data",
  NotMalicious: "Not malicious",
  NotEnoughDataToValidate: "Not enough data to validate",
  SecurityPersonnel: "Security personnel",
  Apt: "Advanced persistent threat",
  Unknown: "Unknown",
  Other: "Other",
};

export function labelOf(map: Record<string, string>, value: string | null | undefined, empty = "—"): string {
  if (!value) return empty;
  return map[value] ?? value;
}

/** "True positive · Malware", or "—" when nothing is set. */
export function verdictText(classification: string | null, determination: string | null): string {
  const parts: string[] = [];
  if (classification && classification !== "Unknown") parts.push(labelOf(CLASSIFICATION_LABEL, classification));
  if (determination && determination !== "NotAvailable" && determination !== "Unknown") parts.push(labelOf(DETERMINATION_LABEL, determination));
  return parts.join(" · ") || "—";
}
