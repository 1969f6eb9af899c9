import { parseDuration } from '../time/duration.js';

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A time given by a person, in ms since the epoch: `now`; epoch milliseconds; an ISO 8601 date or date-time (UTC
 * unless it names an offset); or a duration meaning that long before `now` (`90m`, `12w`). Undefined otherwise.
 * With `relative: false` only absolute times are accepted (imports: a file must mean the same tomorrow).
 */
export function parseTimeArg(
  text: string,
  now: number,
  opts: { relative?: boolean } = {},
): number | undefined {
  const relative = opts.relative ?? true;
  const s = text.trim();
  if (!s) return undefined;
  if (s === 'now') return relative ? now : undefined;
  if (/^\d{10,16}$/.test(s)) return Number(s);
  const iso = ISO.exec(s);
  if (iso) {
    const [, date, time, zone] = iso;
    const t = Date.parse(time ? `${date}T${time}${zone ?? 'Z'}` : `${date}T00:00:00Z`);
    // Date.parse rolls 2025-02-30 over into March: refuse days the month does not have.
    const valid =
      Number.isFinite(Date.parse(`${date}T12:00:00Z`)) &&
      new Date(`${date}T12:00:00Z`).toISOString().startsWith(date);
    return Number.isFinite(t) && valid ? t : undefined;
  }
  const ago = relative ? parseDuration(s) : undefined;
  return ago === undefined ? undefined : now - ago;
}
