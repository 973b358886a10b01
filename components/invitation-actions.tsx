"use client";

import { useState, useTransition } from "react";
import type { ActionResult } from "@/server/auth/staff-action";
import type { IssuedInvitation as Issued } from "@/server/tenants/consent-invitations";
import { secondaryButton } from "./button-styles";
import { IssuedInvitation } from "./issued-invitation";

type Props = {
  invitationId: string;
  canRevoke: boolean;
  disabledReason: string | null;
  revoke: (raw: unknown) => Promise<ActionResult<null>>;
  reissue: (raw: unknown) => Promise<ActionResult<Issued>>;
};

export function InvitationActions({ invitationId, canRevoke, disabledReason, revoke, reissue }: Props) {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const small = `${secondaryButton} px-2.5 py-1 text-xs`;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        {canRevoke ? (
          <button
            type="button"
            className={small}
            disabled={pending || Boolean(disabledReason)}
            title={disabledReason ?? "Withdraw this link: it stops working at once"}
            onClick={() => {
              if (!window.confirm("Revoke this consent link? It stops working at once.")) return;
              startTransition(async () => {
                const result = await revoke({ invitationId });
                setMessage(result.ok ? "Link revoked." : result.error);
              });
            }}
          >
            Revoke
          </button>
        ) : null}
        <button
          type="button"
          className={small}
          disabled={pending || Boolean(disabledReason)}
          title={disabledReason ?? "Issue a new link with the same details (the old one is revoked)"}
          onClick={() =>
            startTransition(async () => {
              const result = await reissue({ invitationId });
              if (result.ok) setIssued(result.data);
              else setMessage(result.error);
            })
          }
        >
          New link
        </button>
      </div>
      {message ? <p role="status" className="text-xs text-slate-600 dark:text-slate-400">{message}</p> : null}
      {issued ? <div className="w-[32rem] max-w-full text-left"><IssuedInvitation link={issued.link} message={issued.message} /></div> : null}
    </div>
  );
}
