"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { requestSyncAction } from "@/server/incidents/sync-actions";
import { secondaryButton } from "../ui/button-styles";

type Props = {
  tenantId: string;
  running: boolean;
  requested: boolean;
  fetched: number;
  disabledReason: string | null;
};

/** Requests a sync and refreshes the server-rendered status every 2 s while it is queued or running. */
export function SyncNowButton({ tenantId, running, requested, fetched, disabledReason }: Props) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const busy = running || requested;
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [busy, router]);
  return (
    <div className="flex flex-wrap items-center gap-3">
      <button
        type="button"
        className={secondaryButton}
        disabled={pending || busy || Boolean(disabledReason)}
        title={disabledReason ?? "Fetch this tenant's changes from Defender now"}
        onClick={() =>
          startTransition(async () => {
            const result = await requestSyncAction({ tenantId });
            setError(result.ok ? null : result.error);
            router.refresh();
          })
        }
      >
        {running ? "Syncing…" : requested || pending ? "Queued…" : "Sync now"}
      </button>
      <span role="status" aria-live="polite" className="text-sm text-slate-600 dark:text-slate-400">
        {error ?? (running ? `Syncing: ${fetched} incidents read in this pass` : requested ? "Waiting for the sync engine…" : "")}
      </span>
      {busy ? (
        <progress
          aria-label="Sync progress"
          className="h-1.5 w-40 overflow-hidden rounded [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-brand-500"
        />
      ) : null}
    </div>
  );
}
