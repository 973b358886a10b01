"use client";

import { useState, useTransition } from "react";
import { confirmTenantAction } from "@/server/tenants/onboarding-actions";
import { primaryButton } from "../ui/button-styles";

/** Confirms a customer that consented through a link naming no tenant; nothing syncs before. */
export function ConfirmTenantButton({ tenantId, disabledReason }: { tenantId: string; disabledReason: string | null }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="flex items-center gap-3">
      <button
        type="button"
        className={primaryButton}
        disabled={pending || Boolean(disabledReason)}
        title={disabledReason ?? "Start verifying and syncing this customer"}
        onClick={() =>
          startTransition(async () => {
            const result = await confirmTenantAction({ tenantId });
            setMessage(result.ok ? "Confirmed: the portal verifies and syncs this customer from now on." : result.error);
          })
        }
      >
        {pending ? "Confirming…" : "Confirm this customer"}
      </button>
      <span role="status" aria-live="polite" className="text-sm text-slate-600 dark:text-slate-400">
        {message}
      </span>
    </div>
  );
}
