// Working-time arithmetic for service levels: which minutes count, in a customer's own time zone.
// Pure (Intl only, no date library): pages, client components and the server share it.
import { UserFacingError } from "./errors";

/** A customer's working week in its own time zone; `null` where one is expected means 24×7. */
export interface BusinessHours {
  /** IANA zone, e.g. "Europe/Berlin": opening times follow its daylight-saving changes. */
  timeZone: string;
  /** Days open, 0 = Sunday … 6 = Saturday. */
  weekdays: number[];
  /** Local opening time, "HH:MM". */
  start: string;
  /** Local closing time, "HH:MM" ("24:00" for midnight at the end of the day); after `start`. */
  end: string;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
const CLOCK = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** Thrown for business hours that cannot be used; the message names the field and is safe to show. */
export class InvalidBusinessHoursError extends UserFacingError {
  constructor(message: string) {
    super(message, "InvalidBusinessHours");
  }
}

interface Schedule {
  zone: string;
  open: boolean[]; // by weekday
  startMinute: number;
  endMinute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function minuteOfDay(value: unknown, field: "start" | "end"): number {
  const match = typeof value === "string" ? CLOCK.exec(value) : null;
  if (!match || (field === "start" && match[3]))
    throw new InvalidBusinessHoursError(
      `businessHours.${field} must be a time "HH:MM" (00:00 to 23:59; 24:00 is allowed for end), not ${JSON.stringify(value)}.`,
    );
  return Number(match[1] ?? match[3]) * 60 + Number(match[2] ?? match[4]);
}

/** Checks business hours and reads them once; throws InvalidBusinessHoursError naming the field. */
function scheduleOf(hours: BusinessHours): Schedule {
  if (typeof hours.timeZone !== "string" || hours.timeZone === "")
    throw new InvalidBusinessHoursError("businessHours.timeZone is required (an IANA zone such as Europe/Berlin).");
  try {
    formatterFor(hours.timeZone);
  } catch {
    throw new InvalidBusinessHoursError(`businessHours.timeZone ${JSON.stringify(hours.timeZone)} is not a known IANA time zone (such as Europe/Berlin).`);
  }
  if (!Array.isArray(hours.weekdays) || hours.weekdays.length === 0)
    throw new InvalidBusinessHoursError("businessHours.weekdays must list at least one day (0 = Sunday … 6 = Saturday).");
  const open: boolean[] = Array<boolean>(7).fill(false);
  for (const day of hours.weekdays) {
    if (!Number.isInteger(day) || day < 0 || day > 6)
      throw new InvalidBusinessHoursError(`businessHours.weekdays holds ${JSON.stringify(day)}: each day is 0 (Sunday) to 6 (Saturday).`);
    open[day] = true;
  }
  const startMinute = minuteOfDay(hours.start, "start");
  const endMinute = minuteOfDay(hours.end, "end");
  if (startMinute >= endMinute) throw new InvalidBusinessHoursError(`businessHours.start (${hours.start}) must be before businessHours.end (${hours.end}).`);
  return { zone: hours.timeZone, open, startMinute, endMinute };
}

/** Throws InvalidBusinessHoursError (naming the field) unless `hours` can be used; null (24×7) always can. */
export function validateBusinessHours(hours: BusinessHours | null): void {
  if (hours) scheduleOf(hours);
}

// Intl is slow (~10 µs a call), so offsets are read once per zone and week: if a week's two ends
// agree, the week has no change (zones never change twice within a week); if not, the change is
// found to the minute by bisection. Cached across calls, so a queue of incidents pays once.
interface Week {
  before: number;
  after: number;
  changeAt: number; // first instant with `after`; Infinity when the week has no change
}
const weeks = new Map<string, Week>();
const rawOffsets = new Map<string, number>();

function rawOffset(zone: string, instant: number): number {
  const key = `${zone}@${instant}`;
  const cached = rawOffsets.get(key);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const part of formatterFor(zone).formatToParts(instant)) if (part.type !== "literal") parts[part.type] = Number(part.value);
  const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, (parts.hour ?? 0) % 24, parts.minute ?? 0, parts.second ?? 0);
  const offset = wall - (instant - (((instant % 1000) + 1000) % 1000));
  if (rawOffsets.size > 4000) rawOffsets.clear();
  rawOffsets.set(key, offset);
  return offset;
}

let lastWeek: { zone: string; index: number; week: Week } | null = null;

function weekOf(zone: string, index: number): Week {
  // Consecutive lookups almost always hit the same week: skip building the key.
  if (lastWeek && lastWeek.index === index && lastWeek.zone === zone) return lastWeek.week;
  const key = `${zone}#${index}`;
  let week = weeks.get(key);
  if (!week) {
    let low = index * WEEK;
    let high = low + WEEK;
    const before = rawOffset(zone, low);
    const after = rawOffset(zone, high);
    if (before !== after) {
      while (high - low > MINUTE) {
        const middle = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
        if (rawOffset(zone, middle) === before) low = middle;
        else high = middle;
      }
    }
    week = { before, after, changeAt: before === after ? Infinity : high };
    if (weeks.size > 2000) weeks.clear();
    weeks.set(key, week);
  }
  lastWeek = { zone, index, week };
  return week;
}

/** Local wall time minus UTC, in ms, at `instant`. */
function offsetAt(zone: string, instant: number): number {
  const week = weekOf(zone, Math.floor(instant / WEEK));
  return instant < week.changeAt ? week.before : week.after;
}

/** The instant a local wall time (as ms since the epoch, read as if UTC) happens. A time skipped by
 * a spring-forward change moves forward by the change; a time repeated in autumn is its first occurrence. */
function instantOf(zone: string, wall: number): number {
  const first = offsetAt(zone, wall - DAY);
  const second = offsetAt(zone, wall + DAY);
  if (first === second) return wall - first;
  // Near a change: prefer the earlier offset when it yields this wall time, else the later one.
  if (offsetAt(zone, wall - first) === first) return wall - first;
  if (offsetAt(zone, wall - second) === second) return wall - second;
  return wall - Math.min(first, second);
}

/** The local calendar day of `instant`, as days since 1970-01-01. */
function localDay(zone: string, instant: number): number {
  return Math.floor((instant + offsetAt(zone, instant)) / DAY);
}

/** The instants a working day opens and closes, or null when that day is closed. */
function openingOf(schedule: Schedule, day: number): { open: number; close: number } | null {
  if (!schedule.open[(((day + 4) % 7) + 7) % 7]) return null; // 1970-01-01 was a Thursday
  return {
    open: instantOf(schedule.zone, day * DAY + schedule.startMinute * MINUTE),
    close: instantOf(schedule.zone, day * DAY + schedule.endMinute * MINUTE),
  };
}

function checkMinutes(minutes: number): void {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`minutes must be a finite number of at least 0, not ${minutes}.`);
}

/**
 * The instant `minutes` working minutes after `start`: the clock waits for the next opening when
 * `start` is outside hours, and a count that runs out exactly at closing ends then (not at the next
 * opening). `hours` null is 24×7.
 */
export function addWorkingMinutes(start: Date, minutes: number, hours: BusinessHours | null): Date {
  checkMinutes(minutes);
  if (!hours) return new Date(start.getTime() + minutes * MINUTE);
  const schedule = scheduleOf(hours);
  if (minutes === 0) return new Date(start.getTime());
  let remaining = minutes * MINUTE;
  // Day by day, from the day before (hours ending at 24:00 reach into the next day); the
  // validation guarantees an open day every week, so this ends.
  for (let day = localDay(schedule.zone, start.getTime()) - 1; ; day++) {
    const opening = openingOf(schedule, day);
    if (!opening) continue;
    const from = Math.max(opening.open, start.getTime());
    if (from >= opening.close) continue;
    if (remaining <= opening.close - from) return new Date(from + remaining);
    remaining -= opening.close - from;
  }
}

/** Working minutes from `from` to `to` (0 when `to` is not after `from`); `hours` null is 24×7. */
export function workingMinutesBetween(from: Date, to: Date, hours: BusinessHours | null): number {
  const start = from.getTime();
  const end = to.getTime();
  if (!hours) return Math.max(0, end - start) / MINUTE;
  const schedule = scheduleOf(hours);
  if (end <= start) return 0;
  let total = 0;
  const last = localDay(schedule.zone, end);
  for (let day = localDay(schedule.zone, start) - 1; day <= last; day++) {
    const opening = openingOf(schedule, day);
    if (opening) total += Math.max(0, Math.min(opening.close, end) - Math.max(opening.open, start));
  }
  return total / MINUTE;
}

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** Business hours as people read them, Monday first: "Mon, Tue 09:00–17:00 (Europe/Berlin)"; none: "24×7". */
export function businessHoursText(hours: BusinessHours | null): string {
  if (!hours) return "24×7";
  const days = [...hours.weekdays].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => DAY_NAMES[d]);
  return `${days.join(", ")} ${hours.start}–${hours.end} (${hours.timeZone})`;
}
