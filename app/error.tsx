"use client";

import { AuthCard } from "@/components/ui/auth-card";
import { secondaryButton } from "@/components/ui/button-styles";

// The portal's own error page (Next.js's default one styles itself inline, which the CSP refuses).
// The error itself is in the server log; a person sees no detail of it.
export default function ErrorPage({ retry }: { error: unknown; retry: () => void }) {
  return (
    <AuthCard title="Something went wrong">
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">
        The page could not be shown. Try again in a moment; if it keeps happening, tell your portal administrator.
      </p>
      <button type="button" onClick={() => retry()} className={secondaryButton}>
        Try again
      </button>
    </AuthCard>
  );
}
