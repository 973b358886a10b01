"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/server/auth/staff-action";
import { deleteNotificationChannelAction, sendTestNotificationAction } from "@/server/notifications/notification-actions";
import { secondaryButton } from "../ui/button-styles";

type Props = { channelId: string; channelName: string; testRefusal: string | null; changeRefusal: string | null };

/** Send test and Delete for one channel: forms, so they work without JavaScript; the server decides who may. */
export function ChannelActions({ channelId, channelName, testRefusal, changeRefusal }: Props) {
  const [tested, test, testing] = useActionState(
    (_: ActionResult<{ ok: boolean; message: string }> | null, form: FormData) => sendTestNotificationAction(form),
    null,
  );
  const [deleted, remove, deleting] = useActionState((_: ActionResult<{ name: string }> | null, form: FormData) => deleteNotificationChannelAction(form), null);
  const message = tested ? (tested.ok ? tested.data.message : tested.error) : deleted && !deleted.ok ? deleted.error : null;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex gap-2">
        <form action={test}>
          <input type="hidden" name="channelId" value={channelId} />
          <button
            type="submit"
            className={`${secondaryButton} px-2.5 py-1 text-xs`}
            disabled={testing || Boolean(testRefusal)}
            title={testRefusal ?? `Send a test message to ${channelName} now`}
          >
            {testing ? "Sending…" : "Send test"}
          </button>
        </form>
        <form
          action={remove}
          onSubmit={(event) => {
            if (!window.confirm(`Delete the channel ${channelName}? Rules stop sending to it; its messages stay in the log.`)) event.preventDefault();
          }}
        >
          <input type="hidden" name="channelId" value={channelId} />
          <button
            type="submit"
            className={`${secondaryButton} px-2.5 py-1 text-xs`}
            disabled={deleting || Boolean(changeRefusal)}
            title={changeRefusal ?? `Delete ${channelName}`}
          >
            Delete
          </button>
        </form>
      </div>
      {message ? (
        <p role="status" className="max-w-xs text-right text-xs text-slate-600 dark:text-slate-400" data-testid="channel-test-result">
          {message}
        </p>
      ) : null}
    </div>
  );
}
