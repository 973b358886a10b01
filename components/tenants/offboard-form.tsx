"use client";

import { useActionState, useState } from "react";
import type { ActionResult } from "@/server/auth/staff-action";
import { offboardTenantAction } from "@/server/tenants/onboarding-actions";
import { errorClass, fieldClass, labelClass } from "../ui/form-field-styles";

type Props = {
  tenantId: string;
  displayName: string;
  disabledReason: string | null;
};

/** Offboarding asks for the tenant's name as confirmation and for what to do with stored data. */
export function OffboardForm({ tenantId, displayName, disabledReason }: Props) {
  // Controlled, because React resets an action form after each submit: a typo must not lose the choice.
  const [dataChoice, setDataChoice] = useState<"keep" | "delete">("keep");
  const [confirmName, setConfirmName] = useState("");
  const [result, submit, pending] = useActionState((_: ActionResult<{ deletedIncidents: number }> | null, form: FormData) => offboardTenantAction(form), null);
  if (result?.ok) {
    return (
      <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
        Offboarded. The portal makes no more calls to this tenant
        {result.data.deletedIncidents ? ` and deleted ${result.data.deletedIncidents} stored incidents` : ""}.
      </p>
    );
  }
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return (
    <form action={submit} className="space-y-4">
      <input type="hidden" name="tenantId" value={tenantId} />
      {result && !result.ok ? (
        <p role="alert" className={errorClass}>
          {result.error}
        </p>
      ) : null}
      <fieldset disabled={Boolean(disabledReason) || pending} className="space-y-4">
        <fieldset>
          <legend className={labelClass}>Stored incidents</legend>
          <label className="mt-2 flex items-center gap-2 text-sm">
            <input type="radio" name="dataChoice" value="keep" checked={dataChoice === "keep"} onChange={() => setDataChoice("keep")} /> Keep them (read-only
            history)
          </label>
          <label className="mt-1 flex items-center gap-2 text-sm">
            <input type="radio" name="dataChoice" value="delete" checked={dataChoice === "delete"} onChange={() => setDataChoice("delete")} /> Delete them from
            the portal
          </label>
          {errors.dataChoice ? <p className={errorClass}>{errors.dataChoice}</p> : null}
        </fieldset>
        <div>
          <label htmlFor="confirmName" className={labelClass}>
            Type <strong>{displayName}</strong> to confirm
          </label>
          <input
            id="confirmName"
            name="confirmName"
            autoComplete="off"
            value={confirmName}
            onChange={(event) => setConfirmName(event.target.value)}
            className={`${fieldClass} max-w-sm`}
          />
        </div>
        <button
          type="submit"
          className="rounded-md bg-red-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-red-700 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {pending ? "Offboarding…" : "Offboard tenant"}
        </button>
      </fieldset>
      {disabledReason ? <p className="text-xs text-slate-500">{disabledReason}</p> : null}
    </form>
  );
}
