import { requireStaff } from "@/server/auth/require-staff";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";

export const metadata = { title: "Tenants" };

export default async function TenantsPage() {
  await requireStaff({ returnTo: "/tenants" });
  return (
    <>
      <PageHeader title="Tenants" description="Customer tenants that granted the portal access, and their health." />
      <EmptyState title="No customer tenants yet">
        A customer tenant appears here after its administrator grants the portal admin consent.
      </EmptyState>
    </>
  );
}
