/** Safe to pass unquoted in any shell context. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Single-quotes a value for a POSIX shell (`it's` → `'it'\''s'`); plain words stay as they are. */
export function shellQuote(value: string): string {
  return PLAIN.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

type QuoteState = 'none' | 'single' | 'double';

function quoteIn(state: QuoteState, value: string): string {
  if (state === 'single') return value.replace(/'/g, `'\\''`); // close, escaped quote, reopen
  if (state === 'double') return value.replace(/[\\$`"]/g, '\\$&');
  return shellQuote(value);
}

/**
 * Fills `{{name}}` placeholders in a shell command with values quoted for where they stand: bare, inside
 * '…' or inside "…". A version such as `v1;rm -rf /` or `$(reboot)` stays one literal argument.
 * Unknown placeholders are left as written (the config schema rejects them).
 */
export function renderCommand(template: string, vars: Readonly<Record<string, string>>): string {
  let out = '';
  let state: QuoteState = 'none';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('{{', i)) {
      const m = /^\{\{\s*([A-Za-z0-9_]+)\s*\}\}/.exec(template.slice(i));
      if (m && Object.hasOwn(vars, m[1])) {
        out += quoteIn(state, vars[m[1]]);
        i += m[0].length;
        continue;
      }
    }
    const c = template[i];
    if (c === '\\' && state !== 'single') {
      out += template.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (state === 'none' && c === "'") state = 'single';
    else if (state === 'none' && c === '"') state = 'double';
    else if ((state === 'single' && c === "'") || (state === 'double' && c === '"')) state = 'none';
    out += c;
    i++;
  }
  return out;
}
