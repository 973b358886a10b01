// Pure: what the database's columns can hold. A value from a URL outside these ranges would make
// PostgreSQL refuse the whole query (a 500); callers treat it as absent instead.

/** PostgreSQL's bigint (int8) maximum: ids (incident ids, audit event ids) are bigint columns. */
export const INT8_MAX = 9_223_372_036_854_775_807n;

/** A positive whole number written in plain decimal digits that fits a bigint column. */
export function isInt8Id(text: string): boolean {
  return /^\d{1,19}$/.test(text) && BigInt(text) <= INT8_MAX;
}

/** Years 1000 to 9999: what an ISO date with four-digit years means, and what timestamptz holds. */
const EARLIEST = Date.UTC(1000, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);

/** A real instant that a timestamp column stores as it is (no year 0, no five-digit years). */
export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return Number.isFinite(time) && time >= EARLIEST && time < LATEST;
}

/** Text PostgreSQL accepts in a query: no NUL or other control characters. */
export function isPlainText(text: string): boolean {
  return !/[\u0000-\u001f\u007f]/.test(text);
}
