import { Suspense } from "react";
import Link from "next/link";
import { requireStaff } from "@/server/auth/require-staff";
import { overviewQueryString, parseOverviewFilters, widerPeriod, type OverviewFilters } from "@/server/overview/overview-filters";
import { loadOverview, loadOverviewTopLists } from "@/server/overview/overview-view";
import { BacklogChart } from "@/components/overview/backlog-chart";
import { CustomerServiceTable } from "@/components/overview/customer-service-table";
import { DailyVolumeChart } from "@/components/overview/daily-volume-chart";
import { HeadlineCards } from "@/components/overview/headline-cards";
import { OverviewFilterBar } from "@/components/overview/overview-filter-bar";
import { TopList, TopListsLoading } from "@/components/overview/top-list";
import { secondaryButton } from "@/components/ui/button-styles";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { utcClock } from "@/lib/time";

export const metadata = { title: "Overview" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function OverviewPage({ searchParams }: Props) {
  await requireStaff({ returnTo: "/overview" });
  const filters = parseOverviewFilters(await searchParams);
  const view = await loadOverview({ filters });
  const who =
    view.scopedTenantCount === view.tenants.length
      ? "every customer"
      : `${view.scopedTenantCount.toLocaleString("en-US")} of ${view.tenants.length.toLocaleString("en-US")} customers`;
  // A large store's figures may come from a computation up to a minute old (overview-recent.ts): say when.
  const asOf = view.recent ? ` Figures as of ${utcClock(view.period.now)}; a store this size is recomputed every minute.` : "";
  const header = <PageHeader title="Overview" description={`Incidents of ${who} over the last ${view.period.days} days (UTC).${asOf}`} />;

  if (view.tenants.length === 0) {
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
          The overview fills in once a customer tenant has granted consent and its first sync has run. Start by onboarding a customer from the Tenants page.
        </EmptyState>
      </>
    );
  }

  const { headline } = view;
  const quiet = headline.openedInPeriod === 0 && headline.resolvedInPeriod === 0;
  const wider = widerPeriod(filters.days);
  return (
    <>
      {header}
      <OverviewFilterBar filters={filters} tenants={view.tenants} />
      <HeadlineCards headline={headline} days={view.period.days} />
      {quiet ? (
        <EmptyState
          title={`No incidents in the last ${view.period.days} days`}
          action={
            wider && view.scopedTenantCount > 0 ? (
              <Link href={`/overview${overviewQueryString(filters, { days: wider })}`} className={secondaryButton}>
                Show the last {wider} days
              </Link>
            ) : (
              <Link href="/overview" className={secondaryButton}>
                Show every customer
              </Link>
            )
          }
        >
          {view.scopedTenantCount === 0
            ? "None of the chosen tenants is a current customer."
            : `No incident of ${view.scopedTenantCount === 1 ? "this customer" : "these customers"} was opened or resolved in this period.`}
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <div className="grid gap-6 xl:grid-cols-2">
            <DailyVolumeChart daily={view.daily} />
            <BacklogChart backlog={view.backlog} />
          </div>
          <CustomerServiceTable customers={view.customers} />
          <Suspense fallback={<TopListsLoading />}>
            <TopLists filters={filters} />
          </Suspense>
        </div>
      )}
    </>
  );
}

/** The top lists unnest two array columns of every incident in the period: streamed in after the rest of the page. */
async function TopLists({ filters }: { filters: OverviewFilters }) {
  const { categories, techniques } = await loadOverviewTopLists({ filters });
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <TopList
        kind="category"
        title="Top alert categories"
        description="Categories of the alerts in incidents created in the period, by the number of incidents."
        nameHeader="Category"
        entries={categories}
      />
      <TopList
        kind="technique"
        title="Top MITRE ATT&CK techniques"
        description="Techniques Microsoft mapped the alerts to, in incidents created in the period, by the number of incidents."
        nameHeader="Technique"
        entries={techniques}
      />
    </div>
  );
}
