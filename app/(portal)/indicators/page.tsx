import Link from "next/link";
import { requireStaff } from "@/server/auth/require-staff";
import { indicatorQueryString, parseIndicatorFilters } from "@/server/indicators/indicator-filters";
import { listSharedIndicators } from "@/server/indicators/shared-indicators";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { IndicatorFilterBar } from "@/components/indicators/indicator-filter-bar";
import { IndicatorPagination } from "@/components/indicators/indicator-pagination";
import { IndicatorTable } from "@/components/indicators/indicator-table";
import { secondaryButton } from "@/components/ui/button-styles";

export const metadata = { title: "Indicators" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function IndicatorsPage({ searchParams }: Props) {
  await requireStaff({ returnTo: "/indicators" });
  const filters = parseIndicatorFilters(await searchParams);
  const page = await listSharedIndicators({ filters, now: new Date() });
  const narrowed = Boolean(filters.type || filters.q);
  return (
    <>
      <PageHeader
        title="Indicators"
        description="IP addresses, file hashes, URLs, domains, senders and file names seen in two or more customers. Private addresses, Microsoft's own services and each customer's own accounts and domains are left out."
      />
      <IndicatorFilterBar filters={filters} />
      {page.rows.length === 0 ? (
        narrowed || page.total > 0 ? (
          <EmptyState
            title="No shared indicators match"
            action={
              <Link href={`/indicators${indicatorQueryString({ ...filters, type: undefined, q: undefined, page: undefined })}`} className={secondaryButton}>
                Clear type and text
              </Link>
            }
          >
            Remove the type or text filter, or choose a longer period.
          </EmptyState>
        ) : (
          <EmptyState
            title={`No indicator was seen in two customers in the last ${page.days} days`}
            action={
              page.days < 90 ? (
                <Link href={`/indicators${indicatorQueryString({ ...filters, period: "90", page: undefined })}`} className={secondaryButton}>
                  Look at the last 90 days
                </Link>
              ) : (
                <Link href="/" className={secondaryButton}>
                  Go to the incident queue
                </Link>
              )
            }
          >
            Indicators appear here as soon as a synced incident of one customer shares an IP address, hash, URL, domain or sender with another customer&apos;s.
            Try a longer period, or search the queue for a value you suspect.
          </EmptyState>
        )
      ) : (
        <>
          <IndicatorTable rows={page.rows} filters={filters} days={page.days} />
          <IndicatorPagination filters={filters} page={page.page} pageCount={page.pageCount} total={page.total} />
        </>
      )}
    </>
  );
}
