// Validation and application of Graph's PATCH /security/incidents/{id} and POST .../comments bodies
// (pure functions). Enum values are accepted in any case (Microsoft's examples use PascalCase) and
// stored in Defender's spelling, so the Defender view shows the same change.
import { canonicalMember } from "./graph-filter";
import {
  GRAPH_CLASSIFICATION_TO_DEFENDER,
  GRAPH_CLASSIFICATIONS,
  GRAPH_DETERMINATION_ALIASES,
  GRAPH_DETERMINATION_TO_DEFENDER,
  GRAPH_DETERMINATIONS,
  GRAPH_INCIDENT_STATUSES,
  GRAPH_STATUS_TO_DEFENDER,
  graphIncidentEnums,
} from "./graph-shape";
import type { Incident } from "./model";
import { emptyGraphExtras } from "./seed-graph-extras";

/** The fields Graph v1.0 documents as updatable. */
const UPDATABLE = ["assignedTo", "classification", "customTags", "determination", "status"];

/** Which determinations fit which classification (Graph's names; mirrors the Defender API's rule). */
export const GRAPH_DETERMINATIONS_BY_CLASSIFICATION: Record<string, readonly string[]> = {
  unknown: ["unknown"],
  truePositive: [
    "multiStagedAttack",
    "maliciousUserActivity",
    "compromisedAccount",
    "malware",
    "phishing",
    "unwantedSoftware",
    "apt",
    "securityPersonnel",
    "other",
    "unknown",
  ],
  informationalExpectedActivity: ["securityTesting", "lineOfBusinessApplication", "confirmedActivity", "securityPersonnel", "other", "unknown"],
  falsePositive: ["notMalicious", "notEnoughDataToValidate", "other", "unknown"],
};

/** A validated change, already in Defender's spelling. */
export type GraphIncidentPatch = {
  status?: string;
  assignedTo?: string | null;
  classification?: string;
  determination?: string;
  tags?: string[];
};

export type GraphPatchValidation = { ok: true; patch: GraphIncidentPatch } | { ok: false; message: string };

const isObject = (body: unknown): body is Record<string, unknown> => typeof body === "object" && body !== null && !Array.isArray(body);

/** An `@odata.type` annotation is allowed when it names the expected type (with or without '#'). */
function odataTypeOk(value: unknown, type: string): boolean {
  return typeof value === "string" && value.replace(/^#/, "").toLowerCase() === type.toLowerCase();
}

export function validateGraphIncidentPatch(body: unknown, current: Incident): GraphPatchValidation {
  const fail = (message: string): GraphPatchValidation => ({ ok: false, message });
  if (!isObject(body)) return fail("The request body must be a JSON object.");
  if ("@odata.type" in body && !odataTypeOk(body["@odata.type"], "microsoft.graph.security.incident")) {
    return fail(`The @odata.type '${String(body["@odata.type"])}' does not match microsoft.graph.security.incident.`);
  }
  const keys = Object.keys(body).filter((k) => k !== "@odata.type");
  const unknown = keys.filter((k) => !UPDATABLE.includes(k));
  if (unknown.length > 0) return fail(`Invalid properties in the request body: ${unknown.join(", ")}. Updatable properties: ${UPDATABLE.join(", ")}.`);
  if (keys.length === 0) return fail("The request body contains no properties to update.");

  const patch: GraphIncidentPatch = {};
  if ("status" in body) {
    const member = typeof body.status === "string" ? canonicalMember(GRAPH_INCIDENT_STATUSES, body.status) : null;
    if (!member) return fail(`Invalid value '${String(body.status)}' for status. Allowed: ${GRAPH_INCIDENT_STATUSES.join(", ")}.`);
    patch.status = GRAPH_STATUS_TO_DEFENDER[member]!;
  }
  if ("assignedTo" in body) {
    if (body.assignedTo !== null && typeof body.assignedTo !== "string") return fail("assignedTo must be a string or null.");
    if (typeof body.assignedTo === "string" && body.assignedTo.length > 256) return fail("assignedTo is too long.");
    patch.assignedTo = body.assignedTo === "" ? null : body.assignedTo;
  }
  let classification = graphIncidentEnums(current).classification;
  if ("classification" in body) {
    const member = typeof body.classification === "string" ? canonicalMember(GRAPH_CLASSIFICATIONS, body.classification) : null;
    if (!member) return fail(`Invalid value '${String(body.classification)}' for classification. Allowed: ${GRAPH_CLASSIFICATIONS.join(", ")}.`);
    classification = member;
    patch.classification = GRAPH_CLASSIFICATION_TO_DEFENDER[member]!;
  }
  if ("determination" in body) {
    const accepted = [...GRAPH_DETERMINATIONS, ...Object.keys(GRAPH_DETERMINATION_ALIASES)];
    const member = typeof body.determination === "string" ? canonicalMember(accepted, body.determination) : null;
    if (!member) return fail(`Invalid value '${String(body.determination)}' for determination.`);
    const allowed = GRAPH_DETERMINATIONS_BY_CLASSIFICATION[classification] ?? ["unknown"];
    if (!allowed.includes(member)) {
      return fail(
        `The determination '${String(body.determination)}' is not valid with the classification '${classification}'. Allowed: ${allowed.join(", ")}.`,
      );
    }
    patch.determination = GRAPH_DETERMINATION_TO_DEFENDER[member]!;
  }
  if ("customTags" in body) {
    if (!Array.isArray(body.customTags) || body.customTags.some((t) => typeof t !== "string" || t.length === 0 || t.length > 512)) {
      return fail("customTags must be an array of non-empty strings.");
    }
    patch.tags = [...new Set(body.customTags as string[])];
  }
  return { ok: true, patch };
}

/** Applies a validated patch in place; the updater becomes the incident's lastModifiedBy. */
export function applyGraphIncidentPatch(incident: Incident, patch: GraphIncidentPatch, updatedBy: string): void {
  if (patch.status !== undefined) incident.status = patch.status;
  if (patch.assignedTo !== undefined) incident.assignedTo = patch.assignedTo;
  if (patch.classification !== undefined) {
    incident.classification = patch.classification;
    // A determination that no longer fits the new classification is cleared, as the Defender API does.
    const enums = graphIncidentEnums(incident);
    const allowed = GRAPH_DETERMINATIONS_BY_CLASSIFICATION[enums.classification] ?? [];
    if (patch.determination === undefined && !allowed.includes(enums.determination)) incident.determination = "NotAvailable";
  }
  if (patch.determination !== undefined) incident.determination = patch.determination;
  if (patch.tags !== undefined) incident.tags = patch.tags;
  incident.graph = { ...(incident.graph ?? emptyGraphExtras()), lastModifiedBy: updatedBy };
}

export type GraphCommentValidation = { ok: true; comment: string } | { ok: false; message: string };

/** `{"@odata.type":"microsoft.graph.security.alertComment","comment":"…"}` (the annotation is optional). */
export function validateGraphComment(body: unknown): GraphCommentValidation {
  if (!isObject(body)) return { ok: false, message: "The request body must be a JSON object." };
  if ("@odata.type" in body && !odataTypeOk(body["@odata.type"], "microsoft.graph.security.alertComment")) {
    return { ok: false, message: `The @odata.type '${String(body["@odata.type"])}' does not match microsoft.graph.security.alertComment.` };
  }
  const unknown = Object.keys(body).filter((k) => k !== "@odata.type" && k !== "comment");
  if (unknown.length > 0) return { ok: false, message: `Invalid properties in the request body: ${unknown.join(", ")}.` };
  if (typeof body.comment !== "string" || body.comment.trim() === "" || body.comment.length > 30_000)
    return { ok: false, message: "comment must be a non-empty string." };
  return { ok: true, comment: body.comment };
}
