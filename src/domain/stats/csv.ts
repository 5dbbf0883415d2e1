/**
 * RFC 4180 CSV: a header row, CRLF after every record, a field quoted (with its quotes doubled)
 * when it holds a comma, a double quote, CR or LF. null and undefined are empty fields.
 *
 * Spreadsheet formula injection (OWASP "CSV Injection"): a text field starting with `=`, `+`,
 * `-`, `@`, a tab or CR would be evaluated by Excel, LibreOffice or Sheets when the file is
 * opened, so it is prefixed with `'` (which the spreadsheet shows as text). Numbers are written
 * as they are: a negative number is data, not a formula.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
/** Text that needs either: one test for the usual field, which needs neither. */
const NEEDS_CARE = new RegExp(`${FORMULA_START.source}|${NEEDS_QUOTES.source}`);

export function csvField(value: CsvValue): string {
  if (typeof value === "string" && !NEEDS_CARE.test(value)) return value;
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The header row and one record per row, each row's values in the order of `columns`, CRLF after
 * every record. The export writes its CSV from stored parts (stats-export.ts); this is the plain
 * writer its tests hold it to.
 */
export function toCsv<K extends string>(columns: readonly K[], rows: readonly Readonly<Record<K, CsvValue>>[]): string {
  const record = (values: readonly CsvValue[]) => values.map(csvField).join(",");
  return [record(columns), ...rows.map((row) => record(columns.map((c) => row[c]))), ""].join("\r\n");
}
