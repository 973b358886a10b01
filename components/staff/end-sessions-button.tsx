"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/server/auth/staff-action";
import { endAllStaffSessionsAction } from "@/server/auth/staff-session-actions";
import { secondaryButton } from "../ui/button-styles";

type Ended = { staffName: string; ended: number };

type Props = {
  staffOid: string;
  staffName: string;
  activeSessions: number;
  isSelf: boolean;
  disabledReason: string | null;
};

function endedMessage({ staffName, ended }: Ended): string {
  if (ended === 0) return `${staffName} had no active session.`;
  return `Ended ${ended === 1 ? "1 session" : `${ended} sessions`} of ${staffName}. Their next request goes to sign-in.`;
}

/** A form, so it works without JavaScript; the server decides who may end sessions. */
export function EndSessionsButton({ staffOid, staffName, activeSessions, isSelf, disabledReason }: Props) {
  const [result, action, pending] = useActionState((_: ActionResult<Ended> | null, form: FormData) => endAllStaffSessionsAction(form), null);
  const message = result ? (result.ok ? endedMessage(result.data) : result.error) : null;
  const confirmText = isSelf
    ? "End all your sessions, including this one? You will have to sign in again."
    : `End all active sessions of ${staffName}? They are signed out everywhere at once.`;
  return (
    <div className="flex flex-col items-end gap-1">
      <form
        action={action}
        onSubmit={(event) => {
          if (!window.confirm(confirmText)) event.preventDefault();
        }}
      >
        <input type="hidden" name="staffOid" value={staffOid} />
        <button
          type="submit"
          className={`${secondaryButton} px-2.5 py-1 text-xs`}
          disabled={pending || Boolean(disabledReason) || activeSessions === 0}
          title={disabledReason ?? (activeSessions === 0 ? "No active session" : `Sign ${staffName} out everywhere now`)}
        >
          {pending ? "Ending…" : "End all sessions"}
        </button>
      </form>
      {message ? (
        <p role="status" className="max-w-xs text-right text-xs text-slate-600 dark:text-slate-400">
          {message}
        </p>
      ) : null}
    </div>
  );
}
