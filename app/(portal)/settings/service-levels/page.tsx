import Link from "next/link";
import { requireStaff } from "@/server/auth/require-staff";
import { refusalFor } from "@/server/auth/capabilities";
import { listServiceLevelPolicies } from "@/server/service-levels/service-level-policy";
import { PolicyForm } from "@/components/service-levels/policy-form";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { DateTime } from "@/components/ui/date-time";

export const metadata = { title: "Service levels" };

export default async function ServiceLevelsPage() {
  const staff = await requireStaff({ returnTo: "/settings/service-levels" });
  const { defaultPolicy, tenants } = await listServiceLevelPolicies();
  return (
    <>
      <PageHeader
        title="Service levels"
        description="How long the MSSP has to acknowledge and to resolve an incident of each severity. The queue shows each incident's clock and can sort by what falls due next."
      />
      <div className="grid gap-8 xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <section aria-labelledby="default-h">
          <h2 id="default-h" className="mb-1 text-base font-semibold">
            Default policy
          </h2>
          <p className="mb-3 text-xs text-slate-500">
            {defaultPolicy.updatedAt ? (
              <>
                Last changed <DateTime value={defaultPolicy.updatedAt} /> by {defaultPolicy.updatedByName ?? "unknown"}.
              </>
            ) : (
              "The portal's built-in targets: no one has changed them yet."
            )}
          </p>
          <PolicyForm
            scope="default"
            own={defaultPolicy.own}
            base={defaultPolicy.base}
            businessHours={null}
            timeZones={[]}
            disabledReason={refusalFor(staff.role, "service_level.manage")}
          />
        </section>
        <section aria-labelledby="customers-h">
          <h2 id="customers-h" className="mb-3 text-base font-semibold">
            Customers
          </h2>
          {tenants.length === 0 ? (
            <EmptyState title="No customers yet">
              Onboard a customer on the Tenants page; its incidents follow the default policy until you set exceptions here.
            </EmptyState>
          ) : (
            <table className="w-full rounded-xl border border-slate-200 bg-white text-sm shadow-sm dark:border-slate-800 dark:bg-slate-900">
              <caption className="sr-only">Customers and whether they have their own service levels</caption>
              <thead>
                <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
                  <th scope="col" className="px-3 py-2">
                    Customer
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Policy
                  </th>
                  <th scope="col" className="px-3 py-2">
                    Hours
                  </th>
                </tr>
              </thead>
              <tbody>
                {tenants.map((tenant) => (
                  <tr key={tenant.id} className="border-t border-slate-100 dark:border-slate-800">
                    <td className="px-3 py-2">
                      <Link href={`/settings/service-levels/${tenant.id}`} className="font-medium text-brand-600 hover:underline dark:text-brand-100">
                        {tenant.displayName}
                      </Link>
                    </td>
                    <td className="px-3 py-2">{tenant.custom ? "Own exceptions" : "Default"}</td>
                    <td className="px-3 py-2 text-xs">{tenant.hoursText ?? "24×7"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}
