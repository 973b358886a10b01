"use client";

import { useActionState } from "react";
import type { ActionResult } from "@/server/auth/staff-action";

/** What was typed into a form, by field name; a repeated field (checkboxes) has every value. */
export type TypedValues = Record<string, string[]>;

type State<T> = { result: ActionResult<T>; values: TypedValues } | null;

/**
 * A form's server action that keeps what was typed: React resets an action form after submit, so a
 * refused submission (validation, permission) would otherwise lose the person's input. `typed` is
 * that input after a refusal and null otherwise; give the form `key={JSON.stringify(typed)}` so its
 * fields take the typed values as their defaults again.
 */
export function useKeptValuesAction<T>(action: (form: FormData) => Promise<ActionResult<T>>) {
  const [state, submit, pending] = useActionState(async (_: State<T>, form: FormData): Promise<State<T>> => {
    const values: TypedValues = {};
    for (const [key, value] of form.entries()) if (typeof value === "string") (values[key] ??= []).push(value);
    return { result: await action(form), values };
  }, null);
  const result = state?.result ?? null;
  return { result, typed: state && !state.result.ok ? state.values : null, submit, pending };
}
