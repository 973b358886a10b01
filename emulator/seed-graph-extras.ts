// Deterministic Graph-only incident fields (systemTags, description, summary, resolvingComment,
// lastModifiedBy) for seeded and added incidents. Each incident draws from its own sub-stream, so the
// Defender-visible seed data stays exactly what it was before these fields existed.
import type { GraphIncidentExtras, Incident } from "./model";
import { createSeededRandom, deriveSeed } from "./seeded-random";

const DESCRIPTIONS = [
  "Microsoft observed Raspberry Robin worm activity spreading through infected USB drives on multiple devices in your environment. These infections could be a precursor to ransomware deployment.",
  "<p>Defender Experts observed <b>hands-on-keyboard</b> activity from a compromised account.</p>",
  "A payload referenced <script>alert('xss')</script> in its command line — do not open the attachment.",
  "Suspicious sign-ins from the 東京支社 network for Zoë Ångström 🚨; the user was not travelling.",
  "Credential theft tooling (Mimikatz) was found on a server in the Finance device group.",
];

const SUMMARIES = [
  "An attacker gained initial access through a phishing email, ran PowerShell and moved laterally with WMI.",
  "One account signed in from two distant countries within an hour; its tokens were then replayed.",
  "Ransomware behaviour was blocked on two endpoints <img src=x onerror=alert(1)>; no files were encrypted.",
  "Low-reputation code ran through a signed Microsoft binary on one endpoint.",
];

const RESOLVING_COMMENTS = [
  "Closed after the customer confirmed the activity.",
  "Remediated: device isolated and reimaged.",
  "False positive — see ticket #4711 <b>PSA</b>.",
  "Expected activity: pen test by the red team 🛡",
];

/** The extras of one incident, fixed by (seed, tenant, incident id) and the incident's own fields. */
export function seedGraphExtras(seed: number, tenantId: string, incident: Incident, analysts: readonly string[]): GraphIncidentExtras {
  const r = createSeededRandom(deriveSeed(seed, `graph:${tenantId}:${incident.incidentId}`));
  const expert = r.chance(0.12);
  const description = expert || r.chance(0.25) ? r.pick(DESCRIPTIONS) : null;
  const summary = r.chance(0.25) ? r.pick(SUMMARIES) : null;
  const resolvingComment = incident.status === "Resolved" && r.chance(0.5) ? r.pick(RESOLVING_COMMENTS) : null;
  const lastHumanComment = [...incident.comments].reverse().find((c) => c.createdBy !== "Automation");
  const someone = analysts.length > 0 ? r.pick(analysts) : null;
  return {
    systemTags: expert ? ["Defender Experts"] : [],
    description,
    summary,
    resolvingComment,
    lastModifiedBy: lastHumanComment?.createdBy ?? incident.assignedTo ?? (incident.status === "Active" ? null : someone),
  };
}

/** Defaults for a record without extras (persisted before they existed, or given without them). */
export function emptyGraphExtras(): GraphIncidentExtras {
  return { systemTags: [], description: null, summary: null, resolvingComment: null, lastModifiedBy: null };
}
