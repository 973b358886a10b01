import { describe, expect, it } from "vitest";
import { parseDefenderIncident } from "@/server/microsoft/defender-incident";
import type { SourceIncident } from "@/server/microsoft/source-incident";
import { incidentEntityValues, severityRank, toIncidentRecord } from "@/server/incidents/incident-record";

function parsed(record: Record<string, unknown>): SourceIncident {
  const result = parseDefenderIncident(record);
  if (!result.ok) throw new Error(result.malformed.problem);
  return result.incident;
}

const base = {
  incidentId: 924,
  incidentUri: "https://security.microsoft.com/incidents/924?tid=t",
  redirectIncidentId: null,
  incidentName: "Multi-stage incident involving Zoë's LAPTOP",
  createdTime: "2026-03-01T10:00:00.1234567Z",
  lastUpdateTime: "2026-03-02T11:00:00.9876543Z",
  assignedTo: null,
  classification: "Unknown",
  determination: "NotAvailable",
  detectionSource: "EDR",
  status: "Active",
  severity: "High",
  tags: ["VIP", "VIP"],
  comments: [{ comment: "looked", createdBy: "a", createdTime: "2026-03-01T12:00:00Z" }],
  alerts: [
    {
      alertId: "da1",
      detectionSource: "MCAS",
      firstActivity: "2026-03-01T09:00:00Z",
      lastActivity: "2026-03-01T09:30:00Z",
      devices: [{ mdatpDeviceId: "d1", deviceDnsName: "CO-WS-0001.contosomfg.local" }],
      entities: [
        { entityType: "User", accountName: "Megan", userPrincipalName: "Megan.Bowen@contosomfg.onmicrosoft.com", domainName: "CONTOSOMFG" },
        { entityType: "Ip", ipAddress: "20.1.2.3" },
        { entityType: "File", fileName: "Invoice.PDF.exe", sha1: "AB" + "c".repeat(38), sha256: "D".repeat(64), filePath: "C:\\Temp" },
      ],
    },
    {
      alertId: "da2",
      detectionSource: "EDR",
      firstActivity: "2026-02-28T23:00:00Z",
      lastActivity: "2026-03-02T08:00:00Z",
      devices: [{ mdatpDeviceId: "d1", deviceDnsName: "co-ws-0001.contosomfg.local" }],
      entities: [
        { entityType: "MailBox", mailboxAddress: "Megan.Bowen@contosomfg.com", userPrincipalName: "megan.bowen@contosomfg.onmicrosoft.com" },
        { entityType: "Url", url: "https://東京支社.example.jp/ログイン" },
        { entityType: "CloudLogonSession", sessionId: "s", accountName: "Megan", extraProperties: { nested: 1 } },
        { entityType: "Ip", ipAddress: "" },
      ],
    },
  ],
};

describe("mapping a Defender incident to the store", () => {
  it("derives the queue columns: severity rank, counts, activity window, search text", () => {
    const syncedAt = new Date("2026-03-03T00:00:00Z");
    const { incident } = toIncidentRecord({ tenantId: "t", incident: parsed(base), syncedAt });
    expect(incident).toMatchObject({
      tenantId: "t",
      incidentId: 924n,
      severity: "High",
      severityRank: 4,
      alertCount: 2,
      commentCount: 1,
      detectionSources: ["EDR", "MCAS"],
      tags: ["VIP"],
      createdTime: new Date("2026-03-01T10:00:00.123Z"),
      lastUpdateTime: new Date("2026-03-02T11:00:00.987Z"),
      firstActivity: new Date("2026-02-28T23:00:00Z"),
      lastActivity: new Date("2026-03-02T08:00:00Z"),
      searchText: "multi-stage incident involving zoë's laptop 924",
      syncedAt,
    });
    expect(incident.raw).toBe(base);
  });

  it("keeps each alert category and MITRE technique once, for the overview's top lists, and the first comment", () => {
    const alerts = [
      { ...base.alerts[0], category: "InitialAccess", mitreTechniques: ["T1566", "T1078"] },
      { ...base.alerts[1], category: "InitialAccess", mitreTechniques: ["T1566", ""] },
      { ...base.alerts[1], alertId: "da3", category: null, mitreTechniques: [] },
    ];
    const record = toIncidentRecord({ tenantId: "t", incident: parsed({ ...base, alerts }), syncedAt: new Date() });
    expect(record.incident).toMatchObject({ alertCategories: ["InitialAccess"], mitreTechniques: ["T1078", "T1566"] });
    expect(record.firstComment).toEqual({ at: new Date("2026-03-01T12:00:00Z"), by: "a" });
  });

  it("collects searchable entity values in lower case, once each, from known and unknown types", () => {
    const values = incidentEntityValues(parsed(base)).map((e) => `${e.entityType}:${e.value}`);
    expect(values.sort()).toEqual(
      [
        "user:megan.bowen@contosomfg.onmicrosoft.com",
        "user:megan",
        "ip:20.1.2.3",
        "file:invoice.pdf.exe",
        "file:ab" + "c".repeat(38),
        "file:" + "d".repeat(64),
        "device:co-ws-0001.contosomfg.local",
        "mailbox:megan.bowen@contosomfg.com",
        "mailbox:megan.bowen@contosomfg.onmicrosoft.com",
        "url:https://東京支社.example.jp/ログイン",
        "CloudLogonSession:megan",
      ].sort(),
    );
  });

  it("keeps unknown enum values and tolerates missing optional fields", () => {
    const odd = parsed({
      incidentId: 1,
      createdTime: "2026-01-01T00:00:00Z",
      lastUpdateTime: "2026-01-01T00:00:00Z",
      severity: "Critical",
      status: "Archived",
      alerts: "none",
      tags: null,
    });
    const { incident, entities } = toIncidentRecord({ tenantId: "t", incident: odd, syncedAt: new Date() });
    expect([incident.severity, incident.severityRank, incident.status, incident.alertCount, incident.tags, incident.incidentName]).toEqual([
      "Critical",
      0,
      "Archived",
      0,
      [],
      "Incident 1",
    ]);
    expect(entities).toEqual([]);
    expect([severityRank("UnSpecified"), severityRank("informational"), severityRank("Low"), severityRank("Medium"), severityRank(null)]).toEqual([
      0, 1, 2, 3, 0,
    ]);
  });

  it("reports a record without a usable id or timestamps as malformed, with a sample", () => {
    for (const [record, problem] of [
      [{ ...base, incidentId: "abc" }, /incidentId/],
      [{ ...base, incidentId: 1.5 }, /incidentId/],
      [{ ...base, createdTime: "not-a-date" }, /createdTime: not a date/],
      [{ ...base, lastUpdateTime: undefined }, /lastUpdateTime/],
      [["not", "an", "object"], /not a JSON object/],
    ] as const) {
      const result = parseDefenderIncident(record);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.malformed.problem).toMatch(problem);
        expect(result.malformed.sample.length).toBeGreaterThan(0);
      }
    }
  });
});
