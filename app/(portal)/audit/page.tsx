import Link from "next/link";
import { requireStaff } from "@/server/auth/require-staff";
import { parseAuditFilters } from "@/server/audit/audit-filters";
import { listAuditEvents } from "@/server/audit/list-audit-events";
import { AuditTable } from "@/components/audit/audit-table";
import { AuditFilterBar } from "@/components/audit/audit-filter-bar";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { secondaryButton } from "@/components/ui/button-styles";

export const metadata = { title: "Audit" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Props) {
  await requireStaff({ returnTo: "/audit" });
  const filters = parseAuditFilters(await searchParams);
  const { rows, nextBefore } = await listAuditEvents({ filters });
  const { before: _before, ...kept } = filters;
  const nextHref = nextBefore
    ? `/audit?${new URLSearchParams({ ...(Object.fromEntries(Object.entries(kept).filter(([, v]) => v)) as Record<string, string>), before: nextBefore })}`
    : null;
  return (
    <>
      <PageHeader title="Audit" description="Append-only record of sign-ins, onboarding, consent and changes. Nobody can edit or delete it." />
      <AuditFilterBar filters={filters} />
      {rows.length === 0 ? (
        <EmptyState
          title="No audit events match"
          action={
            <Link href="/audit" className={secondaryButton}>
              Clear filters
            </Link>
          }
        >
          Try a wider filter. Every sign-in, consent and change is recorded here as it happens.
        </EmptyState>
      ) : (
        <>
          <AuditTable rows={rows} />
          <div className="mt-4 flex justify-end gap-2">
            {filters.before ? (
              <Link href="/audit" className={secondaryButton}>
                Newest
              </Link>
            ) : null}
            {nextHref ? (
              <Link href={nextHref} className={secondaryButton}>
                Older events →
              </Link>
            ) : null}
          </div>
        </>
      )}
    </>
  );
}
