import Link from "next/link";
import { notFound } from "next/navigation";
import { requireStaff } from "@/server/auth/require-staff";
import { refusalFor } from "@/server/auth/capabilities";
import { getTenantServiceLevelPolicy } from "@/server/service-levels/service-level-policy";
import { isTenantId } from "@/lib/ids";
import { PolicyForm } from "@/components/service-levels/policy-form";
import { PageHeader } from "@/components/ui/page-header";
import { DateTime } from "@/components/ui/date-time";

type Props = { params: Promise<{ tenantId: string }> };

export const metadata = { title: "Customer service levels" };

/** Every IANA zone the runtime knows, so the list never offers one the clocks could not use. */
function timeZones(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];
}

export default async function TenantServiceLevelsPage({ params }: Props) {
  const { tenantId } = await params;
  const staff = await requireStaff({ returnTo: `/settings/service-levels/${tenantId}` });
  const policy = isTenantId(tenantId) ? await getTenantServiceLevelPolicy(tenantId) : null;
  if (!policy) notFound();
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/settings/service-levels" className="text-brand-600 hover:underline dark:text-brand-100">
          Service levels
        </Link>
      </nav>
      <PageHeader
        title={`Service levels: ${policy.tenantName}`}
        description="Exceptions to the default policy for this customer, and its working hours. Saving computes the due times of its open incidents again."
      />
      <p className="mb-3 text-xs text-slate-500">
        {policy.updatedAt ? (
          <>
            Last changed <DateTime value={policy.updatedAt} /> by {policy.updatedByName ?? "unknown"}.
          </>
        ) : (
          "This customer follows the default policy, around the clock."
        )}
      </p>
      <PolicyForm
        scope={policy.scope}
        own={policy.own}
        base={policy.base}
        businessHours={policy.businessHours}
        timeZones={timeZones()}
        disabledReason={refusalFor(staff.role, "service_level.manage")}
      />
    </>
  );
}
