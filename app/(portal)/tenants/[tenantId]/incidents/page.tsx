import { redirect } from "next/navigation";

type Props = { params: Promise<{ tenantId: string }> };

/** The per-tenant view is the queue with one tenant filter, so it keeps every other filter too. */
export default async function TenantIncidentsPage({ params }: Props) {
  const { tenantId } = await params;
  redirect(`/?${new URLSearchParams({ tenant: tenantId.toLowerCase() })}`);
}
