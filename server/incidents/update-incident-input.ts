import "../../lib/zod-without-eval";
import { z } from "zod";
import { isIncidentId, isTenantId } from "../../lib/ids";

// Pure: what staff may send to change an incident. The forms use the same lists, the server
// validates with the same schema.

/** Statuses a person may set (Redirected is Defender's own doing). */
export const SETTABLE_STATUSES = ["Active", "InProgress", "Resolved"] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/**
 * Which determinations go with which classification, per API (each refuses any other pair).
 * Graph's values (alertDetermination, canonical PascalCase) differ from the Defender API's; where
 * Microsoft's pages list two names for one member (compromisedAccount / compromisedUser), the
 * resource page's name is offered.
 */
export const DETERMINATIONS_BY_SOURCE = {
  graph: {
    TruePositive: ["MultiStagedAttack", "MaliciousUserActivity", "CompromisedAccount", "Malware", "Phishing", "UnwantedSoftware", "Apt", "Other"],
    InformationalExpectedActivity: ["SecurityTesting", "LineOfBusinessApplication", "ConfirmedActivity", "SecurityPersonnel", "Other"],
    FalsePositive: ["NotMalicious", "NotEnoughDataToValidate", "Other"],
    Unknown: ["Unknown"],
  },
  defender: {
    TruePositive: ["MultiStagedAttack", "MaliciousUserActivity", "CompromisedAccount", "Malware", "Phishing", "UnwantedSoftware", "Other", "NotAvailable"],
    InformationalExpectedActivity: ["SecurityTesting", "LineOfBusinessApplication", "ConfirmedActivity", "Other", "NotAvailable"],
    FalsePositive: ["Clean", "NoEnoughDataToValidate", "Other", "NotAvailable"],
    Unknown: ["NotAvailable"],
  },
} as const satisfies Record<"graph" | "defender", Record<string, readonly string[]>>;

export type SettableClassification = keyof (typeof DETERMINATIONS_BY_SOURCE)["graph"];
export const SETTABLE_CLASSIFICATIONS = Object.keys(DETERMINATIONS_BY_SOURCE.graph) as SettableClassification[];

export function determinationsFor(classification: string, source: "graph" | "defender" = "graph"): readonly string[] {
  return (DETERMINATIONS_BY_SOURCE[source] as Record<string, readonly string[]>)[classification] ?? [];
}

/** Any API's pair: the input schema accepts it, the update checks it against the tenant's API. */
function anyDeterminationFits(classification: string, determination: string): boolean {
  return determinationsFor(classification, "graph").includes(determination) || determinationsFor(classification, "defender").includes(determination);
}

const TAG = z.string().trim().min(1).max(120);

export const incidentChangeSchema = z.discriminatedUnion("op", [
  // "me" is resolved to the signed-in person's username on the server; "" unassigns.
  z.object({ op: z.literal("assign"), assignedTo: z.union([z.literal("me"), z.literal(""), z.email("Enter an email address").max(256)]) }),
  z.object({ op: z.literal("status"), status: z.enum(SETTABLE_STATUSES) }),
  z
    .object({
      op: z.literal("classify"),
      classification: z.enum(SETTABLE_CLASSIFICATIONS as [SettableClassification, ...SettableClassification[]]),
      determination: z.string().max(64),
    })
    .refine((c) => anyDeterminationFits(c.classification, c.determination), {
      message: "This determination does not go with the classification.",
      path: ["determination"],
    }),
  z.object({ op: z.literal("comment"), comment: z.string().trim().min(1, "Write a comment first").max(30_000) }),
  z.object({
    op: z.literal("tags"),
    tags: z
      .union([
        z.array(TAG),
        z
          .string()
          .max(4_000)
          .transform((text) =>
            text
              .split(",")
              .map((t) => t.trim())
              .filter(Boolean),
          ),
      ])
      .pipe(z.array(TAG).max(50))
      .transform((tags) => [...new Set(tags)]),
  }),
]);

export type IncidentChange = z.infer<typeof incidentChangeSchema>;

export const singleUpdateSchema = z.object({
  tenantId: z.string().refine(isTenantId, "Unknown tenant"),
  incidentId: z.string().refine(isIncidentId, "Unknown incident"),
  /** The lastUpdateTime the person saw; a newer one in Defender asks them to confirm again. */
  expectedLastUpdateTime: z.iso.datetime().optional(),
  change: incidentChangeSchema,
});

export const bulkUpdateSchema = z.object({
  incidents: z
    .array(z.string().refine((key) => isTenantId(key.slice(0, 36)) && key[36] === ":" && isIncidentId(key.slice(37)), "Unknown incident"))
    .min(1, "Select at least one incident")
    .max(100, "Select at most 100 incidents at once")
    .transform((keys) => [...new Set(keys)].map((key) => ({ tenantId: key.slice(0, 36), incidentId: key.slice(37) }))),
  change: incidentChangeSchema,
});

export type SingleUpdateInput = z.infer<typeof singleUpdateSchema>;
export type BulkUpdateInput = z.infer<typeof bulkUpdateSchema>;
