// Every way the portal writes a time for people, in one place. All in UTC, so the server's render
// and the browser's hydration agree whatever the time zones; the exact value goes in a title.
// Pure: no server or Node imports.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2026-12-01 13:07 UTC": timestamps in detail views and the audit trail. */
export function utcMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "2026-12-01 13:07:22 UTC": the exact value, for a hover title. */
export function utcSecond(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** "13:07 UTC": a moment later today, to the minute (when a sync resumes). */
export function utcTime(date: Date): string {
  return `${date.toISOString().slice(11, 16)} UTC`;
}

/** "13:07:22 UTC": a moment later today (a rate limit's end). */
export function utcClock(date: Date): string {
  return `${date.toISOString().slice(11, 19)} UTC`;
}

/** "Mar 04 13:07": compact, for dense tables. */
export function compactUtc(date: Date): string {
  return `${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, "0")} ${date.toISOString().slice(11, 16)}`;
}

/** "1 February 2027": a day people plan around (the Defender API's retirement). */
export function longDay(date: Date): string {
  return `${date.getUTCDate()} ${LONG_MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "9 December 2026 at 13:07 UTC": a deadline in a message people read outside the portal (an email). */
export function longDayTime(date: Date): string {
  return `${longDay(date)} at ${utcTime(date)}`;
}

/** "2026-12-01-13-07": a timestamp inside a file name. */
export function fileStamp(date: Date): string {
  return date.toISOString().slice(0, 16).replace(/[:T]/g, "-");
}

/** "42 s", "3 min", "2 h", "5 d": how old something is ("never" when it never happened). */
export function formatAge(ms: number | null): string {
  if (ms === null) return "never";
  const s = Math.round(ms / 1000);
  if (s < 90) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.round(h / 24)} d`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago": a past moment relative to `now`. */
export function timeAgo(then: Date, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - then.getTime()) / 60_000));
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h ago`;
  return `${Math.round(minutes / 1440)} d ago`;
}

/**
 * How a duration reads, by where it is shown:
 * - "elapsed" (default): how long something took, as the overview's medians. "< 1 min" under half a
 *   minute, a day or more to the nearest hour ("2 d 4 h"); "—" for no value.
 * - "span": time left, late or worked against a target: a day or more drops the spare minutes, so it
 *   never claims more time than there is ("2 d 5 h"); "0 min" when none.
 * - "countdown": a span toward a deadline: "due in 42 min", "overdue by 2 h", "due now".
 * - "target": a service-level target as configured, exact: "15 min", "4 h", "36 h", "2 d".
 * The last three read "no target" for no value.
 */
export type DurationStyle = "elapsed" | "span" | "countdown" | "target";

/**
 * The portal's one duration formatter: "42 min", "3 h 5 min", "2 d 4 h" (at most two units except a
 * target). `unit` is the value's unit (minutes unless said otherwise).
 */
export function formatDuration(value: number | null | undefined, options: { style?: DurationStyle; unit?: "minutes" | "seconds" } = {}): string {
  const { style = "elapsed", unit = "minutes" } = options;
  if (value == null || !Number.isFinite(value)) return style === "elapsed" ? "—" : "no target";
  const minutes = unit === "seconds" ? value / 60 : value;
  switch (style) {
    case "elapsed": {
      const whole = Math.round(Math.max(0, minutes));
      return whole < 1 ? "< 1 min" : span(whole, "round");
    }
    case "span":
      return span(Math.round(Math.abs(minutes)), "floor");
    case "countdown": {
      const whole = Math.round(Math.abs(minutes));
      if (whole === 0) return "due now";
      return `${minutes < 0 ? "overdue by" : "due in"} ${span(whole, "floor")}`;
    }
    case "target":
      return span(minutes, "whole");
  }
}

/**
 * Minutes in at most two units. A day or more: "round" to the nearest hour, "floor" drops the spare
 * minutes, "whole" writes days only when they are whole ("36 h", "25 h 1 min", "2 d").
 */
function span(minutes: number, days: "round" | "floor" | "whole"): string {
  if (days === "whole" && minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 1440 || days === "whole") return join(Math.floor(minutes / 60), "h", minutes % 60, "min");
  if (days === "floor") return join(Math.floor(minutes / 1440), "d", Math.floor((minutes % 1440) / 60), "h");
  const hours = Math.round(minutes / 60);
  return join(Math.floor(hours / 24), "d", hours % 24, "h");
}

function join(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor ? `${major} ${majorUnit} ${minor} ${minorUnit}` : `${major} ${majorUnit}`;
}
