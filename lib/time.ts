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
