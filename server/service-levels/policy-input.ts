// Pure: a service-level policy form as people fill it in ("15m", "4h", "3d", "1h 30m"), read into
// a policy override and business hours, with a message per field that cannot be read.
import { z } from "zod";
import {
  SERVICE_LEVEL_SEVERITIES,
  validateBusinessHours,
  type BusinessHours,
  type ServiceLevelPolicyOverride,
  type SeverityTargets,
} from "../../lib/service-levels";
import { isTenantId } from "../../lib/ids";
import { isUserFacingError } from "../../lib/errors";

const UNIT_MINUTES: Record<string, number> = {
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
  d: 1440,
  day: 1440,
  days: 1440,
};
const MAX_MINUTES = 365 * 1440;

/** "90", "90m", "4h", "3d", "1h 30m" → minutes; "none" → null (no target); "" → undefined (not set). */
export function parseDuration(text: string): number | null | undefined {
  const value = text.trim().toLowerCase();
  if (value === "") return undefined;
  if (value === "none" || value === "-") return null;
  if (/^\d+$/.test(value)) return checked(Number(value));
  const parts = [...value.matchAll(/(\d+)\s*([a-z]+)/g)];
  if (
    parts.length === 0 ||
    parts
      .map((p) => p[0])
      .join("")
      .replace(/\s+/g, "") !== value.replace(/\s+/g, "")
  )
    return Number.NaN;
  let total = 0;
  for (const [, amount, unit] of parts) {
    const factor = UNIT_MINUTES[unit!];
    if (!factor) return Number.NaN;
    total += Number(amount) * factor;
  }
  return checked(total);
}

function checked(minutes: number): number {
  return minutes > 0 && minutes <= MAX_MINUTES ? minutes : Number.NaN;
}

/** Minutes as the form shows them: "15m", "4h", "3d", "1h 30m". */
export function durationInputText(minutes: number | null | undefined): string {
  if (minutes === undefined) return "";
  if (minutes === null) return "none";
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return minutes > 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
}

export type PolicyFormResult =
  { ok: true; scope: string; targets: ServiceLevelPolicyOverride; businessHours: BusinessHours | null } | { ok: false; fieldErrors: Record<string, string> };

const STEPS: Array<[keyof SeverityTargets, string]> = [
  ["acknowledgeMinutes", "acknowledge"],
  ["resolveMinutes", "resolve"],
];

const formSchema = z.object({
  scope: z.string().refine((v) => v === "default" || isTenantId(v), "Unknown customer"),
});

function text(form: Record<string, unknown>, key: string): string {
  const value = form[key];
  return typeof value === "string" ? value : Array.isArray(value) && typeof value[0] === "string" ? value[0] : "";
}

/**
 * Reads the policy form. For the default policy an empty field means no target; for a customer it
 * means "as the default" (and "none" means no target). Business hours apply to customers only.
 */
export function readPolicyForm(form: Record<string, unknown>): PolicyFormResult {
  const fieldErrors: Record<string, string> = {};
  const scopeParse = formSchema.safeParse({ scope: text(form, "scope") });
  if (!scopeParse.success) return { ok: false, fieldErrors: { scope: "Unknown customer" } };
  const scope = scopeParse.data.scope;
  const isDefault = scope === "default";
  const targets: ServiceLevelPolicyOverride = {};
  for (const severity of SERVICE_LEVEL_SEVERITIES) {
    for (const [key, step] of STEPS) {
      const name = `${severity}.${step}`;
      const parsed = parseDuration(text(form, name));
      if (Number.isNaN(parsed)) {
        fieldErrors[name] = `Write a time such as 15m, 4h, 3d or 1h 30m (at most 365 days)${isDefault ? "" : ", or none for no target"}.`;
        continue;
      }
      const value = parsed === undefined ? (isDefault ? null : undefined) : parsed;
      if (value !== undefined) targets[severity] = { ...targets[severity], [key]: value };
    }
  }
  let businessHours: BusinessHours | null = null;
  if (!isDefault && text(form, "hoursMode") === "business") {
    const raw = form.weekday;
    const weekdays = [
      ...new Set((Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(Number).filter((d) => Number.isInteger(d) && d >= 0 && d <= 6)),
    ];
    businessHours = { timeZone: text(form, "timeZone").trim(), weekdays, start: text(form, "start").trim(), end: text(form, "end").trim() };
    try {
      validateBusinessHours(businessHours);
    } catch (error) {
      if (!isUserFacingError(error)) throw error;
      fieldErrors.businessHours = error.message;
    }
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  return { ok: true, scope, targets, businessHours };
}
