"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/server/auth/staff-action";
import type { IssuedInvitation as Issued } from "@/server/tenants/consent-invitations";
import { reissueInvitationAction, revokeInvitationAction } from "@/server/tenants/onboarding-actions";
import { secondaryButton } from "../ui/button-styles";
import { IssuedInvitation } from "./issued-invitation";

type Props = {
  invitationId: string;
  canRevoke: boolean;
  disabledReason: string | null;
};

const small = `${secondaryButton} px-2.5 py-1 text-xs`;

/** Revoke / new link, as forms so they work without JavaScript and the server decides who may. */
export function InvitationActions({ invitationId, canRevoke, disabledReason }: Props) {
  const [revoked, revokeAction, revoking] = useActionState((_: ActionResult<null> | null, form: FormData) => revokeInvitationAction(form), null);
  const [issued, reissueAction, reissuing] = useActionState((_: ActionResult<Issued> | null, form: FormData) => reissueInvitationAction(form), null);
  const message = revoked ? (revoked.ok ? "Link revoked." : revoked.error) : issued && !issued.ok ? issued.error : null;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex gap-2">
        {canRevoke ? (
          <form
            action={revokeAction}
            onSubmit={(event) => {
              if (!window.confirm("Revoke this consent link? It stops working at once.")) event.preventDefault();
            }}
          >
            <input type="hidden" name="invitationId" value={invitationId} />
            <button
              type="submit"
              className={small}
              disabled={revoking || Boolean(disabledReason)}
              title={disabledReason ?? "Withdraw this link: it stops working at once"}
            >
              Revoke
            </button>
          </form>
        ) : null}
        <form action={reissueAction}>
          <input type="hidden" name="invitationId" value={invitationId} />
          <button
            type="submit"
            className={small}
            disabled={reissuing || Boolean(disabledReason)}
            title={disabledReason ?? "Issue a new link with the same details (the old one is revoked)"}
          >
            New link
          </button>
        </form>
      </div>
      {message ? (
        <p role="status" className="text-xs text-slate-600 dark:text-slate-400">
          {message}
        </p>
      ) : null}
      {issued?.ok ? (
        <div className="w-[32rem] max-w-full text-left">
          <IssuedInvitation link={issued.data.link} message={issued.data.message} />
        </div>
      ) : null}
    </div>
  );
}
