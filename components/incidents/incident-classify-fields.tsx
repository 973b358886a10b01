"use client";

import { useId } from "react";
import { determinationsFor, SETTABLE_CLASSIFICATIONS, type SettableClassification } from "@/server/incidents/update-incident-input";
import type { IncidentSource } from "@/server/microsoft/source-incident";
import { CLASSIFICATION_LABEL, DETERMINATION_LABEL } from "./incident-labels";

const field = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm disabled:opacity-60 dark:border-slate-600 dark:bg-slate-800";
const label = "flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-400";

export type Verdict = { classification: SettableClassification; determination: string };

/** The starting verdict for a form: the incident's own when it has one, else True positive. */
export function initialVerdict(classification?: string | null, determination?: string | null, source: IncidentSource = "graph"): Verdict {
  const c = SETTABLE_CLASSIFICATIONS.find((value) => value === classification && value !== "Unknown") ?? "TruePositive";
  const choices = determinationsFor(c, source);
  return { classification: c, determination: determination && choices.includes(determination) ? determination : (choices[0] ?? "Other") };
}

/** Classification, and a determination list that only offers values the tenant's API accepts with it. */
export function IncidentClassifyFields({
  value,
  onChange,
  disabled,
  source = "graph",
}: {
  value: Verdict;
  onChange: (value: Verdict) => void;
  disabled?: boolean;
  source?: IncidentSource;
}) {
  const id = useId();
  return (
    <>
      <label htmlFor={`${id}-c`} className={label}>
        Classification
        <select
          id={`${id}-c`}
          className={field}
          value={value.classification}
          disabled={disabled}
          onChange={(event) => {
            const classification = event.target.value as SettableClassification;
            onChange({ classification, determination: determinationsFor(classification, source)[0] ?? "Other" });
          }}
        >
          {SETTABLE_CLASSIFICATIONS.map((c) => (
            <option key={c} value={c}>
              {CLASSIFICATION_LABEL[c] ?? c}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor={`${id}-d`} className={label}>
        Determination
        <select
          id={`${id}-d`}
          className={field}
          value={value.determination}
          disabled={disabled}
          onChange={(event) => onChange({ ...value, determination: event.target.value })}
        >
          {determinationsFor(value.classification, source).map((d) => (
            <option key={d} value={d}>
              {DETERMINATION_LABEL[d] ?? d}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
