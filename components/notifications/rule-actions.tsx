"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/server/auth/staff-action";
import { deleteNotificationRuleAction, setNotificationRuleEnabledAction } from "@/server/notifications/notification-actions";
import { secondaryButton } from "../ui/button-styles";

export function RuleActions({
  ruleId,
  ruleName,
  enabled,
  disabledReason,
}: {
  ruleId: string;
  ruleName: string;
  enabled: boolean;
  disabledReason: string | null;
}) {
  const [toggled, toggle, toggling] = useActionState((_: ActionResult<unknown> | null, form: FormData) => setNotificationRuleEnabledAction(form), null);
  const [deleted, remove, deleting] = useActionState((_: ActionResult<unknown> | null, form: FormData) => deleteNotificationRuleAction(form), null);
  const error = toggled && !toggled.ok ? toggled.error : deleted && !deleted.ok ? deleted.error : null;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex gap-2">
        <form action={toggle}>
          <input type="hidden" name="ruleId" value={ruleId} />
          <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
          <button
            type="submit"
            className={`${secondaryButton} px-2.5 py-1 text-xs`}
            disabled={toggling || Boolean(disabledReason)}
            title={disabledReason ?? undefined}
          >
            {enabled ? "Turn off" : "Turn on"}
          </button>
        </form>
        <form
          action={remove}
          onSubmit={(event) => {
            if (!window.confirm(`Delete the rule ${ruleName}?`)) event.preventDefault();
          }}
        >
          <input type="hidden" name="ruleId" value={ruleId} />
          <button
            type="submit"
            className={`${secondaryButton} px-2.5 py-1 text-xs`}
            disabled={deleting || Boolean(disabledReason)}
            title={disabledReason ?? undefined}
          >
            Delete
          </button>
        </form>
      </div>
      {error ? (
        <p role="alert" className="text-xs text-red-700 dark:text-red-300">
          {error}
        </p>
      ) : null}
    </div>
  );
}
