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
 * The header row and `count` records: `writeRecord(r, fields)` puts record `r`'s fields, already
 * written as CSV (csvField), at the start of `fields` and returns how many. Each record is joined
 * into a flat string and the file joined once: appending with `+=` would leave a rope of one
 * string object per field (450,000 for 25,000 records) for the garbage collector to copy.
 */
function csvRecords(header: readonly string[], count: number, writeRecord: (r: number, fields: string[]) => number): string {
  const records = new Array<string>(count + 2);
  records[0] = header.map(csvField).join(",");
  const fields: string[] = [];
  for (let r = 0; r < count; r++) {
    fields.length = writeRecord(r, fields);
    records[r + 1] = fields.join(",");
  }
  records[count + 1] = ""; // the CRLF after the last record
  return records.join("\r\n");
}

/** The header row and one record per row, each row's values in the order of `columns`. */
export function toCsv<K extends string>(columns: readonly K[], rows: readonly Readonly<Record<K, CsvValue>>[]): string {
  return csvRecords(columns, rows.length, (r, fields) => {
    const row = rows[r]!;
    for (let i = 0; i < columns.length; i++) fields[i] = csvField(row[columns[i]!]);
    return columns.length;
  });
}
