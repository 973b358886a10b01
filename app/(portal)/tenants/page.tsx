import Link from "next/link";
import { requireStaff } from "@/server/auth/require-staff";
import { refusalFor } from "@/server/auth/capabilities";
import { getIncidentSourceSummary, listTenantPage } from "@/server/tenants/tenant-directory";
import { parseTenantListFilters, tenantListQueryString } from "@/server/tenants/tenant-list-filters";
import { TenantListControls, TenantListPager } from "@/components/tenants/tenant-list-controls";
import { OldApiTenantsNotice } from "@/components/tenants/migration-notice";
import { listConsentInvitations } from "@/server/tenants/consent-invitations";
import { listTenantSyncStatus } from "@/server/incidents/sync-status";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { TenantsTable } from "@/components/tenants/tenants-table";
import { InvitationsTable } from "@/components/tenants/invitations-table";
import { primaryButton, secondaryButton } from "@/components/ui/button-styles";

export const metadata = { title: "Tenants" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TenantsPage({ searchParams }: Props) {
  const staff = await requireStaff({ returnTo: "/tenants" });
  const filters = parseTenantListFilters(await searchParams);
  const onlyOldApi = filters.source === "defender";
  const [list, invitations, sync, sources] = await Promise.all([
    listTenantPage(filters),
    listConsentInvitations(),
    listTenantSyncStatus(),
    getIncidentSourceSummary(),
  ]);
  const disabledReason = refusalFor(staff.role, "invitation.revoke");
  const inviteRefusal = refusalFor(staff.role, "invitation.create");
  const mayInvite = inviteRefusal === null;
  const newInvitation = mayInvite ? (
    <Link href="/tenants/invitations/new" className={primaryButton}>
      Onboard a customer
    </Link>
  ) : (
    <span className="text-xs text-slate-500">{inviteRefusal}</span>
  );
  return (
    <>
      <PageHeader title="Tenants" description="Customer tenants that granted the portal access, and their health." actions={newInvitation} />
      <OldApiTenantsNotice summary={sources} />
      {onlyOldApi ? (
        <p className="mb-3 text-sm">
          Showing tenants on the Defender XDR API only.{" "}
          <Link href={`/tenants${tenantListQueryString(filters, { source: null, page: null })}`} className="text-brand-600 underline dark:text-brand-100">
            Show all tenants
          </Link>
        </p>
      ) : null}
      {list.total === 0 ? (
        <EmptyState
          title="No customer tenants yet"
          action={
            mayInvite ? (
              <Link href="/tenants/invitations/new" className={primaryButton}>
                Create a consent link
              </Link>
            ) : null
          }
        >
          A customer tenant appears here once its administrator grants the portal admin consent through a link you send.
          {mayInvite ? " Create a consent link to start." : " Ask a Portal.Admin to create a consent link."}
        </EmptyState>
      ) : (
        <>
          <TenantListControls filters={filters} byStatus={list.byStatus} total={list.total} />
          {list.rows.length === 0 ? (
            <EmptyState
              title="No tenants match"
              action={
                <Link href="/tenants" className={secondaryButton}>
                  Show all tenants
                </Link>
              }
            >
              No tenant has this status, name, tenant ID or domain. Check the spelling, or choose another status above.
            </EmptyState>
          ) : (
            <>
              <TenantsTable rows={list.rows} sync={new Map(sync.map((status) => [status.tenantId, status]))} />
              <TenantListPager filters={filters} page={list.page} pageCount={list.pageCount} matching={list.matching} />
            </>
          )}
        </>
      )}
      <h2 className="mb-3 mt-10 text-lg font-semibold">Consent invitations</h2>
      {invitations.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No invitations yet.</p>
      ) : (
        <InvitationsTable rows={invitations} disabledReason={disabledReason} />
      )}
    </>
  );
}
