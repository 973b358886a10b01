import Link from "next/link";
import type { IncidentIndicator } from "@/server/indicators/incident-correlations";
import { EXCLUSION_LABEL } from "@/server/indicators/indicator-exclusions";
import { Badge } from "../ui/badge";
import { DateTime } from "../ui/date-time";
import { SeverityBadge } from "./severity-badge";
import { indicatorQueueHref, indicatorTypeLabel } from "../indicators/indicator-labels";

/**
 * The incident's indicators, those other customers share first: "also seen in N other customers"
 * with their newest incidents. Values and customer names render as React text, never HTML.
 */
export function IncidentIndicators({ indicators }: { indicators: IncidentIndicator[] }) {
  if (indicators.length === 0) return <p className="text-sm text-slate-500">No IP address, hash, URL, domain, sender or file name in this incident.</p>;
  const shared = indicators.filter((i) => i.otherTenantCount > 0);
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="indicator-summary">
        {shared.length === 0 ? "No other customer has these indicators." : `${shared.length} of ${indicators.length} indicators also seen in other customers.`}
      </p>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        {indicators.map((indicator) => (
          <li key={`${indicator.type}:${indicator.value}`} className="px-3 py-2 text-sm" data-testid="incident-indicator">
            <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
              <span className="text-xs font-medium text-slate-500">{indicatorTypeLabel(indicator.type)}</span>
              <Link href={indicatorQueueHref(indicator)} className="break-all font-mono text-xs text-brand-600 hover:underline dark:text-brand-100">
                {indicator.value}
              </Link>
              {indicator.excludedReason ? (
                <Badge tone="neutral">Not correlated: {EXCLUSION_LABEL[indicator.excludedReason] ?? indicator.excludedReason}</Badge>
              ) : indicator.otherTenantCount > 0 ? (
                <Badge tone="warn">
                  Also seen in {indicator.otherTenantCount} other {indicator.otherTenantCount === 1 ? "customer" : "customers"}
                </Badge>
              ) : null}
            </div>
            {indicator.otherIncidents.length > 0 ? (
              <ul className="mt-1 space-y-0.5 pl-3 text-xs" aria-label={`Other customers' incidents with ${indicator.value}`}>
                {indicator.otherIncidents.map((other) => (
                  <li key={`${other.tenantId}/${other.incidentId}`} className="flex flex-wrap items-center gap-2">
                    <SeverityBadge severity={other.severity} />
                    <Link href={`/incidents/${other.tenantId}/${other.incidentId}`} className="text-brand-600 hover:underline dark:text-brand-100">
                      {other.tenantName} · #{other.incidentId} {other.incidentName}
                    </Link>
                    <span className="text-slate-500">
                      <DateTime value={other.lastSeen} />
                    </span>
                  </li>
                ))}
                {indicator.otherTenantCount > 0 ? (
                  <li>
                    <Link href={indicatorQueueHref(indicator)} className="text-brand-600 hover:underline dark:text-brand-100">
                      All incidents with this indicator →
                    </Link>
                  </li>
                ) : null}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
