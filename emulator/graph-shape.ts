// Microsoft Graph's view of the emulator's incident state: security.incident, security.alert
// (alerts_v2) and its evidence. Pure functions over the same records the Defender view shows, so the
// two APIs always agree on ids, times, people, hashes, IPs, URLs, devices and senders.
import type { Alert, AlertDevice, AlertEntity, Incident, IncidentComment } from "./model";
import { emptyGraphExtras } from "./seed-graph-extras";
import { createSeededRandom, deriveSeed } from "./seeded-random";

export const UNKNOWN_FUTURE_VALUE = "unknownFutureValue";

const lcFirst = (value: string) => value.charAt(0).toLowerCase() + value.slice(1);

/**
 * An enum value as Graph sends it. Members outside `members` are "evolvable" (added after
 * unknownFutureValue): Graph shows them only to callers that send `Prefer: include-unknown-enum-members`.
 */
function evolvable(value: string, members: ReadonlySet<string>, includeUnknownEnumMembers: boolean): string {
  return members.has(value) || includeUnknownEnumMembers ? value : UNKNOWN_FUTURE_VALUE;
}

// ---- incident enums -------------------------------------------------------------------------------

/** incidentStatus members every caller sees; `awaitingAction` (and anything newer) needs the Prefer header. */
const INCIDENT_STATUS_MEMBERS = new Set(["active", "resolved", "inProgress", "redirected", UNKNOWN_FUTURE_VALUE]);
/** Every incidentStatus value the emulator knows (input and $filter accept these). */
export const GRAPH_INCIDENT_STATUSES = ["active", "resolved", "inProgress", "redirected", "awaitingAction"] as const;

const SEVERITY_MEMBERS = new Set(["unknown", "informational", "low", "medium", "high", UNKNOWN_FUTURE_VALUE]);
export const GRAPH_SEVERITIES = ["unknown", "informational", "low", "medium", "high"] as const;

export const GRAPH_CLASSIFICATIONS = ["unknown", "falsePositive", "truePositive", "informationalExpectedActivity"] as const;
const CLASSIFICATION_MEMBERS = new Set<string>([...GRAPH_CLASSIFICATIONS, UNKNOWN_FUTURE_VALUE]);

/** alertDetermination members as Graph sends them (v1.0 resource page). */
export const GRAPH_DETERMINATIONS = [
  "unknown",
  "apt",
  "malware",
  "securityPersonnel",
  "securityTesting",
  "unwantedSoftware",
  "other",
  "multiStagedAttack",
  "compromisedAccount",
  "phishing",
  "maliciousUserActivity",
  "notMalicious",
  "notEnoughDataToValidate",
  "confirmedActivity",
  "lineOfBusinessApplication",
] as const;
const DETERMINATION_MEMBERS = new Set<string>([...GRAPH_DETERMINATIONS, UNKNOWN_FUTURE_VALUE]);
/** Older names Microsoft's pages also list for the same members (accepted on input and in $filter). */
export const GRAPH_DETERMINATION_ALIASES: Record<string, string> = {
  compromisedUser: "compromisedAccount",
  clean: "notMalicious",
  insufficientData: "notEnoughDataToValidate",
  confirmedUserActivity: "confirmedActivity",
};

const STATUS_TO_GRAPH: Record<string, string> = {
  Active: "active",
  InProgress: "inProgress",
  Resolved: "resolved",
  Redirected: "redirected",
  AwaitingAction: "awaitingAction",
};
const SEVERITY_TO_GRAPH: Record<string, string> = { UnSpecified: "unknown", Informational: "informational", Low: "low", Medium: "medium", High: "high" };
const CLASSIFICATION_TO_GRAPH: Record<string, string> = {
  Unknown: "unknown",
  TruePositive: "truePositive",
  FalsePositive: "falsePositive",
  InformationalExpectedActivity: "informationalExpectedActivity",
  BenignPositive: "informationalExpectedActivity",
};
const DETERMINATION_TO_GRAPH: Record<string, string> = {
  NotAvailable: "unknown",
  Apt: "apt",
  Malware: "malware",
  SecurityPersonnel: "securityPersonnel",
  SecurityTesting: "securityTesting",
  UnwantedSoftware: "unwantedSoftware",
  Other: "other",
  MultiStagedAttack: "multiStagedAttack",
  CompromisedAccount: "compromisedAccount",
  CompromisedUser: "compromisedAccount",
  Phishing: "phishing",
  MaliciousUserActivity: "maliciousUserActivity",
  Clean: "notMalicious",
  NoEnoughDataToValidate: "notEnoughDataToValidate",
  InsufficientData: "notEnoughDataToValidate",
  ConfirmedActivity: "confirmedActivity",
  ConfirmedUserActivity: "confirmedActivity",
  LineOfBusinessApplication: "lineOfBusinessApplication",
};

/** A Defender value in Graph's spelling, before the evolvable-enum rule (unknown values: camelCase). */
const toGraph = (table: Record<string, string>, value: unknown, fallback: string): string =>
  typeof value === "string" && value !== "" ? (table[value] ?? lcFirst(value)) : fallback;

/** The real (unfiltered) Graph values of a stored incident, for $filter and validation. */
export function graphIncidentEnums(incident: Incident) {
  return {
    status: toGraph(STATUS_TO_GRAPH, incident.status, "unknown"),
    severity: toGraph(SEVERITY_TO_GRAPH, incident.severity, "unknown"),
    classification: toGraph(CLASSIFICATION_TO_GRAPH, incident.classification, "unknown"),
    determination: toGraph(DETERMINATION_TO_GRAPH, incident.determination, "unknown"),
  };
}

// Graph → Defender, for updates through Graph (the stored record keeps Defender's spelling).
export const GRAPH_STATUS_TO_DEFENDER: Record<string, string> = Object.fromEntries(Object.entries(STATUS_TO_GRAPH).map(([d, g]) => [g, d]));
export const GRAPH_CLASSIFICATION_TO_DEFENDER: Record<string, string> = {
  unknown: "Unknown",
  truePositive: "TruePositive",
  falsePositive: "FalsePositive",
  informationalExpectedActivity: "InformationalExpectedActivity",
};
export const GRAPH_DETERMINATION_TO_DEFENDER: Record<string, string> = {
  unknown: "NotAvailable",
  apt: "Apt",
  malware: "Malware",
  securityPersonnel: "SecurityPersonnel",
  securityTesting: "SecurityTesting",
  unwantedSoftware: "UnwantedSoftware",
  other: "Other",
  multiStagedAttack: "MultiStagedAttack",
  compromisedAccount: "CompromisedAccount",
  phishing: "Phishing",
  maliciousUserActivity: "MaliciousUserActivity",
  notMalicious: "Clean",
  notEnoughDataToValidate: "NoEnoughDataToValidate",
  confirmedActivity: "ConfirmedActivity",
  lineOfBusinessApplication: "LineOfBusinessApplication",
};

// ---- alert enums --------------------------------------------------------------------------------

const ALERT_STATUS_MEMBERS = new Set(["unknown", "new", "inProgress", "resolved", UNKNOWN_FUTURE_VALUE]);
const SERVICE_SOURCE_TO_GRAPH: Record<string, string> = {
  MicrosoftDefenderForEndpoint: "microsoftDefenderForEndpoint",
  MicrosoftDefenderForIdentity: "microsoftDefenderForIdentity",
  MicrosoftCloudAppSecurity: "microsoftDefenderForCloudApps",
  MicrosoftDefenderForCloudApps: "microsoftDefenderForCloudApps",
  MicrosoftDefenderForOffice365: "microsoftDefenderForOffice365",
  Microsoft365Defender: "microsoft365Defender",
  AzureAdIdentityProtection: "azureAdIdentityProtection",
  MicrosoftAppGovernance: "microsoftAppGovernance",
  DataLossPrevention: "dataLossPrevention",
  // Newer sources (microsoftSentinel, microsoftDefenderForCloud, …) are evolvable members.
};
const SERVICE_SOURCE_MEMBERS = new Set<string>(["unknown", ...Object.values(SERVICE_SOURCE_TO_GRAPH), UNKNOWN_FUTURE_VALUE]);
const DETECTION_SOURCE_TO_GRAPH: Record<string, string> = {
  EDR: "microsoftDefenderForEndpoint",
  WindowsDefenderAtp: "microsoftDefenderForEndpoint",
  WindowsDefenderAv: "antivirus",
  WindowsDefenderSmartScreen: "smartScreen",
  CustomTI: "customTi",
  OfficeATP: "microsoftDefenderForOffice365",
  AutomatedInvestigation: "automatedInvestigation",
  MTP: "microsoft365Defender",
  AzureATP: "microsoftDefenderForIdentity",
  MCAS: "cloudAppSecurity",
  AzureAdIdentityProtection: "azureAdIdentityProtection",
  CustomDetection: "customDetection",
  Manual: "manual",
};
const DETECTION_SOURCE_MEMBERS = new Set<string>([
  "unknown",
  "microsoftDefenderForEndpoint",
  "antivirus",
  "smartScreen",
  "customTi",
  "microsoftDefenderForOffice365",
  "automatedInvestigation",
  "microsoftThreatExperts",
  "customDetection",
  "microsoftDefenderForIdentity",
  "cloudAppSecurity",
  "microsoft365Defender",
  "azureAdIdentityProtection",
  "manual",
  "microsoftDataLossPrevention",
  "appGovernancePolicy",
  "appGovernanceDetection",
  UNKNOWN_FUTURE_VALUE,
]);

// ---- views ----------------------------------------------------------------------------------------

export type GraphViewOptions = {
  /** The caller sent `Prefer: include-unknown-enum-members`. */
  includeUnknownEnumMembers: boolean;
  /** `$expand=alerts`. */
  expandAlerts: boolean;
};

/**
 * The form Microsoft's portal links to today (`/incident2/{id}/overview`), unlike the Defender
 * API's `incidentUri` and the portal's own fallback (`/incidents/{id}`): a page that shows this
 * link took it from Graph's answer.
 */
export const incidentWebUrl = (incidentId: number | string, tenantId: string) =>
  `https://security.microsoft.com/incident2/${incidentId}/overview?tid=${tenantId}`;
const alertWebUrl = (alertId: string, tenantId: string) => `https://security.microsoft.com/alerts/${encodeURIComponent(alertId)}?tid=${tenantId}`;

export function graphComment(comment: IncidentComment) {
  return { comment: comment.comment, createdByDisplayName: comment.createdBy, createdDateTime: comment.createdTime };
}

export function graphIncident(incident: Incident, tenantId: string, opts: GraphViewOptions): Record<string, unknown> {
  const extras = incident.graph ?? emptyGraphExtras();
  const enums = graphIncidentEnums(incident);
  const prefer = opts.includeUnknownEnumMembers;
  return {
    "@odata.type": "#microsoft.graph.security.incident",
    id: String(incident.incidentId),
    tenantId,
    displayName: incident.incidentName,
    incidentWebUrl: incidentWebUrl(incident.incidentId, tenantId),
    redirectIncidentId: incident.redirectIncidentId === null || incident.redirectIncidentId === undefined ? null : String(incident.redirectIncidentId),
    createdDateTime: incident.createdTime,
    lastUpdateDateTime: incident.lastUpdateTime,
    assignedTo: incident.assignedTo,
    classification: evolvable(enums.classification, CLASSIFICATION_MEMBERS, prefer),
    determination: evolvable(enums.determination, DETERMINATION_MEMBERS, prefer),
    status: evolvable(enums.status, INCIDENT_STATUS_MEMBERS, prefer),
    severity: evolvable(enums.severity, SEVERITY_MEMBERS, prefer),
    customTags: incident.tags,
    systemTags: extras.systemTags,
    description: extras.description,
    summary: extras.summary,
    resolvingComment: extras.resolvingComment,
    lastModifiedBy: extras.lastModifiedBy,
    comments: Array.isArray(incident.comments) ? incident.comments.map(graphComment) : [],
    ...(opts.expandAlerts ? { alerts: (Array.isArray(incident.alerts) ? incident.alerts : []).map((a) => graphAlert(a, tenantId, opts)) } : {}),
  };
}

/** A deterministic stream for derived Graph-only values (the same input always gives the same output). */
const derived = (key: string) => createSeededRandom(deriveSeed(0x67a9, key));

export function graphAlert(alert: Alert, tenantId: string, opts: GraphViewOptions): Record<string, unknown> {
  const prefer = opts.includeUnknownEnumMembers;
  return {
    "@odata.type": "#microsoft.graph.security.alert",
    id: alert.alertId,
    providerAlertId: alert.alertId,
    incidentId: String(alert.incidentId),
    status: evolvable(toGraph({ New: "new", InProgress: "inProgress", Resolved: "resolved" }, alert.status, "unknown"), ALERT_STATUS_MEMBERS, prefer),
    severity: evolvable(toGraph(SEVERITY_TO_GRAPH, alert.severity, "unknown"), SEVERITY_MEMBERS, prefer),
    classification: evolvable(toGraph(CLASSIFICATION_TO_GRAPH, alert.classification, "unknown"), CLASSIFICATION_MEMBERS, prefer),
    determination: evolvable(toGraph(DETERMINATION_TO_GRAPH, alert.determination, "unknown"), DETERMINATION_MEMBERS, prefer),
    serviceSource: evolvable(toGraph(SERVICE_SOURCE_TO_GRAPH, alert.serviceSource, "unknown"), SERVICE_SOURCE_MEMBERS, prefer),
    detectionSource: evolvable(toGraph(DETECTION_SOURCE_TO_GRAPH, alert.detectionSource, "unknown"), DETECTION_SOURCE_MEMBERS, prefer),
    detectorId: derived(`detector:${alert.title}`).guid(),
    tenantId,
    title: alert.title,
    description: alert.description,
    recommendedActions: null,
    category: alert.category,
    assignedTo: alert.assignedTo,
    alertWebUrl: alertWebUrl(alert.alertId, tenantId),
    incidentWebUrl: incidentWebUrl(alert.incidentId, tenantId),
    actorDisplayName: alert.actorName,
    threatDisplayName: alert.threatFamilyName,
    threatFamilyName: alert.threatFamilyName,
    mitreTechniques: alert.mitreTechniques,
    createdDateTime: alert.creationTime,
    lastUpdateDateTime: alert.lastUpdatedTime,
    resolvedDateTime: alert.resolvedTime,
    firstActivityDateTime: alert.firstActivity,
    lastActivityDateTime: alert.lastActivity,
    comments: [],
    systemTags: [],
    evidence: graphEvidence(alert),
  };
}

// ---- evidence -------------------------------------------------------------------------------------

const EVIDENCE = "#microsoft.graph.security.";
const VERDICTS: Record<string, string> = { Suspicious: "suspicious", Malicious: "malicious", NoThreatsFound: "noThreatsFound", Unknown: "unknown" };
const REMEDIATION: Record<string, string> = { None: "none", Remediated: "remediated", Prevented: "prevented", Blocked: "blocked", NotFound: "notFound" };
const COUNTRY_BY_FIRST_OCTET: Record<string, string> = { "20": "US", "40": "US", "51": "GB", "89": "DE", "102": "ZA", "185": "NL", "203": "JP" };
const MICROSOFT_BINARIES = new Set(["wscript.exe", "powershell.exe", "rundll32.exe", "cmd.exe"]);

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" ? value : null);

function splitUpn(upn: string | null): { accountName: string | null; domainName: string | null } {
  if (!upn || !upn.includes("@")) return { accountName: upn, domainName: null };
  const [accountName = "", domainName = ""] = upn.split("@");
  return { accountName, domainName };
}

function common(entity: AlertEntity, alert: Alert, roles: string[], detailedRoles: string[] = []) {
  return {
    createdDateTime: str(entity.evidenceCreationTime) ?? alert.creationTime,
    verdict: toGraph(VERDICTS, entity.verdict, "unknown"),
    remediationStatus: toGraph(REMEDIATION, entity.remediationStatus, "none"),
    remediationStatusDetails: null,
    roles,
    detailedRoles,
    tags: [] as string[],
  };
}

function fileDetails(entity: AlertEntity) {
  const fileName = str(entity.fileName);
  return {
    sha1: str(entity.sha1),
    sha256: str(entity.sha256),
    fileName,
    filePath: str(entity.filePath),
    fileSize: num(entity.fileSize),
    filePublisher: fileName && MICROSOFT_BINARIES.has(fileName.toLowerCase()) ? "Microsoft Corporation" : null,
    signer: null,
    issuer: null,
  };
}

function deviceEvidence(device: AlertDevice, alert: Alert, index: number) {
  const r = derived(`device:${device.mdatpDeviceId}`);
  const loggedOn = Array.isArray(device.loggedOnUsers) ? (device.loggedOnUsers as Record<string, unknown>[]) : [];
  return {
    "@odata.type": `${EVIDENCE}deviceEvidence`,
    createdDateTime: alert.creationTime,
    verdict: "unknown",
    remediationStatus: "none",
    remediationStatusDetails: null,
    roles: index === 0 ? ["compromised"] : [],
    detailedRoles: index === 0 ? ["Main device"] : [],
    tags: Array.isArray(device.tags) ? device.tags : [],
    firstSeenDateTime: str(device.firstSeen),
    mdeDeviceId: device.mdatpDeviceId,
    azureAdDeviceId: str(device.aadDeviceId),
    deviceDnsName: str(device.deviceDnsName),
    osPlatform: str(device.osPlatform),
    osBuild: num(device.osBuild),
    version: str(device.version),
    healthStatus: toGraph({}, device.healthStatus, "unknown"),
    riskScore: typeof device.riskScore === "string" ? device.riskScore.toLowerCase() : "none",
    rbacGroupId: num(device.rbacGroupId),
    rbacGroupName: str(device.rbacGroupName),
    onboardingStatus: toGraph({}, device.onboardingStatus, "unknown"),
    defenderAvStatus: toGraph({}, device.defenderAvStatus, "unknown"),
    vmMetadata: null,
    ipInterfaces: [`10.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(2, 254)}`, `fe80::${r.hex(4)}:${r.hex(4)}`],
    loggedOnUsers: loggedOn.map((u) => ({ accountName: str(u.accountName), domainName: str(u.domainName) })),
  };
}

function entityEvidence(entity: AlertEntity, alert: Alert): Record<string, unknown>[] {
  const malicious = entity.verdict === "Malicious";
  const flagged = malicious || entity.verdict === "Suspicious";
  const deviceId = str(entity.deviceId);
  switch (entity.entityType) {
    case "User":
      return [
        {
          "@odata.type": `${EVIDENCE}userEvidence`,
          ...common(entity, alert, flagged ? ["compromised"] : ["contextual"]),
          userAccount: {
            accountName: str(entity.accountName),
            domainName: str(entity.domainName),
            userSid: str(entity.userSid),
            azureAdUserId: str(entity.aadUserId),
            userPrincipalName: str(entity.userPrincipalName),
            displayName: str(entity.displayName),
          },
        },
      ];
    case "Ip": {
      const ipAddress = str(entity.ipAddress);
      return [
        {
          "@odata.type": `${EVIDENCE}ipEvidence`,
          ...common(entity, alert, malicious ? ["attacker"] : ["source"]),
          ipAddress,
          countryLetterCode: ipAddress && !ipAddress.includes(":") ? (COUNTRY_BY_FIRST_OCTET[ipAddress.split(".")[0] ?? ""] ?? null) : null,
        },
      ];
    }
    case "Url":
      return [{ "@odata.type": `${EVIDENCE}urlEvidence`, ...common(entity, alert, malicious ? ["commandAndControl"] : []), url: str(entity.url) }];
    case "File":
      return [
        {
          "@odata.type": `${EVIDENCE}fileEvidence`,
          ...common(entity, alert, [], alert.entities.some((e) => e.entityType === "Process") ? ["Referred in command line"] : []),
          fileDetails: fileDetails(entity),
          detectionStatus: typeof entity.detectionStatus === "string" ? lcFirst(entity.detectionStatus) : null,
          mdeDeviceId: deviceId,
        },
      ];
    case "Process":
      return [
        {
          "@odata.type": `${EVIDENCE}processEvidence`,
          ...common(entity, alert, []),
          processId: num(entity.processId),
          parentProcessId: num(entity.parentProcessId),
          processCommandLine: str(entity.processCommandLine),
          processCreationDateTime: str(entity.processCreationTime),
          parentProcessCreationDateTime: str(entity.parentProcessCreationTime),
          detectionStatus: null,
          mdeDeviceId: deviceId,
          imageFile: { ...fileDetails(entity), fileSize: null },
          parentProcessImageFile: null,
          userAccount: {
            accountName: str(entity.accountName),
            domainName: str(entity.domainName),
            userSid: str(entity.userSid),
            azureAdUserId: null,
            userPrincipalName: null,
            displayName: null,
          },
        },
      ];
    case "MailBox": {
      const upn = str(entity.userPrincipalName);
      return [
        {
          "@odata.type": `${EVIDENCE}mailboxEvidence`,
          ...common(entity, alert, flagged ? ["compromised"] : ["contextual"]),
          displayName: str(entity.mailboxDisplayName),
          primaryAddress: str(entity.mailboxAddress),
          upn,
          userAccount: {
            ...splitUpn(upn),
            userSid: null,
            azureAdUserId: str(entity.aadUserId),
            userPrincipalName: upn,
            displayName: str(entity.mailboxDisplayName),
          },
        },
      ];
    }
    case "MailMessage": {
      const sender = str(entity.sender) ?? "";
      const { accountName: senderName, domainName: senderDomain } = splitUpn(sender);
      const networkMessageId = str(entity.networkMessageId) ?? "";
      const deliveryAction = typeof entity.deliveryAction === "string" ? lcFirst(entity.deliveryAction) : null;
      const urls = alert.entities
        .filter((e) => e.entityType === "Url")
        .map((e) => str(e.url))
        .filter((u): u is string => u !== null);
      const emailSender = { emailAddress: sender, displayName: senderName, domainName: senderDomain };
      return [
        {
          "@odata.type": `${EVIDENCE}analyzedMessageEvidence`,
          ...common(entity, alert, []),
          networkMessageId,
          internetMessageId: `<${derived(`imid:${networkMessageId}`).hex(24).toUpperCase()}@${senderDomain ?? "mail.example"}>`,
          subject: str(entity.subject),
          language: "en",
          senderIp: str(entity.senderIp),
          recipientEmailAddress: str(entity.recipient),
          antiSpamDirection: "inbound",
          deliveryAction,
          deliveryLocation: { delivered: "inbox", deliveredAsSpam: "junkFolder", blocked: "quarantine", replaced: "inbox" }[deliveryAction ?? ""] ?? null,
          urn: null,
          threats: malicious ? ["Phish"] : [],
          threatDetectionMethods: malicious ? ["urlDetonationReputation"] : [],
          urls,
          urlCount: urls.length,
          attachmentsCount: alert.entities.filter((e) => e.entityType === "File").length,
          receivedDateTime: str(entity.receivedDate),
          p1Sender: emailSender,
          p2Sender: { ...emailSender },
        },
      ];
    }
    case "MailCluster":
      return [
        {
          "@odata.type": `${EVIDENCE}mailClusterEvidence`,
          ...common(entity, alert, []),
          clusterBy: str(entity.clusterBy),
          clusterByValue: str(entity.clusterByValue),
          emailCount: num(entity.mailCount),
          networkMessageIds: alert.entities
            .filter((e) => e.entityType === "MailMessage")
            .map((e) => str(e.networkMessageId))
            .filter((id): id is string => id !== null),
          query: str(entity.query),
          urn: null,
        },
      ];
    case "Registry": {
      // Graph reports a changed value as two items: the key, and the value under it.
      const key = { registryKey: str(entity.registryKey), registryHive: str(entity.registryHive) };
      return [
        { "@odata.type": `${EVIDENCE}registryKeyEvidence`, ...common(entity, alert, ["edited"]), ...key },
        {
          "@odata.type": `${EVIDENCE}registryValueEvidence`,
          ...common(entity, alert, ["edited"]),
          mdeDeviceId: deviceId,
          ...key,
          registryValue: str(entity.registryValue),
          registryValueName: str(entity.registryValueName),
          registryValueType: str(entity.registryValueType),
        },
      ];
    }
    case "SecurityGroup":
      return [
        {
          "@odata.type": `${EVIDENCE}securityGroupEvidence`,
          ...common(entity, alert, ["contextual"]),
          displayName: str(entity.securityGroupName),
          securityGroupId: str(entity.securityGroupId),
        },
      ];
    case "CloudApplication":
      return [
        {
          "@odata.type": `${EVIDENCE}cloudApplicationEvidence`,
          ...common(entity, alert, ["contextual"]),
          appId: num(entity.applicationId),
          displayName: str(entity.applicationName),
          instanceId: 0,
          instanceName: str(entity.instanceName),
          saasAppId: num(entity.saasAppId),
        },
      ];
    default: {
      // A type v1.0 clients do not know (e.g. cloudLogonSessionEvidence): its own fields, passed through.
      const { entityType, evidenceCreationTime: _t, verdict: _v, remediationStatus: _r, deviceId: _d, ...fields } = entity;
      return [{ "@odata.type": `${EVIDENCE}${lcFirst(String(entityType))}Evidence`, ...common(entity, alert, []), ...fields }];
    }
  }
}

/** Evidence of a workload that only newer sensors report; v1.0 clients must skip types they do not know. */
function kubernetesPodEvidence(alert: Alert) {
  const r = derived(`pod:${alert.alertId}`);
  const app = r.pick(["payments-api", "orders-worker", "東京-frontend", "<b>legacy</b>-batch"]);
  return {
    "@odata.type": `${EVIDENCE}kubernetesPodEvidence`,
    createdDateTime: alert.creationTime,
    verdict: "suspicious",
    remediationStatus: "none",
    remediationStatusDetails: null,
    roles: ["compromised"],
    detailedRoles: [],
    tags: [],
    name: `${app}-${r.hex(10)}-${r.hex(5)}`,
    namespace: { "@odata.type": `${EVIDENCE}kubernetesNamespaceEvidence`, name: r.pick(["production", "payments", "default"]), labels: {} },
    podIp: { ipAddress: `10.244.${r.int(0, 15)}.${r.int(2, 254)}` },
    labels: { app },
    containers: [{ name: app, image: { imageId: `contoso.azurecr.io/${app}:1.${r.int(0, 9)}.${r.int(0, 20)}` }, isPrivileged: r.chance(0.3) }],
  };
}

export function graphEvidence(alert: Alert): Record<string, unknown>[] {
  const devices = Array.isArray(alert.devices) ? alert.devices : [];
  const entities = Array.isArray(alert.entities) ? alert.entities : [];
  return [
    ...devices.map((d, i) => deviceEvidence(d, alert, i)),
    ...entities.flatMap((e) => entityEvidence(e, alert)),
    ...(alert.serviceSource === "MicrosoftSentinel" ? [kubernetesPodEvidence(alert)] : []),
  ];
}

/** A record with wrong types, for clients that must survive one bad incident in a Graph page. */
export function malformedGraphIncident(view: Record<string, unknown>): Record<string, unknown> {
  return { ...view, id: "abc", createdDateTime: "not-a-date", comments: "none", customTags: "Demo" };
}
