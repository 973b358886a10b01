// Generates alert evidence (entities) and devices with the type-specific fields Defender returns.
import { formatDefenderTime } from "./defender-time";
import type { AlertDevice, AlertEntity, DirectoryTenant } from "./model";
import type { SeededRandom } from "./seeded-random";

/** Every entity type the seed data must cover, including one the portal cannot know yet. */
export const ENTITY_TYPES = [
  "User",
  "Ip",
  "Url",
  "File",
  "Process",
  "MailBox",
  "MailMessage",
  "MailCluster",
  "Registry",
  "SecurityGroup",
  "CloudApplication",
  "CloudLogonSession",
] as const;

const FILES = [
  { fileName: "invoice_2024.pdf.exe", filePath: "C:\\Users\\Public\\Downloads" },
  { fileName: "mimikatz.exe", filePath: "C:\\Windows\\Temp" },
  { fileName: "update<img src=x onerror=alert(1)>.js", filePath: "C:\\Users\\zoe\\AppData\\Local\\Temp" },
  { fileName: "請求書_東京支社.docm", filePath: "C:\\Users\\hanako\\Documents" },
  { fileName: "wscript.exe", filePath: "C:\\Windows\\SysWOW64" },
  { fileName: "payload.ps1", filePath: "C:\\ProgramData\\Microsoft\\Crypto" },
];
const COMMAND_LINES = [
  "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA",
  "rundll32.exe C:\\ProgramData\\update.dll,DllRegisterServer",
  '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -Command "<script>alert(\'xss\')</script>"',
  'wmic /node:10.0.4.21 process call create "cmd.exe /c whoami"',
  'schtasks /create /tn "OneDrive Update 🛠" /tr C:\\Users\\Public\\u.vbs /sc minute',
];
const URLS = [
  "https://login-microsoftonline.example-phish.com/common/oauth2/authorize",
  "http://invoice-portal.example.net/view?id=8812&lang=ja",
  "https://example.test/<script>alert('xss')</script>",
  "https://東京支社.example.jp/ログイン",
  "https://cdn.example-bad.org/payload.bin",
];
const SUBJECTS = [
  "Your invoice is ready – 東京支社",
  "Action required: password expires today",
  "Re: wire transfer <b>urgent</b>",
  "📦 Delivery failed — reschedule now",
  "<img src=x onerror=alert(1)> Shared document",
];
const APPS = [
  { applicationId: 20893, applicationName: "Microsoft Exchange Online" },
  { applicationId: 15600, applicationName: "Microsoft OneDrive for Business" },
  { applicationId: 11161, applicationName: "Office 365" },
  { applicationId: 26055, applicationName: "Contoso <Payroll> Connector" },
];
const GROUPS = ["Domain Admins", "Finance Approvers", "東京支社 Users", "VPN-Users"];

/**
 * One campaign the emulator's own seeded customers meet (demo mode's Indicators page): its
 * server's IP stands in for their public IPv4 addresses that start with 185., its loader's hashes
 * for mimikatz.exe's. Values are replaced after the draws, so every other value stays as it was.
 * Generated tenants (benchmarks, end-to-end extras; one domain only) keep their random values, so
 * the benchmarks' searches do not change.
 */
export const CAMPAIGN = {
  ip: "185.220.101.47",
  sha1: "3c5f0d7e9a1b2c4d6e8f0a1b3c5d7e9f1a2b4c6d",
  sha256: "8d3f1c9e7b5a2d4f6e8c0a1b3d5f7e9c2a4b6d8f0e1c3a5b7d9f2e4c6a8b0d1f",
} as const;
const inCampaign = (tenant: DirectoryTenant) => tenant.domains.length > 1;
const campaignIp = (tenant: DirectoryTenant, ip: string) => (inCampaign(tenant) && ip.startsWith("185.") ? CAMPAIGN.ip : ip);

const publicIp = (r: SeededRandom) => `${r.pick([20, 40, 51, 89, 102, 185, 203])}.${r.int(1, 254)}.${r.int(1, 254)}.${r.int(1, 254)}`;
const sid = (r: SeededRandom) => `S-1-5-21-${r.int(1e9, 4e9)}-${r.int(1e9, 4e9)}-${r.int(1e9, 4e9)}-${r.int(1000, 9999)}`;

export function buildEntity(r: SeededRandom, entityType: string, tenant: DirectoryTenant, whenMs: number, deviceId: string | null): AlertEntity {
  const user = r.pick(tenant.users);
  const [accountName = "", domain = tenant.domains[0] ?? ""] = user.userPrincipalName.split("@");
  const netbios = (domain.split(".")[0] ?? domain).toUpperCase();
  const file = r.pick(FILES);
  const common = {
    entityType,
    evidenceCreationTime: formatDefenderTime(whenMs, r.int(0, 9999)),
    verdict: r.weighted(["Suspicious", "Malicious", "NoThreatsFound", null], [4, 3, 2, 1]),
    remediationStatus: r.weighted(["None", "Remediated", "Prevented", "Blocked", null], [5, 2, 1, 1, 1]),
    deviceId,
  };
  const drawn = { sha1: r.hex(40), sha256: r.hex(64) };
  const hashes = inCampaign(tenant) && file.fileName === "mimikatz.exe" ? { sha1: CAMPAIGN.sha1, sha256: CAMPAIGN.sha256 } : drawn;
  switch (entityType) {
    case "User":
      return {
        ...common,
        accountName,
        domainName: netbios,
        userSid: sid(r),
        aadUserId: user.id,
        userPrincipalName: user.userPrincipalName,
        displayName: user.displayName,
      };
    case "Ip":
      return { ...common, ipAddress: r.chance(0.2) ? `2001:db8:${r.hex(4)}::${r.hex(4)}` : campaignIp(tenant, publicIp(r)) };
    case "Url":
      return { ...common, url: r.pick(URLS) };
    case "File":
      return {
        ...common,
        ...hashes,
        fileName: file.fileName,
        filePath: file.filePath,
        fileSize: r.chance(0.1) ? null : r.int(1_000, 9_000_000),
        detectionStatus: r.pick(["Detected", "Prevented", "Blocked"]),
      };
    case "Process":
      return {
        ...common,
        ...hashes,
        fileName: file.fileName,
        filePath: file.filePath,
        processId: r.int(200, 30000),
        processCommandLine: r.pick(COMMAND_LINES),
        processCreationTime: formatDefenderTime(whenMs - r.int(1_000, 60_000), r.int(0, 9999)),
        parentProcessId: r.int(200, 30000),
        parentProcessCreationTime: r.chance(0.2) ? null : formatDefenderTime(whenMs - r.int(60_000, 600_000)),
        accountName,
        domainName: netbios,
        userSid: sid(r),
      };
    case "MailBox":
      return { ...common, mailboxDisplayName: user.displayName, mailboxAddress: user.mail, userPrincipalName: user.userPrincipalName, aadUserId: user.id };
    case "MailMessage":
      return {
        ...common,
        networkMessageId: r.guid(),
        sender: r.pick(["billing@invoice-portal.example.net", "ceo@" + domain, "no-reply@東京支社.example.jp"]),
        recipient: user.mail,
        subject: r.pick(SUBJECTS),
        deliveryAction: r.pick(["Delivered", "Blocked", "Replaced", "DeliveredAsSpam"]),
        senderIp: publicIp(r),
        receivedDate: formatDefenderTime(whenMs - r.int(60_000, 3_600_000)),
      };
    case "MailCluster":
      return {
        ...common,
        clusterBy: r.pick(["Subject;SenderIp;SenderDomain", "Url;ContentFingerprint"]),
        clusterByValue: r.hex(32),
        mailCount: r.int(2, 480),
        query: `(Subject:"${r.pick(SUBJECTS)}")`,
      };
    case "Registry":
      return {
        ...common,
        registryKey: "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run",
        registryHive: "HKEY_CURRENT_USER",
        registryValueName: r.pick(["OneDriveUpdate", "Zoë's helper", "<svg onload=alert(1)>"]),
        registryValueType: "String",
        registryValue: `"${file.filePath}\\${file.fileName}" /silent`,
      };
    case "SecurityGroup":
      return {
        ...common,
        securityGroupId: r.guid(),
        securityGroupName: r.pick(GROUPS),
        distinguishedName: `CN=${r.pick(GROUPS)},OU=Groups,DC=${netbios.toLowerCase()},DC=local`,
      };
    case "CloudApplication": {
      const app = r.pick(APPS);
      return { ...common, ...app, instanceName: app.applicationName, saasAppId: app.applicationId };
    }
    default:
      // A type this portal has never seen, with unfamiliar fields; clients must tolerate it.
      return {
        ...common,
        entityType,
        sessionId: r.guid(),
        accountName,
        startTimeUtc: formatDefenderTime(whenMs - 300_000),
        userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) 🚀",
        extraProperties: { nested: { depth: 2 } },
      };
  }
}

export function buildDevice(r: SeededRandom, tenant: DirectoryTenant, whenMs: number): AlertDevice {
  const initialDomain = tenant.domains[0] ?? tenant.id;
  const shortName = initialDomain.split(".")[0] ?? initialDomain;
  const prefix = initialDomain.slice(0, 2).toUpperCase();
  const platform = r.weighted(["Windows11", "Windows10", "WindowsServer2022", "WindowsServer2019", "Linux", "macOS"], [5, 4, 2, 1, 1, 1]);
  const server = platform.startsWith("WindowsServer");
  const host = `${prefix}-${server ? "SRV" : platform === "macOS" ? "MAC" : "WS"}-${String(r.int(1, 480)).padStart(4, "0")}`;
  const loggedOn = r.pick(tenant.users);
  return {
    mdatpDeviceId: r.hex(40),
    aadDeviceId: r.chance(0.3) ? null : r.guid(),
    deviceDnsName: `${host.toLowerCase()}.${shortName}.local`,
    osPlatform: platform,
    osBuild: platform.startsWith("Windows") ? r.pick([19045, 22631, 20348, 17763]) : null,
    version: platform.startsWith("Windows") ? r.pick(["22H2", "23H2", "1809"]) : platform === "macOS" ? "14.4" : "5.15",
    osProcessor: "x64",
    healthStatus: r.weighted(["Active", "Inactive", "ImpairedCommunication", "NoSensorData"], [8, 1, 1, 1]),
    riskScore: r.pick(["None", "Low", "Medium", "High"]),
    exposureLevel: r.pick(["Low", "Medium", "High"]),
    rbacGroupName: r.pick(["Default", "Servers", "Workstations – 東京支社", "VIP devices"]),
    rbacGroupId: r.int(1, 40),
    firstSeen: formatDefenderTime(whenMs - r.int(30, 900) * 86_400_000, r.int(0, 9999)),
    tags: r.chance(0.7) ? [] : [r.pick(["VIP", "PAW", "Kiosk", "Zoë's laptop"])],
    defenderAvStatus: r.pick(["Updated", "NotUpdated", "Disabled", "Unknown"]),
    onboardingStatus: "Onboarded",
    loggedOnUsers: [{ accountName: loggedOn.userPrincipalName.split("@")[0] ?? "", domainName: shortName.toUpperCase() }],
    vmMetadata: null,
  };
}
