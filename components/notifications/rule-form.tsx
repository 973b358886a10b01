"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/server/auth/staff-action";
import { createNotificationRuleAction } from "@/server/notifications/notification-actions";
import { EVENT_LABEL, NOTIFICATION_EVENT_KINDS } from "@/server/notifications/notification-event";
import { primaryButton } from "../ui/button-styles";
import { errorClass, fieldClass, hintClass, labelClass } from "../ui/form-field-styles";
import { SEVERITY_OPTIONS } from "./notification-labels";

type Props = {
  tenants: { id: string; displayName: string }[];
  channels: { id: string; name: string }[];
  disabledReason: string | null;
};

const box = "flex items-center gap-2 text-sm";

/** Adds a rule: which tenants (none ticked: every tenant), from which severity, which events, to which channels. */
export function RuleForm({ tenants, channels, disabledReason }: Props) {
  const [result, submit, pending] = useActionState((_: ActionResult<{ id: string }> | null, form: FormData) => createNotificationRuleAction(form), null);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return (
    <form
      action={submit}
      aria-label="Add a rule"
      className="max-w-2xl space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      {result && !result.ok ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {result.error}
        </p>
      ) : result?.ok ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
          Rule added.
        </p>
      ) : null}
      <fieldset disabled={Boolean(disabledReason) || pending || channels.length === 0} className="space-y-4">
        <div>
          <label htmlFor="rule-name" className={labelClass}>
            Name
          </label>
          <input id="rule-name" name="name" required className={fieldClass} placeholder="High incidents to the SOC" />
          {errors.name ? <p className={errorClass}>{errors.name}</p> : null}
        </div>
        <div>
          <label htmlFor="rule-severity" className={labelClass}>
            Severity
          </label>
          <select id="rule-severity" name="minSeverityRank" className={fieldClass} defaultValue="3">
            {SEVERITY_OPTIONS.map((option) => (
              <option key={option.rank} value={option.rank}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend className={labelClass}>Events</legend>
          <div className="mt-1 grid gap-1 sm:grid-cols-2">
            {NOTIFICATION_EVENT_KINDS.map((kind) => (
              <label key={kind} className={box}>
                <input type="checkbox" name="events" value={kind} defaultChecked={kind === "new_incident" || kind === "severity_raised"} />
                {EVENT_LABEL[kind]}
              </label>
            ))}
          </div>
          {errors.events ? <p className={errorClass}>{errors.events}</p> : null}
        </fieldset>
        <fieldset>
          <legend className={labelClass}>Channels</legend>
          <div className="mt-1 grid gap-1 sm:grid-cols-2">
            {channels.map((channel) => (
              <label key={channel.id} className={box}>
                <input type="checkbox" name="channelIds" value={channel.id} />
                {channel.name}
              </label>
            ))}
          </div>
          {channels.length === 0 ? <p className={hintClass}>Add a channel first.</p> : null}
          {errors.channelIds ? <p className={errorClass}>{errors.channelIds}</p> : null}
        </fieldset>
        <fieldset>
          <legend className={labelClass}>Tenants</legend>
          <p className={hintClass}>None ticked: every tenant, including those onboarded later.</p>
          <div className="mt-1 grid gap-1 sm:grid-cols-2">
            {tenants.map((tenant) => (
              <label key={tenant.id} className={box}>
                <input type="checkbox" name="tenantIds" value={tenant.id} />
                {tenant.displayName}
              </label>
            ))}
          </div>
        </fieldset>
        <button type="submit" className={primaryButton} title={disabledReason ?? undefined}>
          {pending ? "Adding…" : "Add rule"}
        </button>
      </fieldset>
    </form>
  );
}
