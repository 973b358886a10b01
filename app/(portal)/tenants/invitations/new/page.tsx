import Link from "next/link";
import { requireStaff } from "@/server/auth/require-staff";
import { refusalFor } from "@/server/auth/capabilities";
import { consentPermissions } from "@/server/tenants/consent-pages";
import { InvitationForm } from "@/components/tenants/invitation-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Onboard a customer" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function NewInvitationPage({ searchParams }: Props) {
  const staff = await requireStaff({ returnTo: "/tenants/invitations/new" });
  const params = await searchParams;
  const one = (key: string) => (typeof params[key] === "string" ? (params[key] as string).slice(0, 253) : undefined);
  const disabledReason = refusalFor(staff.role, "invitation.create");
  return (
    <>
      <PageHeader
        title="Onboard a customer"
        description="Create a consent link for the customer's Global Administrator. The portal verifies the consent with a token before recording the tenant."
        actions={
          <Link href="/tenants" className="text-sm text-brand-600 hover:underline dark:text-brand-100">
            ← Tenants
          </Link>
        }
      />
      <InvitationForm
        defaults={{ customerName: one("name"), expectedTenant: one("tenant"), requestedAccess: one("access") === "read_write" ? "read_write" : undefined }}
        disabledReason={disabledReason}
        permissions={consentPermissions()}
      />
    </>
  );
}
