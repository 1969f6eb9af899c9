import type { ResolvedCheck, ResolvedService } from '../config/resolved-config.js';
import { JUDGE_DEFAULTS, resolveSettings } from './judge-settings.js';
import { DAY_MS, WEEK_MS } from './seasonal-profile.js';

/** A time range to fetch, ms, both ends inclusive. */
export interface HistoryRange {
  from: number;
  to: number;
}

/** Extra time after the planned pipeline covered by the dynamic thresholds (holds, slow gates). */
export const PROFILE_SLACK_MS = 60 * 60_000;

/** The planned length of a deploy: the sum of its stages' bakes, ms. */
export function pipelineMs(service: ResolvedService): number {
  return service.stages.reduce((a, s) => a + s.bakeMs, 0);
}

/**
 * The history a check needs, fetched once when a deploy starts: the last 3 days whole (the pre-deploy baseline
 * and earlier deploys' cohorts for the noise model), plus the same stretch of time on previous days and weeks for
 * the dynamic thresholds. Ranges end before `deployStart`, are sorted and do not overlap. With `check` omitted,
 * the union over the service's checks. Typically 5 ranges and about 5,000 samples per series.
 */
export function historyRanges(
  service: ResolvedService,
  deployStart: number,
  check?: ResolvedCheck,
): HistoryRange[] {
  const checks = check ? [check] : service.checks;
  const raw: HistoryRange[] = [{ from: deployStart - JUDGE_DEFAULTS.recentMs, to: deployStart }];
  const span = pipelineMs(service) + PROFILE_SLACK_MS;
  for (const c of checks) {
    const s = resolveSettings(c, service);
    const before = Math.max(s.zscore?.baselineMs ?? 0, service.baselineMs);
    raw.push({ from: deployStart - before, to: deployStart });
    if (!s.dynamic) continue;
    const half = s.dynamic.windowMs / 2;
    const add = (shift: number): void => {
      raw.push({
        from: deployStart - shift - before - half,
        to: Math.min(deployStart, deployStart - shift + span + half),
      });
    };
    for (let k = 1; k <= s.dynamic.days; k++) add(k * DAY_MS);
    for (let k = 1; k <= s.dynamic.weeks; k++) add(k * WEEK_MS);
  }
  return mergeRanges(raw);
}

/** Sorts and merges overlapping or touching ranges. */
export function mergeRanges(ranges: HistoryRange[]): HistoryRange[] {
  const sorted = ranges.filter((r) => r.to >= r.from).sort((a, b) => a.from - b.from);
  const out: HistoryRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}
