/** Prometheus rejects range queries of more than 11,000 points per series. */
export const MAX_POINTS_PER_SERIES = 11_000;

/**
 * Splits [start, end] (ms) into consecutive sub-ranges on the same step grid (start + k·step), each with at most
 * `maxPoints` points, so that together they ask for exactly the points of the whole range.
 */
export function splitRange(
  start: number,
  end: number,
  step: number,
  maxPoints = MAX_POINTS_PER_SERIES,
): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const span = (maxPoints - 1) * step;
  for (let s = start; s <= end; s += maxPoints * step) out.push({ start: s, end: Math.min(end, s + span) });
  return out;
}
