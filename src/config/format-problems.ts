import type { ErrorDetail } from '../errors/releasebot-error.js';

export interface FormatProblemsOptions {
  /** The file's text: when given, each problem shows its line with a caret under the column. */
  source?: string;
  /** ANSI colours, for terminals. */
  color?: boolean;
}

// Lines that may hold a secret written in plain text are never echoed back.
const SECRET_LINE = /(token|secret|password|passwd|routingkey|api[_-]?key|authorization)\w*["']?\s*:/i;

/** Renders problems for a terminal, one `file:line:column: path: message` block each. */
export function formatProblems(problems: readonly ErrorDetail[], opts: FormatProblemsOptions = {}): string {
  const lines = opts.source?.split(/\r?\n/);
  const paint = (code: string, s: string): string => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const out: string[] = [];
  for (const p of problems) {
    const where = p.file ? `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}: ` : '';
    out.push(`${paint('1', where)}${p.path ? `${paint('36', p.path)}: ` : ''}${p.message}`);
    const text = lines && p.line ? lines[p.line - 1] : undefined;
    if (text !== undefined && !SECRET_LINE.test(text)) {
      const gutter = String(p.line).padStart(5);
      out.push(`${gutter} | ${text}`);
      out.push(`${' '.repeat(5)} | ${' '.repeat(Math.max(0, (p.column ?? 1) - 1))}${paint('31', '^')}`);
    }
  }
  return out.join('\n');
}
