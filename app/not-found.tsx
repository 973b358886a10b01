import Link from "next/link";
import { AuthCard } from "@/components/ui/auth-card";
import { secondaryButton } from "@/components/ui/button-styles";

export const metadata = { title: "Page not found" };

// The portal's own 404 (Next.js's default one styles itself inline, which the CSP refuses).
export default function NotFound() {
  return (
    <AuthCard title="Page not found">
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">
        There is no page at this address. Check the link, or start again from the incident queue.
      </p>
      <Link href="/" className={secondaryButton}>
        Go to the incident queue
      </Link>
    </AuthCard>
  );
}
