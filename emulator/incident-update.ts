// Validation and application of PATCH /api/incidents/{id} bodies (pure functions).
import type { Incident } from "./model";

export type IncidentPatch = {
  status?: string;
  assignedTo?: string | null;
  classification?: string;
  determination?: string;
  tags?: string[];
  comment?: string;
};

const UPDATABLE = new Set(["status", "assignedTo", "classification", "determination", "tags", "comment"]);
const SETTABLE_STATUSES = new Set(["Active", "InProgress", "Resolved"]);

/** Which determinations go with which classification (BenignPositive is the older name). */
export const DETERMINATIONS_BY_CLASSIFICATION: Record<string, readonly string[]> = {
  Unknown: ["NotAvailable"],
  TruePositive: [
    "MultiStagedAttack",
    "MaliciousUserActivity",
    "CompromisedAccount",
    "CompromisedUser",
    "Malware",
    "Phishing",
    "UnwantedSoftware",
    "Other",
    "NotAvailable",
  ],
  InformationalExpectedActivity: ["SecurityTesting", "LineOfBusinessApplication", "ConfirmedActivity", "ConfirmedUserActivity", "Other", "NotAvailable"],
  BenignPositive: ["SecurityTesting", "LineOfBusinessApplication", "ConfirmedActivity", "ConfirmedUserActivity", "Other", "NotAvailable"],
  FalsePositive: ["Clean", "NoEnoughDataToValidate", "InsufficientData", "Other", "NotAvailable"],
};

export type PatchValidation = { ok: true; patch: IncidentPatch } | { ok: false; message: string };

export function validateIncidentPatch(body: unknown, current: Incident): PatchValidation {
  const fail = (message: string): PatchValidation => ({ ok: false, message });
  if (typeof body !== "object" || body === null || Array.isArray(body)) return fail("The request body must be a JSON object.");
  const input = body as Record<string, unknown>;
  const unknown = Object.keys(input).filter((k) => !UPDATABLE.has(k));
  if (unknown.length > 0) return fail(`Unknown or read-only properties: ${unknown.join(", ")}. Updatable: ${[...UPDATABLE].join(", ")}.`);
  if (Object.keys(input).length === 0) return fail("The request body contains no properties to update.");

  const patch: IncidentPatch = {};
  if ("status" in input) {
    if (typeof input.status !== "string" || !SETTABLE_STATUSES.has(input.status))
      return fail(`Invalid status '${String(input.status)}'. Allowed: ${[...SETTABLE_STATUSES].join(", ")}.`);
    patch.status = input.status;
  }
  if ("assignedTo" in input) {
    if (input.assignedTo !== null && typeof input.assignedTo !== "string") return fail("assignedTo must be a string or null.");
    if (typeof input.assignedTo === "string" && input.assignedTo.length > 256) return fail("assignedTo is too long.");
    patch.assignedTo = input.assignedTo === "" ? null : input.assignedTo;
  }
  if ("classification" in input) {
    if (typeof input.classification !== "string" || !(input.classification in DETERMINATIONS_BY_CLASSIFICATION)) {
      return fail(`Invalid classification '${String(input.classification)}'.`);
    }
    patch.classification = input.classification;
  }
  if ("determination" in input) {
    if (typeof input.determination !== "string") return fail("determination must be a string.");
    const classification = patch.classification ?? current.classification;
    const allowed = DETERMINATIONS_BY_CLASSIFICATION[classification] ?? ["NotAvailable"];
    if (!allowed.includes(input.determination)) {
      return fail(`Determination '${input.determination}' is not valid with classification '${classification}'. Allowed: ${allowed.join(", ")}.`);
    }
    patch.determination = input.determination;
  }
  if ("tags" in input) {
    if (!Array.isArray(input.tags) || input.tags.some((t) => typeof t !== "string" || t.length === 0 || t.length > 512)) {
      return fail("tags must be an array of non-empty strings.");
    }
    patch.tags = [...new Set(input.tags as string[])];
  }
  if ("comment" in input) {
    if (typeof input.comment !== "string" || input.comment.trim() === "" || input.comment.length > 30_000) return fail("comment must be a non-empty string.");
    patch.comment = input.comment;
  }
  return { ok: true, patch };
}

/** Applies a validated patch in place. */
export function applyIncidentPatch(incident: Incident, patch: IncidentPatch, opts: { stamp: string; commentAuthor: string }): void {
  if (patch.status !== undefined) incident.status = patch.status;
  if (patch.assignedTo !== undefined) incident.assignedTo = patch.assignedTo;
  if (patch.classification !== undefined) {
    incident.classification = patch.classification;
    // A determination that no longer fits the new classification is cleared, as the portal UI does.
    const allowed = DETERMINATIONS_BY_CLASSIFICATION[patch.classification] ?? [];
    if (patch.determination === undefined && !allowed.includes(incident.determination)) incident.determination = "NotAvailable";
  }
  if (patch.determination !== undefined) incident.determination = patch.determination;
  if (patch.tags !== undefined) incident.tags = patch.tags;
  if (patch.comment !== undefined) incident.comments.push({ comment: patch.comment, createdBy: opts.commentAuthor, createdTime: opts.stamp });
}
