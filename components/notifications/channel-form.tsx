"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/server/auth/staff-action";
import { createNotificationChannelAction } from "@/server/notifications/notification-actions";
import { CHANNEL_KIND_LABEL, type ChannelKind } from "@/server/notifications/channel-target";
import { primaryButton } from "../ui/button-styles";
import { CopyButton } from "../ui/copy-button";
import { errorClass, fieldClass, hintClass, labelClass } from "../ui/form-field-styles";

type Created = { id: string; signingSecret: string | null };
type State = { result: ActionResult<Created>; values: Record<string, string> } | null;

const URL_HINT: Record<Exclude<ChannelKind, "email">, string> = {
  teams: "In Teams: the channel's … menu → Workflows → “Post to a channel when a webhook request is received”; paste the URL it shows.",
  slack: "In Slack: an app with Incoming Webhooks turned on → Add New Webhook to Workspace; paste the https://hooks.slack.com/… URL.",
  webhook: "Your receiver's https:// URL. The portal signs each request; the signing secret is shown once after you add the channel.",
};

function Field({
  name,
  label,
  hint,
  error,
  ...input
}: { name: string; label: string; hint?: string; error?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div>
      <label htmlFor={`channel-${name}`} className={labelClass}>
        {label}
      </label>
      <input id={`channel-${name}`} name={name} className={fieldClass} aria-invalid={Boolean(error)} {...input} />
      {hint ? <p className={hintClass}>{hint}</p> : null}
      {error ? <p className={errorClass}>{error}</p> : null}
    </div>
  );
}

/** Adds a channel; its secrets go to the server once and are never shown again (only masked). */
export function ChannelForm({ disabledReason, allowLoopbackHttp }: { disabledReason: string | null; allowLoopbackHttp: boolean }) {
  const [kind, setKind] = useState<ChannelKind>("teams");
  const [state, submit, pending] = useActionState(async (_: State, form: FormData): Promise<State> => {
    const values = Object.fromEntries(
      [...form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "smtpPassword"),
    );
    return { result: await createNotificationChannelAction(form), values };
  }, null);
  const result = state?.result ?? null;
  const typed = result && !result.ok ? (state?.values ?? {}) : {};
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return (
    <div className="space-y-4">
      {result?.ok ? (
        <div role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">
          Channel added.
          {result.data.signingSecret ? (
            <div className="mt-2 space-y-2">
              <p>
                Signing secret of this webhook, shown <strong>once</strong>: give it to the receiver, which checks the <code>X-Portal-Signature</code> header
                with it.
              </p>
              <code className="block break-all rounded bg-white px-2 py-1 font-mono text-xs dark:bg-slate-900" data-testid="signing-secret">
                {result.data.signingSecret}
              </code>
              <CopyButton text={result.data.signingSecret} label="Copy secret" />
            </div>
          ) : null}
        </div>
      ) : null}
      <form
        key={JSON.stringify(typed) + String(result?.ok)}
        action={submit}
        className="max-w-2xl space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
        aria-label="Add a channel"
      >
        {result && !result.ok ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
            {result.error}
          </p>
        ) : null}
        <fieldset disabled={Boolean(disabledReason) || pending} className="space-y-4">
          <div>
            <label htmlFor="channel-kind" className={labelClass}>
              Kind
            </label>
            <select id="channel-kind" name="kind" className={fieldClass} value={kind} onChange={(event) => setKind(event.target.value as ChannelKind)}>
              {(Object.keys(CHANNEL_KIND_LABEL) as ChannelKind[]).map((k) => (
                <option key={k} value={k}>
                  {CHANNEL_KIND_LABEL[k]}
                </option>
              ))}
            </select>
          </div>
          <Field name="name" label="Name" required defaultValue={typed.name} error={errors.name} placeholder="SOC on-call" />
          {kind === "email" ? (
            <>
              <div className="grid gap-4 sm:grid-cols-3">
                <Field name="smtpHost" label="SMTP server" required defaultValue={typed.smtpHost} error={errors.smtpHost} />
                <Field name="smtpPort" label="Port" required inputMode="numeric" defaultValue={typed.smtpPort ?? "587"} error={errors.smtpPort} />
                <div>
                  <label htmlFor="channel-smtpSecurity" className={labelClass}>
                    Encryption
                  </label>
                  <select id="channel-smtpSecurity" name="smtpSecurity" className={fieldClass} defaultValue={typed.smtpSecurity ?? "starttls"}>
                    <option value="starttls">STARTTLS (port 587)</option>
                    <option value="tls">TLS (port 465)</option>
                    {allowLoopbackHttp ? <option value="none">None (demo mode&apos;s local sink only)</option> : null}
                  </select>
                </div>
              </div>
              <div className="grid gap-4 sm:grid-cols-2">
                <Field name="smtpUsername" label="User name (optional)" autoComplete="off" defaultValue={typed.smtpUsername} error={errors.smtpUsername} />
                <Field
                  name="smtpPassword"
                  label="Password (optional)"
                  type="password"
                  autoComplete="new-password"
                  hint="Stored encrypted; never shown again."
                />
              </div>
              <Field name="mailFrom" label="From" required type="email" defaultValue={typed.mailFrom} error={errors.mailFrom} />
              <Field name="mailTo" label="To" required defaultValue={typed.mailTo} error={errors.mailTo} hint="One or more addresses, separated by commas." />
            </>
          ) : (
            <Field
              name="url"
              label="Webhook URL"
              required
              type="url"
              autoComplete="off"
              defaultValue={typed.url}
              error={errors.url}
              hint={`${URL_HINT[kind]} Stored encrypted and shown masked.`}
            />
          )}
          <button type="submit" className={primaryButton} title={disabledReason ?? undefined}>
            {pending ? "Adding…" : "Add channel"}
          </button>
        </fieldset>
      </form>
    </div>
  );
}
