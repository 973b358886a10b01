import Link from "next/link";
import { requireStaff } from "@/server/auth/require-staff";
import { hasActiveFilters, parseQueueFilters, queueQueryString } from "@/server/incidents/queue-filters";
import { loadQueueView } from "@/server/incidents/queue-view";
import { BulkActionBar } from "@/components/queue/bulk-action-bar";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { QueueFilterBar } from "@/components/queue/queue-filter-bar";
import { QueuePagination } from "@/components/queue/queue-pagination";
import { StreamedQueueSummary } from "@/components/queue/queue-summary-bar";
import { BULK_FORM_ID, QueueTable } from "@/components/queue/queue-table";
import { secondaryButton } from "@/components/ui/button-styles";

export const metadata = { title: "Incidents" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function IncidentsPage({ searchParams }: Props) {
  const staff = await requireStaff({ returnTo: "/" });
  const filters = parseQueueFilters(await searchParams);
  const { page, summary, options, actionsDisabledReason, now } = await loadQueueView({ filters, staff });
  const header = <PageHeader title="Incidents" description="Microsoft Defender XDR incidents of every customer tenant, in one queue." />;

  if (page.tenantCount === 0) {
    return (
      <>
        {header}
        <EmptyState
          title="No customer tenants yet"
          action={
            <Link href="/tenants" className={secondaryButton}>
              Go to Tenants
            </Link>
          }
        >
          Incidents appear here once a customer tenant has granted consent and its first sync has run. Start by onboarding a customer from the Tenants page.
        </EmptyState>
      </>
    );
  }

  const exportHref = `/api/incidents/export${queueQueryString(filters, { after: null, before: null })}`;
  return (
    <>
      {header}
      <QueueFilterBar filters={filters} options={options} username={staff.username} />
      <StreamedQueueSummary summary={summary} filters={filters} />
      {page.rows.length === 0 ? (
        hasActiveFilters(filters) ? (
          <EmptyState
            title="No incidents match these filters"
            action={
              <Link href="/" className={secondaryButton}>
                Clear filters
              </Link>
            }
          >
            Widen the time range or remove a filter. The search matches incident names and IDs, and the start of entity values (user, IP, URL, file hash, device
            name).
          </EmptyState>
        ) : (
          <EmptyState
            title="No incidents yet"
            action={
              <Link href="/tenants" className={secondaryButton}>
                Check tenant health
              </Link>
            }
          >
            The first sync of each tenant can take a few minutes. If a tenant shows a problem on the Tenants page, fix it there and the incidents will follow.
          </EmptyState>
        )
      ) : (
        <>
          <BulkActionBar formId={BULK_FORM_ID} disabledReason={actionsDisabledReason} username={staff.username} />
          <QueueTable rows={page.rows} filters={filters} now={now} />
          <QueuePagination filters={filters} nextCursor={page.nextCursor} prevCursor={page.prevCursor} shown={page.rows.length} exportHref={exportHref} />
        </>
      )}
    </>
  );
}
