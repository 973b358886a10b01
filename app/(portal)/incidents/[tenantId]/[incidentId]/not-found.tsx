import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { secondaryButton } from "@/components/ui/button-styles";

export default function IncidentNotFound() {
  return (
    <EmptyState
      title="Incident not found"
      action={
        <Link href="/" className={secondaryButton}>
          Back to the queue
        </Link>
      }
    >
      The portal has no such incident. It may belong to a tenant that was offboarded, or it has not been synced yet. Check the link, or find it in the queue by
      its ID.
    </EmptyState>
  );
}
