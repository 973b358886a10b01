"use client";

import { createInvitationAction } from "@/server/tenants/onboarding-actions";
import { primaryButton } from "../ui/button-styles";
import { errorClass, fieldClass, hintClass, labelClass } from "../ui/form-field-styles";
import { useKeptValuesAction } from "../ui/use-kept-values-action";
import { IssuedInvitation } from "./issued-invitation";

type Props = {
  /** The application permissions each access asks for (they depend on the incident API). */
  permissions: { read: string[]; readWrite: string[] };
  defaults: { customerName?: string; expectedTenant?: string; requestedAccess?: "read" | "read_write" };
  disabledReason?: string | null;
};

export function InvitationForm({ defaults, disabledReason, permissions }: Props) {
  const { result, typed, submit, pending } = useKeptValuesAction(createInvitationAction);
  if (result?.ok) return <IssuedInvitation link={result.data.link} message={result.data.message} />;
  const typedText = (name: string): string | undefined => typed?.[name]?.[0];
  const access = typedText("requestedAccess") ?? defaults.requestedAccess;
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return (
    <form
      key={JSON.stringify(typed)}
      action={submit}
      className="max-w-2xl space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
      aria-describedby={result && !result.ok ? "form-error" : undefined}
    >
      {result && !result.ok ? (
        <p id="form-error" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {result.error}
        </p>
      ) : null}
      <fieldset disabled={Boolean(disabledReason) || pending} className="space-y-5">
        <div>
          <label htmlFor="customerName" className={labelClass}>
            Customer name
          </label>
          <input
            id="customerName"
            name="customerName"
            required
            defaultValue={typedText("customerName") ?? defaults.customerName}
            className={fieldClass}
            aria-invalid={Boolean(errors.customerName)}
          />
          {errors.customerName ? <p className={errorClass}>{errors.customerName}</p> : null}
        </div>
        <div>
          <label htmlFor="expectedTenant" className={labelClass}>
            Expected tenant <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <input
            id="expectedTenant"
            name="expectedTenant"
            defaultValue={typedText("expectedTenant") ?? defaults.expectedTenant}
            placeholder="Tenant ID or verified domain, e.g. contoso.onmicrosoft.com"
            className={fieldClass}
            aria-invalid={Boolean(errors.expectedTenant)}
            aria-describedby="expectedTenant-hint"
          />
          <p id="expectedTenant-hint" className={hintClass}>
            When set, consent from any other tenant is refused.
          </p>
          {errors.expectedTenant ? <p className={errorClass}>{errors.expectedTenant}</p> : null}
        </div>
        <fieldset>
          <legend className={labelClass}>Requested access</legend>
          <div className="mt-2 space-y-2 text-sm">
            <label className="flex items-start gap-2">
              <input type="radio" name="requestedAccess" value="read" defaultChecked={access !== "read_write"} className="mt-1" />
              <span>
                <strong>Read incidents</strong> <span className="text-slate-500">— {permissions.read.join(", ")}</span>
              </span>
            </label>
            <label className="flex items-start gap-2">
              <input type="radio" name="requestedAccess" value="read_write" defaultChecked={access === "read_write"} className="mt-1" />
              <span>
                <strong>Read and update incidents</strong>{" "}
                <span className="text-slate-500">— {permissions.readWrite.join(", ")} (assign, status, classify, comment)</span>
              </span>
            </label>
          </div>
        </fieldset>
        <div>
          <label htmlFor="expiresInDays" className={labelClass}>
            Link valid for (days)
          </label>
          <input
            id="expiresInDays"
            name="expiresInDays"
            type="number"
            min={1}
            max={30}
            defaultValue={typedText("expiresInDays") ?? 7}
            className={`${fieldClass} w-28`}
            aria-invalid={Boolean(errors.expiresInDays)}
          />
          {errors.expiresInDays ? <p className={errorClass}>{errors.expiresInDays}</p> : null}
        </div>
        <div>
          <label htmlFor="note" className={labelClass}>
            Internal note <span className="font-normal text-slate-500">(optional, staff only)</span>
          </label>
          <textarea id="note" name="note" rows={3} defaultValue={typedText("note")} className={fieldClass} />
        </div>
        <button type="submit" className={primaryButton}>
          {pending ? "Creating…" : "Create consent link"}
        </button>
      </fieldset>
      {disabledReason ? <p className={hintClass}>{disabledReason}</p> : null}
    </form>
  );
}
