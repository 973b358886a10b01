import Link from "next/link";
import { notFound } from "next/navigation";
import { requireStaff } from "@/server/auth/require-staff";
import { refusalFor } from "@/server/auth/capabilities";
import { getTenant } from "@/server/tenants/tenant-directory";
import { listConsentInvitations, ACCESS_LABEL } from "@/server/tenants/consent-invitations";
import { listAuditEvents } from "@/server/audit/list-audit-events";
import { TENANT_STATUS_FIX } from "@/server/tenants/tenant-status";
import { getTenantSyncStatus, listSyncIssues } from "@/server/incidents/sync-status";
import { TenantSyncPanel } from "@/components/tenants/tenant-sync-panel";
import { ConfirmTenantButton } from "@/components/tenants/confirm-tenant-button";
import { AuditTable } from "@/components/audit/audit-table";
import { DateTime } from "@/components/ui/date-time";
import { InvitationsTable } from "@/components/tenants/invitations-table";
import { OffboardForm } from "@/components/tenants/offboard-form";
import { PageHeader } from "@/components/ui/page-header";
import { TenantStatusBadge } from "@/components/tenants/tenant-status-badge";
import { VerifyTenantButton } from "@/components/tenants/verify-tenant-button";
import { primaryButton, secondaryButton } from "@/components/ui/button-styles";

type Props = { params: Promise<{ tenantId: string }> };

export default async function TenantPage({ params }: Props) {
  const { tenantId } = await params;
  const staff = await requireStaff({ returnTo: `/tenants/${tenantId}` });
  const tenant = await getTenant({ tenantId });
  if (!tenant) notFound();
  const [invitations, audit, sync, issues] = await Promise.all([
    listConsentInvitations({ tenantId: tenant.id }),
    listAuditEvents({ filters: { tenant: tenant.id } }),
    getTenantSyncStatus({ tenantId: tenant.id }),
    listSyncIssues({ tenantId: tenant.id, limit: 20 }),
  ]);
  const syncDisabled = refusalFor(staff.role, "sync.request");
  const offboardRefusal = refusalFor(staff.role, "tenant.offboard");
  const confirmRefusal = refusalFor(staff.role, "tenant.confirm");
  const verifyRefusal = refusalFor(staff.role, "tenant.verify");
  const inviteRefusal = refusalFor(staff.role, "invitation.create");
  const revokeRefusal = refusalFor(staff.role, "invitation.revoke");
  const fix = TENANT_STATUS_FIX[tenant.status];
  const needsGraph = tenant.status === "graph_consent_needed" || (tenant.source !== "graph" && tenant.status !== "offboarded");
  const consentHref = `/tenants/invitations/new?${new URLSearchParams({ name: tenant.displayName, tenant: tenant.id, access: needsGraph ? tenant.requiredAccess : "read_write" })}`;
  const offboarded = tenant.status === "offboarded";
  const dl = "grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 text-sm";
  return (
    <>
      <PageHeader
        title={tenant.displayName}
        description={<span className="font-mono">{tenant.id}</span>}
        actions={
          <Link href="/tenants" className="text-sm text-brand-600 hover:underline dark:text-brand-100">
            ← Tenants
          </Link>
        }
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <section
          aria-labelledby="health"
          className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm lg:col-span-2 dark:border-slate-800 dark:bg-slate-900"
        >
          <h2 id="health" className="mb-4 font-semibold">
            Health
          </h2>
          <dl className={dl}>
            <dt className="text-slate-500">Status</dt>
            <dd data-testid="tenant-status">
              <TenantStatusBadge status={tenant.status} />
              {fix ? <p className="mt-1 text-slate-600 dark:text-slate-400">{fix}</p> : null}
            </dd>
            <dt className="text-slate-500">Needs</dt>
            <dd>{ACCESS_LABEL[tenant.requiredAccess]}</dd>
            <dt className="text-slate-500">Incidents from</dt>
            <dd data-testid="tenant-source">
              {tenant.source === "graph"
                ? "Microsoft Graph security API"
                : tenant.source === "defender"
                  ? "Defender XDR API (retiring 1 February 2027)"
                  : "Nowhere: the Defender XDR API is retired; consent again for Microsoft Graph"}
            </dd>
            <dt className="text-slate-500">Granted (Graph)</dt>
            <dd className="font-mono text-xs">{tenant.grantedRoles.join(", ") || "None"}</dd>
            {tenant.legacyRoles.length ? (
              <>
                <dt className="text-slate-500">Granted (Defender API)</dt>
                <dd className="font-mono text-xs">{tenant.legacyRoles.join(", ")}</dd>
              </>
            ) : null}
            <dt className="text-slate-500">Consented by</dt>
            <dd data-testid="tenant-consented-by">
              {tenant.consentedByName || tenant.consentedByUpn ? (
                <>
                  {tenant.consentedByName ?? "—"} <span className="font-mono text-xs">{tenant.consentedByUpn}</span>
                  {tenant.consentedByOid ? <span className="block font-mono text-xs text-slate-500">object ID {tenant.consentedByOid}</span> : null}
                </>
              ) : (
                <span className="text-slate-400">Not recorded (consented before the portal proved who consents)</span>
              )}
            </dd>
            {tenant.verifiedDomain ? (
              <>
                <dt className="text-slate-500">Verified domain</dt>
                <dd className="font-mono text-xs" data-testid="tenant-verified-domain">
                  {tenant.verifiedDomain}
                </dd>
              </>
            ) : null}
            {tenant.confirmedAt ? (
              <>
                <dt className="text-slate-500">Confirmed</dt>
                <dd>
                  <DateTime value={tenant.confirmedAt} />
                  {tenant.confirmedByName ? ` by ${tenant.confirmedByName}` : ""}
                </dd>
              </>
            ) : null}
            <dt className="text-slate-500">Onboarded</dt>
            <dd>
              <DateTime value={tenant.onboardedAt} />
              {tenant.onboardedByName ? ` by ${tenant.onboardedByName}` : ""}
            </dd>
            <dt className="text-slate-500">Last verified</dt>
            <dd>
              <DateTime value={tenant.lastVerifiedAt} />
            </dd>
            <dt className="text-slate-500">Last error</dt>
            <dd data-testid="tenant-last-error">
              {tenant.lastErrorMessage ? (
                <>
                  {tenant.lastErrorMessage}{" "}
                  <span className="text-xs text-slate-500">
                    ({tenant.lastErrorCode}, <DateTime value={tenant.lastErrorAt} />)
                  </span>
                </>
              ) : (
                "—"
              )}
            </dd>
            {offboarded ? (
              <>
                <dt className="text-slate-500">Offboarded</dt>
                <dd>
                  <DateTime value={tenant.offboardedAt} />
                  {tenant.offboardedByName ? ` by ${tenant.offboardedByName}` : ""}
                </dd>
              </>
            ) : null}
          </dl>
          <div className="mt-5 flex flex-wrap items-center gap-3">
            {tenant.status === "pending_confirmation" ? (
              <ConfirmTenantButton tenantId={tenant.id} disabledReason={confirmRefusal} />
            ) : !offboarded ? (
              <VerifyTenantButton tenantId={tenant.id} disabledReason={verifyRefusal} />
            ) : null}
            {inviteRefusal ? (
              <span className={`${secondaryButton} cursor-not-allowed opacity-50`} title={inviteRefusal} aria-disabled="true">
                New consent link
              </span>
            ) : (
              <Link href={consentHref} className={offboarded || tenant.status !== "active" || !tenant.canUpdate ? primaryButton : secondaryButton}>
                {offboarded
                  ? "Onboard again"
                  : needsGraph
                    ? "New consent link for Microsoft Graph"
                    : tenant.canUpdate
                      ? "New consent link"
                      : "New consent link (add update rights)"}
              </Link>
            )}
          </div>
        </section>
        <section aria-labelledby="offboard" className="rounded-xl border border-red-200 bg-white p-5 shadow-sm dark:border-red-900 dark:bg-slate-900">
          <h2 id="offboard" className="mb-2 font-semibold">
            Offboard
          </h2>
          {offboarded ? (
            <p className="text-sm text-slate-600 dark:text-slate-400">This tenant is offboarded. The portal makes no calls to it.</p>
          ) : (
            <>
              <p className="mb-4 text-sm text-slate-600 dark:text-slate-400">
                Stops every call to this tenant. Then the customer removes the portal&apos;s access on their side.
              </p>
              <OffboardForm tenantId={tenant.id} displayName={tenant.displayName} disabledReason={offboardRefusal} />
            </>
          )}
          <details className="mt-4 text-sm">
            <summary className="cursor-pointer font-medium">What the customer does to remove access</summary>
            <ol className="mt-2 list-decimal space-y-1 pl-5 text-slate-600 dark:text-slate-400">
              <li>Sign in to the Microsoft Entra admin center as a Global Administrator.</li>
              <li>Open Identity → Applications → Enterprise applications, and select the provider&apos;s application.</li>
              <li>
                Choose Properties → Delete (or, with PowerShell: <code>Remove-MgServicePrincipal</code>).
              </li>
            </ol>
          </details>
        </section>
      </div>
      {sync ? (
        <div className="mt-6">
          <TenantSyncPanel status={sync} issues={issues} disabledReason={syncDisabled} />
        </div>
      ) : null}
      <h2 className="mb-3 mt-10 text-lg font-semibold">Invitations</h2>
      {invitations.length ? <InvitationsTable rows={invitations} disabledReason={revokeRefusal} /> : <p className="text-sm text-slate-500">None.</p>}
      <h2 className="mb-3 mt-10 text-lg font-semibold">Audit events</h2>
      {audit.rows.length ? <AuditTable rows={audit.rows} /> : <p className="text-sm text-slate-500">None.</p>}
      {audit.nextBefore ? (
        <Link href={`/audit?tenant=${tenant.id}`} className={`${secondaryButton} mt-4`}>
          All audit events of this tenant
        </Link>
      ) : null}
    </>
  );
}
