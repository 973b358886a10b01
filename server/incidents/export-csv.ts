// Pure: CSV cells and rows (RFC 4180) with a guard against spreadsheet formula injection.

/**
 * Text that Excel, LibreOffice or Sheets may read as a formula: one of = + - @ (or their
 * full-width forms, which some locales accept) at the start, also behind leading spaces, tabs or
 * line breaks, which importers trim (" =1+1", "\n=cmd"); and a leading tab or carriage return.
 */
const FORMULA_START = /^(?:[\s\u00a0\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r])/;

export type CsvValue = string | number | boolean | Date | null | undefined | readonly string[];

/**
 * One cell. Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice);
 * numbers stay numbers. Quotes, commas and line breaks are quoted.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  let text = value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join("; ") : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
