import Link from "next/link";
import type { IncidentSourceSummary } from "@/server/tenants/tenant-directory";
import { longDay } from "@/lib/time";

/** Every staff page in legacy mode: the source Microsoft turns off, and when. */
export function LegacyModeBanner({ summary }: { summary: IncidentSourceSummary }) {
  if (summary.mode !== "defender") return null;
  return (
    <div
      role="alert"
      data-testid="legacy-mode-banner"
      className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <div className="mx-auto max-w-screen-2xl sm:px-2">
        <strong>Legacy mode:</strong> incidents come from the Defender XDR API, which Microsoft turns off on {longDay(summary.retirement)}. Remove
        <code className="mx-1 font-mono">INCIDENT_SOURCE=defender</code> to read through Microsoft Graph, and have customers consent again where the Tenants
        page asks for it.
      </div>
    </div>
  );
}

/** The Tenants page: how many customers still read through the old API, and the deadline. */
export function OldApiTenantsNotice({ summary }: { summary: IncidentSourceSummary }) {
  if (summary.mode !== "graph" || summary.onOldApi === 0) return null;
  const many = summary.onOldApi === 1 ? "1 tenant still reads" : `${summary.onOldApi} tenants still read`;
  return (
    <div
      role="status"
      data-testid="old-api-notice"
      className="mb-6 rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <p>
        <strong>{many} incidents through the Defender XDR API</strong>, which Microsoft turns off on {longDay(summary.retirement)}. Their admins consented
        before the portal used Microsoft Graph: send each a new consent link (open the tenant marked <em>Needs re-consent for Microsoft Graph</em>). After
        consent they move to Graph on their own, keeping their incidents and history.
      </p>
      <Link href="/tenants?source=defender" className="mt-2 inline-block font-medium underline">
        Show only those tenants
      </Link>
    </div>
  );
}
