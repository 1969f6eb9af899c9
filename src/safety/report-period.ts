/** Report buckets. All are UTC calendar periods: ISO weeks (Monday 00:00), months, quarters. */
export type Period = 'week' | 'month' | 'quarter';
export const PERIODS: readonly Period[] = ['week', 'month', 'quarter'];

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** The start of the period containing t. */
export function periodStart(t: number, period: Period): number {
  const d = new Date(t);
  if (period === 'week') {
    const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    return midnight - ((d.getUTCDay() + 6) % 7) * DAY; // days since Monday
  }
  const month = period === 'month' ? d.getUTCMonth() : d.getUTCMonth() - (d.getUTCMonth() % 3);
  return Date.UTC(d.getUTCFullYear(), month, 1);
}

/** The start of the period k periods after the one starting at `start` (k may be negative). */
export function addPeriods(start: number, period: Period, k: number): number {
  if (period === 'week') return start + k * WEEK;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k * (period === 'month' ? 1 : 3), 1);
}

/** `2025-W10`, `2025-03`, `2025-Q1`. */
export function periodLabel(start: number, period: Period): string {
  const d = new Date(start);
  if (period === 'month') return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  if (period === 'quarter') return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
  // ISO week: the week belongs to the year of its Thursday.
  const thursday = new Date(start + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / WEEK) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
