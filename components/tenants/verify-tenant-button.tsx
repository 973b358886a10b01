"use client";

import { useState, useTransition } from "react";
import { verifyTenantAction } from "@/server/tenants/onboarding-actions";
import { TENANT_STATUS_LABEL } from "@/server/tenants/tenant-status";
import { secondaryButton } from "../ui/button-styles";

export function VerifyTenantButton({ tenantId, disabledReason }: { tenantId: string; disabledReason: string | null }) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <div className="flex items-center gap-3">
      <button
        type="button"
        className={secondaryButton}
        disabled={pending || Boolean(disabledReason)}
        title={disabledReason ?? "Request a fresh token from Microsoft now"}
        onClick={() =>
          startTransition(async () => {
            const result = await verifyTenantAction({ tenantId });
            if (!result.ok) return setMessage(result.error);
            const label = TENANT_STATUS_LABEL[result.data.status].toLowerCase();
            setMessage(result.data.problem ? `Checked: ${label}. ${result.data.problem}` : `Verified: ${label}`);
          })
        }
      >
        {pending ? "Verifying…" : "Verify now"}
      </button>
      <span role="status" aria-live="polite" className="text-sm text-slate-600 dark:text-slate-400">
        {message}
      </span>
    </div>
  );
}
