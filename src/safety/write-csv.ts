/** Characters that make spreadsheets read a cell as a formula (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  // Text (titles, notes) that a spreadsheet would run as a formula is prefixed with a quote; numbers are not text.
  const safe = FORMULA_START.test(v) && !/^-?\d/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 CSV text from a header and rows, CRLF line ends. */
export function writeCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>,
): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
