// Defender XDR timestamps look like .NET round-trip strings: UTC with seven fractional digits
// ("2024-05-01T12:34:56.1234567Z"). Keeping every stored value in that one format lets the
// emulator compare times as plain strings without losing the sub-millisecond digits.

/** Formats epoch milliseconds, optionally with extra sub-millisecond digits (0-9999). */
export function formatDefenderTime(ms: number, subMillisecondTicks = 0): string {
  const iso = new Date(ms).toISOString(); // 2024-05-01T12:34:56.123Z
  return `${iso.slice(0, 23)}${String(subMillisecondTicks).padStart(4, "0")}Z`;
}

const LITERAL = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Normalises an OData datetime literal to the stored format, or returns null when it is not one.
 * Accepts date-only values and explicit offsets, as the Defender API does.
 */
export function normalizeDefenderTime(literal: string): string | null {
  const m = LITERAL.exec(literal.trim());
  if (!m) return null;
  const [, date, hh = "00", mm = "00", ss = "00", fraction = "", zone = "Z"] = m;
  const digits = fraction.padEnd(7, "0");
  const ms = Date.parse(`${date}T${hh}:${mm}:${ss}.${digits.slice(0, 3)}${zone}`);
  if (Number.isNaN(ms)) return null;
  return formatDefenderTime(ms, Number(digits.slice(3)));
}

export function defenderTimeToMs(value: string): number {
  return Date.parse(value.replace(/(\.\d{3})\d+Z$/, "$1Z"));
}
