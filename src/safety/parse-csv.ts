/** One CSV record and the line it starts on (1-based; quoted fields may span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

/**
 * Parses RFC 4180 CSV: comma-separated fields, CRLF or LF line ends, fields quoted with `"` (a quote inside doubled)
 * may hold commas and line breaks. Blank lines are skipped and a leading byte-order mark dropped. A record with a
 * problem (a stray or unterminated quote) is reported and left out, so every problem in a file is found at once.
 */
export function parseCsv(text: string): { records: CsvRecord[]; problems: CsvProblem[] } {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const start = line;
    const fields: string[] = [];
    let problem: string | null = null;
    for (;;) {
      let field = '';
      if (src[i] === '"') {
        const open = line;
        i++;
        for (;;) {
          if (i >= src.length) {
            problem ??= `unterminated quoted field (opened on line ${open})`;
            break;
          }
          const c = src[i];
          if (c === '"' && src[i + 1] === '"') {
            field += '"';
            i += 2;
          } else if (c === '"') {
            i++;
            break;
          } else {
            if (c === '\n') line++;
            field += c;
            i++;
          }
        }
        if (i < src.length && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') {
          problem ??= `unexpected text after the closing quote of field ${fields.length + 1}`;
          while (i < src.length && src[i] !== ',' && src[i] !== '\n') i++;
        }
      } else {
        while (
          i < src.length &&
          src[i] !== ',' &&
          src[i] !== '\n' &&
          !(src[i] === '\r' && src[i + 1] === '\n')
        ) {
          if (src[i] === '"')
            problem ??= `a quote inside unquoted field ${fields.length + 1}; quote the whole field`;
          field += src[i++];
        }
      }
      fields.push(field);
      if (src[i] === ',') {
        i++;
        continue;
      }
      if (src[i] === '\r') i++;
      if (src[i] === '\n') {
        i++;
        line++;
      }
      break;
    }
    if (problem) problems.push({ line: start, message: problem });
    else if (!(fields.length === 1 && fields[0].trim() === '')) records.push({ line: start, fields });
  }
  return { records, problems };
}
