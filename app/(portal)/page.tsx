import Link from "next/link";
import { requireStaff } from "@/server/auth/require-staff";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { secondaryButton } from "@/components/button-styles";

export const metadata = { title: "Incidents" };

export default async function IncidentsPage() {
  await requireStaff({ returnTo: "/" });
  return (
    <>
      <PageHeader title="Incidents" description="Microsoft Defender XDR incidents of every customer tenant, in one queue." />
      <EmptyState
        title="No incidents yet"
        action={<Link href="/tenants" className={secondaryButton}>Go to Tenants</Link>}
      >
        Incidents appear here once a customer tenant has granted consent and its first sync has run.
        Start by onboarding a customer from the Tenants page.
      </EmptyState>
    </>
  );
}
