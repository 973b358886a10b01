import { describe, expect, it } from "vitest";
import { parseGraphIncident } from "@/server/microsoft/graph-incident";
import { alertItems, entityGroups, safeDefenderLink } from "@/server/incidents/incident-detail-evidence";
import type { SourceIncident } from "@/server/microsoft/source-incident";

const NS = "#microsoft.graph.security.";

function incidentWith(evidence: Record<string, unknown>[][]): SourceIncident {
  const parsed = parseGraphIncident({
    id: "4711",
    displayName: "Evidence test",
    createdDateTime: "2026-11-30T10:00:00Z",
    lastUpdateDateTime: "2026-11-30T11:00:00Z",
    alerts: evidence.map((items, i) => ({ id: `da${i}`, title: `Alert ${i}`, alertWebUrl: "https://security.microsoft.com/alerts/da0", evidence: items })),
  });
  if (!parsed.ok) throw new Error(parsed.malformed.problem);
  return parsed.incident;
}

describe("the incident page's entity groups", () => {
  it("keeps an evidence type the portal does not know in a group of its own, after the known ones, with every field shown", () => {
    const incident = incidentWith([
      [
        { "@odata.type": `${NS}kubernetesPodEvidence`, name: "web-7f9c", namespace: { name: "prod" }, verdict: "suspicious", roles: ["contextual"] },
        { "@odata.type": `${NS}ipEvidence`, ipAddress: "203.0.113.7", countryLetterCode: "NL", verdict: "malicious" },
        { "@odata.type": `${NS}userEvidence`, userAccount: { userPrincipalName: "zoe@contoso.example", accountName: "zoe" } },
      ],
      // The same IP on a second alert is shown once; an evidence without @odata.type is kept too.
      [{ "@odata.type": `${NS}ipEvidence`, ipAddress: "203.0.113.7", countryLetterCode: "NL", verdict: "malicious" }, { someField: "odd" }],
    ]);
    const groups = entityGroups(incident);
    expect(groups.map((g) => [g.entityType, g.known, g.items.length])).toEqual([
      ["IP address", true, 1],
      ["User", true, 1],
      ["kubernetesPod", false, 1],
      ["unknown", false, 1],
    ]);
    const pod = groups.find((g) => g.entityType === "kubernetesPod")!.items[0]!;
    expect(pod.fields).toEqual([
      { label: "name", value: "web-7f9c" },
      { label: "namespace", value: '{"name":"prod"}' },
    ]);
    expect([pod.verdict, pod.roles]).toEqual(["Suspicious", ["contextual"]]);
    expect(groups.find((g) => g.entityType === "unknown")!.items[0]!.fields).toEqual([{ label: "someField", value: "odd" }]);
  });
});

describe("links from Microsoft's data", () => {
  it("keeps https links into Microsoft's security portals and drops anything else", () => {
    expect(safeDefenderLink("https://security.microsoft.com/incident2/4711/overview?tid=t")).toBe(
      "https://security.microsoft.com/incident2/4711/overview?tid=t",
    );
    expect(safeDefenderLink("https://security.microsoft.us/incidents/1")).toBe("https://security.microsoft.us/incidents/1");
    for (const bad of [
      "javascript:alert(1)",
      "http://security.microsoft.com/incidents/1",
      "https://security.microsoft.com.evil.example/incidents/1",
      "https://evilmicrosoft.com/x",
      "data:text/html,<script>alert(1)</script>",
      "not a url",
      "",
      null,
    ]) {
      expect(safeDefenderLink(bad), String(bad)).toBeNull();
    }
  });

  it("shows an alert's link only when it is safe", () => {
    const incident = incidentWith([[]]);
    expect(alertItems(incident)[0]!.webUrl).toBe("https://security.microsoft.com/alerts/da0");
    incident.alerts[0]!.webUrl = "javascript:alert(document.cookie)";
    expect(alertItems(incident)[0]!.webUrl).toBeNull();
  });
});
