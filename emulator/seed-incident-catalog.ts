// Realistic building blocks for generated incidents: alert kinds as Defender XDR names them, and
// incident-name patterns. Some values deliberately contain HTML, scripts, unicode and emoji so the
// portal's escaping and rendering are exercised by ordinary demo data.

export type AlertKind = {
  title: string;
  description: string;
  category: string;
  serviceSource: string;
  detectionSource: string;
  mitreTechniques: string[];
  /** Entity types this alert normally carries (one entity of each is generated). */
  entityTypes: string[];
  onDevice: boolean;
  threatFamilyName?: string;
  actorName?: string;
};

const MDE = "MicrosoftDefenderForEndpoint";
const MDO = "MicrosoftDefenderForOffice365";
const AADIP = "AzureAdIdentityProtection";
const MDCA = "MicrosoftCloudAppSecurity";
const MDI = "MicrosoftDefenderForIdentity";

export const ALERT_KINDS: Record<string, AlertKind> = {
  powershell: {
    title: "Suspicious PowerShell command line",
    description:
      "A suspicious PowerShell activity was observed on the machine. This behavior may indicate that PowerShell was used during installation, exploration, or in some cases in lateral movement activities.",
    category: "Execution",
    serviceSource: MDE,
    detectionSource: "EDR",
    mitreTechniques: ["T1059.001"],
    entityTypes: ["Process", "File", "User"],
    onDevice: true,
  },
  ransomware: {
    title: "Ransomware behavior detected in the file system",
    description: "Files were renamed and encrypted at a high rate, consistent with ransomware.",
    category: "Ransomware",
    serviceSource: MDE,
    detectionSource: "WindowsDefenderAv",
    mitreTechniques: ["T1486", "T1490"],
    entityTypes: ["File", "Process", "Registry"],
    onDevice: true,
    threatFamilyName: "LockBit",
  },
  wmiLateral: {
    title: "Possible lateral movement using remote WMI",
    description: "A process was created on this device by a remote WMI call, which attackers use for lateral movement.",
    category: "LateralMovement",
    serviceSource: MDE,
    detectionSource: "EDR",
    mitreTechniques: ["T1047", "T1021.006"],
    entityTypes: ["Process", "Ip", "User"],
    onDevice: true,
  },
  credDump: {
    title: "Credential dumping activity observed",
    description: "A process accessed the memory of the LSASS process, a technique used to steal credentials.",
    category: "CredentialAccess",
    serviceSource: MDE,
    detectionSource: "EDR",
    mitreTechniques: ["T1003.001"],
    entityTypes: ["Process", "User"],
    onDevice: true,
  },
  mimikatz: {
    title: "'Mimikatz' credential theft tool",
    description: "The Mimikatz credential theft tool was detected on this device.",
    category: "CredentialAccess",
    serviceSource: MDE,
    detectionSource: "WindowsDefenderAv",
    mitreTechniques: ["T1003"],
    entityTypes: ["File", "Process"],
    onDevice: true,
    threatFamilyName: "Mimikatz",
  },
  injection: {
    title: "Suspicious process injection observed",
    description: "A process injected code into another process, which may indicate defense evasion.",
    category: "DefenseEvasion",
    serviceSource: MDE,
    detectionSource: "EDR",
    mitreTechniques: ["T1055", "T1055.012"],
    entityTypes: ["Process", "File"],
    onDevice: true,
  },
  emotet: {
    title: "An active 'Emotet' malware was detected",
    description: "Malware was detected while it was running. Antivirus stopped the process.",
    category: "Malware",
    serviceSource: MDE,
    detectionSource: "WindowsDefenderAv",
    mitreTechniques: ["T1204.002"],
    entityTypes: ["File", "Url"],
    onDevice: true,
    threatFamilyName: "Emotet",
  },
  lolbin: {
    title: "Low-reputation arbitrary code executed by signed executable",
    description: "Binaries signed by Microsoft can be used to run low-reputation arbitrary code.",
    category: "Execution",
    serviceSource: MDE,
    detectionSource: "WindowsDefenderAtp",
    mitreTechniques: ["T1218", "T1218.010"],
    entityTypes: ["Process", "File"],
    onDevice: true,
  },
  schedTask: {
    title: "Suspicious scheduled task",
    description: "A scheduled task was created to run a script from a user-writable folder.",
    category: "Persistence",
    serviceSource: MDE,
    detectionSource: "EDR",
    mitreTechniques: ["T1053.005"],
    entityTypes: ["Process", "Registry"],
    onDevice: true,
  },
  htmlFile: {
    title: "Suspicious file <img src=x onerror=alert(1)> dropped",
    description: "A file with a <b>deceptive</b> name was written by an Office application.",
    category: "SuspiciousActivity",
    serviceSource: MDE,
    detectionSource: "EDR",
    mitreTechniques: ["T1036.007"],
    entityTypes: ["File", "Process"],
    onDevice: true,
  },
  maliciousUrl: {
    title: "Email messages containing malicious URL removed after delivery",
    description: "Emails with a malicious URL were delivered and later removed -V1.0.0.3",
    category: "InitialAccess",
    serviceSource: MDO,
    detectionSource: "OfficeATP",
    mitreTechniques: ["T1566.002"],
    entityTypes: ["MailMessage", "MailCluster", "Url", "MailBox"],
    onDevice: false,
  },
  sendingPatterns: {
    title: "Suspicious email sending patterns detected",
    description: "The user sent an unusually high volume of email with patterns associated with compromised accounts.",
    category: "SuspiciousActivity",
    serviceSource: MDO,
    detectionSource: "OfficeATP",
    mitreTechniques: ["T1534"],
    entityTypes: ["MailBox", "User", "Ip"],
    onDevice: false,
  },
  urlClick: {
    title: "A potentially malicious URL click was detected",
    description: "A user clicked a URL that was later found to be malicious.",
    category: "InitialAccess",
    serviceSource: MDO,
    detectionSource: "OfficeATP",
    mitreTechniques: ["T1566.002", "T1204.001"],
    entityTypes: ["Url", "MailBox", "Ip"],
    onDevice: false,
  },
  reportedPhish: {
    title: "Email reported by user as malware or phish",
    description: "A user reported a message 📨 as phishing: «Your invoice is ready – 東京支社».",
    category: "InitialAccess",
    serviceSource: MDO,
    detectionSource: "OfficeATP",
    mitreTechniques: ["T1566.001"],
    entityTypes: ["MailMessage", "MailBox", "File"],
    onDevice: false,
  },
  impossibleTravel: {
    title: "Impossible travel activity",
    description: "Sign-ins from geographically distant locations within a short time.",
    category: "InitialAccess",
    serviceSource: AADIP,
    detectionSource: "AzureAdIdentityProtection",
    mitreTechniques: ["T1078.004"],
    entityTypes: ["User", "Ip", "CloudApplication"],
    onDevice: false,
  },
  unfamiliarSignIn: {
    title: "Unfamiliar sign-in properties",
    description: "The sign-in had properties not seen recently for this user.",
    category: "InitialAccess",
    serviceSource: AADIP,
    detectionSource: "AzureAdIdentityProtection",
    mitreTechniques: ["T1078"],
    entityTypes: ["User", "Ip"],
    onDevice: false,
  },
  anomalousToken: {
    title: "Anomalous Token",
    description: "A token with unusual characteristics was used, which may indicate token replay.",
    category: "CredentialAccess",
    serviceSource: AADIP,
    detectionSource: "AzureAdIdentityProtection",
    mitreTechniques: ["T1528", "T1550.001"],
    entityTypes: ["User", "CloudApplication", "Ip"],
    onDevice: false,
  },
  passwordSpray: {
    title: "Password spray",
    description: "Many accounts were targeted with a small number of common passwords.",
    category: "CredentialAccess",
    serviceSource: AADIP,
    detectionSource: "AzureAdIdentityProtection",
    mitreTechniques: ["T1110.003"],
    entityTypes: ["User", "Ip", "SecurityGroup"],
    onDevice: false,
  },
  massDownload: {
    title: "Mass download by a single user",
    description: "A user downloaded an unusually large number of files from SharePoint in one session.",
    category: "Exfiltration",
    serviceSource: MDCA,
    detectionSource: "MCAS",
    mitreTechniques: ["T1530"],
    entityTypes: ["User", "CloudApplication", "File"],
    onDevice: false,
  },
  inboxRule: {
    title: "Suspicious inbox manipulation rule",
    description: "A rule that deletes or moves messages was set on the user's inbox.",
    category: "DefenseEvasion",
    serviceSource: MDCA,
    detectionSource: "MCAS",
    mitreTechniques: ["T1564.008"],
    entityTypes: ["MailBox", "User", "CloudApplication"],
    onDevice: false,
  },
  oauthCreds: {
    title: "<script>alert('xss')</script> Unusual addition of credentials to an OAuth app",
    description: "Credentials were added to an OAuth app by a user who does not usually do so.",
    category: "Persistence",
    serviceSource: MDCA,
    detectionSource: "MCAS",
    mitreTechniques: ["T1098.001"],
    entityTypes: ["CloudApplication", "User", "SecurityGroup"],
    onDevice: false,
  },
  dcsync: {
    title: "Suspected DCSync attack (replication of directory services)",
    description: "A replication request was sent from a device that is not a domain controller.",
    category: "CredentialAccess",
    serviceSource: MDI,
    detectionSource: "AzureATP",
    mitreTechniques: ["T1003.006"],
    entityTypes: ["User", "Ip", "SecurityGroup"],
    onDevice: true,
    actorName: "Storm-0501",
  },
  kerberoast: {
    title: "Suspected Kerberos SPN exposure",
    description: "Service tickets were requested for many service accounts, consistent with Kerberoasting.",
    category: "CredentialAccess",
    serviceSource: MDI,
    detectionSource: "AzureATP",
    mitreTechniques: ["T1558.003"],
    entityTypes: ["User", "SecurityGroup"],
    onDevice: true,
  },
  futureSensor: {
    title: "Suspicious activity from an unfamiliar sensor",
    description: "An alert from a newer Defender product; its entities use a type this portal does not know yet.",
    category: "SuspiciousActivity",
    serviceSource: "MicrosoftSentinel",
    detectionSource: "CustomDetection",
    mitreTechniques: [],
    entityTypes: ["CloudLogonSession", "User"],
    onDevice: false,
  },
};

export type IncidentPattern = {
  /** {devices} is replaced by "one endpoint" / "multiple endpoints", {users} likewise. */
  name: string;
  alerts: string[];
  severities: [string, number][];
};

export const INCIDENT_PATTERNS: IncidentPattern[] = [
  {
    name: "Multi-stage incident involving Initial access & Lateral movement on {devices}",
    alerts: ["urlClick", "powershell", "wmiLateral", "credDump"],
    severities: [
      ["High", 6],
      ["Medium", 3],
    ],
  },
  {
    name: "Multi-stage incident involving Execution & Defense evasion on {devices}",
    alerts: ["lolbin", "injection", "powershell", "schedTask"],
    severities: [
      ["Medium", 5],
      ["High", 3],
      ["Low", 1],
    ],
  },
  { name: "Ransomware activity on multiple endpoints", alerts: ["ransomware", "credDump", "wmiLateral", "schedTask"], severities: [["High", 1]] },
  {
    name: "Suspicious email sending patterns detected involving {users}",
    alerts: ["sendingPatterns", "inboxRule"],
    severities: [
      ["Medium", 3],
      ["Low", 2],
    ],
  },
  {
    name: "Email messages containing malicious URL removed after delivery involving {users}",
    alerts: ["maliciousUrl", "urlClick"],
    severities: [
      ["Informational", 3],
      ["Low", 3],
      ["Medium", 1],
    ],
  },
  {
    name: "Phishing campaign detected involving {users}",
    alerts: ["maliciousUrl", "reportedPhish", "urlClick"],
    severities: [
      ["Medium", 3],
      ["High", 1],
    ],
  },
  {
    name: "Impossible travel activity involving {users}",
    alerts: ["impossibleTravel", "unfamiliarSignIn"],
    severities: [
      ["Medium", 3],
      ["Low", 2],
    ],
  },
  {
    name: "Unfamiliar sign-in properties involving {users}",
    alerts: ["unfamiliarSignIn"],
    severities: [
      ["Low", 4],
      ["Informational", 2],
    ],
  },
  {
    name: "Anomalous token involving {users}",
    alerts: ["anomalousToken", "unfamiliarSignIn"],
    severities: [
      ["High", 2],
      ["Medium", 2],
    ],
  },
  {
    name: "Password spray attack involving {users}",
    alerts: ["passwordSpray", "unfamiliarSignIn"],
    severities: [
      ["Medium", 2],
      ["High", 1],
    ],
  },
  {
    name: "Mass download by a single user",
    alerts: ["massDownload"],
    severities: [
      ["Medium", 2],
      ["Low", 2],
    ],
  },
  {
    name: "Credential theft activity on {devices}",
    alerts: ["mimikatz", "credDump", "dcsync", "kerberoast"],
    severities: [
      ["High", 3],
      ["Medium", 1],
    ],
  },
  {
    name: "'Emotet' malware was detected on {devices}",
    alerts: ["emotet", "powershell"],
    severities: [
      ["Medium", 2],
      ["Low", 2],
      ["Informational", 1],
    ],
  },
  {
    name: "Suspicious file <img src=x onerror=alert(1)> observed on {devices}",
    alerts: ["htmlFile", "lolbin"],
    severities: [
      ["Low", 2],
      ["Medium", 1],
    ],
  },
  {
    name: "<script>alert('xss')</script> Unusual addition of credentials to an OAuth app",
    alerts: ["oauthCreds", "anomalousToken"],
    severities: [
      ["Medium", 2],
      ["High", 1],
    ],
  },
  {
    name: "Suspicious sign-in from 東京支社 network involving Zoë Ångström 🚨",
    alerts: ["unfamiliarSignIn", "impossibleTravel"],
    severities: [
      ["Low", 2],
      ["Medium", 1],
    ],
  },
  {
    name: "Hands-on-keyboard attack involving multiple users and multiple devices",
    alerts: ["dcsync", "wmiLateral", "credDump", "ransomware", "oauthCreds", "kerberoast"],
    severities: [["High", 1]],
  },
  {
    name: "Suspicious activity from an unfamiliar sensor",
    alerts: ["futureSensor"],
    severities: [
      ["Low", 1],
      ["UnSpecified", 1],
    ],
  },
];

export const INCIDENT_TAGS = [
  "Ransomware",
  "VIP",
  "Finance",
  "Escalated",
  "Customer notified",
  "PCI",
  "OT network",
  "東京支社",
  "Needs review 🔍",
  "<b>bold</b>",
];

export const COMMENT_TEXTS = [
  "Isolated the device and started a full scan.",
  "Customer confirmed the user was travelling — closing as expected activity.",
  "Password reset and sessions revoked for the affected account.",
  "Escalated to the customer's IT director by phone.",
  "Waiting for the customer to confirm whether this was a pen test.",
  "Blocked the sender domain in the tenant allow/block list.",
  "Zoë checked the 東京支社 VPN logs: nothing unusual ✅",
  "Payload looked like <script>alert('xss')</script> — do not open the attachment.",
];

export const DETERMINATIONS: Record<string, string[]> = {
  TruePositive: ["MultiStagedAttack", "MaliciousUserActivity", "CompromisedAccount", "Malware", "Phishing", "UnwantedSoftware", "Other"],
  InformationalExpectedActivity: ["SecurityTesting", "LineOfBusinessApplication", "ConfirmedActivity", "Other"],
  FalsePositive: ["Clean", "NoEnoughDataToValidate", "Other"],
};
