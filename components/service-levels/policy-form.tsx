"use client";

import { saveServiceLevelPolicyAction } from "@/server/service-levels/service-level-actions";
import { durationInputText } from "@/server/service-levels/policy-input";
import { SERVICE_LEVEL_SEVERITIES, type BusinessHours, type ServiceLevelPolicy, type ServiceLevelPolicyOverride } from "@/lib/service-levels";
import { primaryButton } from "../ui/button-styles";
import { errorClass, hintClass } from "../ui/form-field-styles";
import { useKeptValuesAction } from "../ui/use-kept-values-action";

const cell = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm w-28 dark:border-slate-600 dark:bg-slate-800";
const DAYS: Array<[number, string]> = [
  [1, "Mon"],
  [2, "Tue"],
  [3, "Wed"],
  [4, "Thu"],
  [5, "Fri"],
  [6, "Sat"],
  [0, "Sun"],
];

type Props = {
  scope: string;
  /** For a customer: its own values (empty = as the default) and the default they fall back to. */
  own: ServiceLevelPolicyOverride;
  base: ServiceLevelPolicy;
  businessHours: BusinessHours | null;
  timeZones: string[];
  disabledReason: string | null;
};

/** Targets per severity (and, for a customer, working hours); saving recomputes open incidents' due times. */
export function PolicyForm({ scope, own, base, businessHours, timeZones, disabledReason }: Props) {
  const isDefault = scope === "default";
  const { result, typed, submit, pending } = useKeptValuesAction(saveServiceLevelPolicyAction);
  const errors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const valueOf = (name: string, fallback: string) => (typed ? (typed[name]?.[0] ?? "") : fallback);
  const hours = businessHours;
  const mode = valueOf("hoursMode", hours ? "business" : "always");
  const typedDays = typed ? (typed.weekday ?? []).map(Number) : (hours?.weekdays ?? [1, 2, 3, 4, 5]);
  return (
    <form
      key={JSON.stringify(typed)}
      action={submit}
      className="max-w-3xl space-y-5 rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-800 dark:bg-slate-900"
      aria-describedby={result && !result.ok ? "policy-error" : undefined}
    >
      {result && !result.ok ? (
        <p id="policy-error" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {result.error}
        </p>
      ) : null}
      {result?.ok ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
          Saved. Due times of {result.data.recomputed.toLocaleString("en-US")} open incident{result.data.recomputed === 1 ? "" : "s"} were computed again.
        </p>
      ) : null}
      {disabledReason ? <p className="text-sm text-slate-600 dark:text-slate-400">{disabledReason}</p> : null}
      <input type="hidden" name="scope" value={scope} />
      <fieldset disabled={Boolean(disabledReason) || pending} className="space-y-5">
        <table className="text-sm">
          <caption className="mb-2 text-left text-sm text-slate-600 dark:text-slate-400">
            {isDefault
              ? "Working time allowed per severity, from the incident's creation in Microsoft. Empty: no target."
              : "This customer's exceptions. Empty: as the default (shown greyed); none: no target."}
          </caption>
          <thead>
            <tr className="text-left text-xs uppercase tracking-wide text-slate-500">
              <th scope="col" className="py-1 pr-4">
                Severity
              </th>
              <th scope="col" className="py-1 pr-4">
                Acknowledge within
              </th>
              <th scope="col" className="py-1">
                Resolve within
              </th>
            </tr>
          </thead>
          <tbody>
            {SERVICE_LEVEL_SEVERITIES.map((severity) => (
              <tr key={severity}>
                <th scope="row" className="py-1 pr-4 text-left font-medium">
                  {severity}
                </th>
                {(["acknowledge", "resolve"] as const).map((step) => {
                  const key = step === "acknowledge" ? "acknowledgeMinutes" : "resolveMinutes";
                  const name = `${severity}.${step}`;
                  const ownValue = isDefault ? base[severity][key] : own[severity]?.[key];
                  return (
                    <td key={step} className="py-1 pr-4 align-top">
                      <input
                        name={name}
                        aria-label={`${severity}: ${step} within`}
                        defaultValue={valueOf(name, durationInputText(ownValue))}
                        placeholder={isDefault ? "none" : durationInputText(base[severity][key])}
                        className={cell}
                        aria-invalid={Boolean(errors[name])}
                        aria-describedby={errors[name] ? `${name}-error` : undefined}
                      />
                      {errors[name] ? (
                        <p id={`${name}-error`} className={`${errorClass} max-w-56`}>
                          {errors[name]}
                        </p>
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <p className={hintClass}>Times like 15m, 4h, 3d or 1h 30m. The clock stops while an incident awaits the customer (status Awaiting action).</p>
        {isDefault ? null : (
          <fieldset className="space-y-3">
            <legend className="text-sm font-medium">Working hours</legend>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="hoursMode" value="always" defaultChecked={mode !== "business"} /> Around the clock (24×7)
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="hoursMode" value="business" defaultChecked={mode === "business"} /> Only during business hours:
            </label>
            <div className="ml-6 flex flex-wrap items-end gap-3">
              <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
                Time zone
                <select name="timeZone" defaultValue={valueOf("timeZone", hours?.timeZone ?? "UTC")} className={`${cell} w-56`}>
                  {timeZones.map((zone) => (
                    <option key={zone} value={zone}>
                      {zone}
                    </option>
                  ))}
                </select>
              </label>
              <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
                From
                <input type="time" name="start" defaultValue={valueOf("start", hours?.start ?? "09:00")} className={cell} />
              </label>
              <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400">
                To
                <input name="end" defaultValue={valueOf("end", hours?.end ?? "17:00")} pattern="\d{2}:\d{2}" className={cell} aria-describedby="end-hint" />
              </label>
              <fieldset className="flex flex-wrap gap-2">
                <legend className="sr-only">Days</legend>
                {DAYS.map(([day, label]) => (
                  <label key={day} className="flex items-center gap-1 text-sm">
                    <input type="checkbox" name="weekday" value={day} defaultChecked={typedDays.includes(day)} /> {label}
                  </label>
                ))}
              </fieldset>
            </div>
            <p id="end-hint" className={`${hintClass} ml-6`}>
              HH:MM in the customer&apos;s time zone; 24:00 for midnight. Daylight-saving changes are followed.
            </p>
            {errors.businessHours ? <p className={`${errorClass} ml-6`}>{errors.businessHours}</p> : null}
          </fieldset>
        )}
        <button type="submit" className={primaryButton}>
          {pending ? "Saving…" : "Save and recompute due times"}
        </button>
      </fieldset>
    </form>
  );
}
