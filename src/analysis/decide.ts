import { JUDGE_DEFAULTS } from './judge-settings.js';
import type { CheckResult, Decision } from './verdict.js';

/**
 * The decision over one evaluation's results, a pure function of them:
 * - any breaching check whose action is `rollback` -> rollback; else `pause` -> pause;
 * - breaching `alert` checks are listed in `alerts` and change nothing else;
 * - `no_data` / `error` -> hold (do not advance the stage), and pause (`blind`) once a check has gone without
 *   usable data for more than its grace (evaluations, default 2); never continue;
 * - otherwise continue.
 * `grace` is a number for all checks or one per check name (missing names get the default).
 */
export function decide(
  results: readonly CheckResult[],
  grace: number | Readonly<Record<string, number>> = JUDGE_DEFAULTS.grace,
): Decision {
  const alerts: string[] = [];
  const rollback: CheckResult[] = [];
  const pause: CheckResult[] = [];
  const blind: CheckResult[] = [];
  const waiting: CheckResult[] = [];
  for (const r of results) {
    if (r.verdict === 'breach') {
      if (r.action === 'rollback') rollback.push(r);
      else if (r.action === 'pause') pause.push(r);
      else alerts.push(r.name);
    } else if (r.verdict === 'no_data' || r.verdict === 'error') {
      const g = typeof grace === 'number' ? grace : (grace[r.name] ?? JUDGE_DEFAULTS.grace);
      if ((r.evidence.missing ?? 1) > g) blind.push(r);
      else waiting.push(r);
    }
  }
  if (rollback.length)
    return {
      action: 'rollback',
      reason: reasons(rollback),
      alerts,
      culprits: rollback.map((r) => r.name),
      blind: false,
    };
  if (pause.length)
    return {
      action: 'pause',
      reason: reasons(pause),
      alerts,
      culprits: pause.map((r) => r.name),
      blind: false,
    };
  if (blind.length)
    return {
      action: 'pause',
      reason: reasons(blind),
      alerts,
      culprits: blind.map((r) => r.name),
      blind: true,
    };
  if (waiting.length) return { action: 'hold', reason: reasons(waiting), alerts, culprits: [], blind: false };
  const alertText = alerts.length
    ? `; alerts: ${reasons(results.filter((r) => r.verdict === 'breach'))}`
    : '';
  return { action: 'continue', reason: `all checks passed${alertText}`, alerts, culprits: [], blind: false };
}

function reasons(rs: readonly CheckResult[]): string {
  let out = '';
  for (const r of rs) out = out ? `${out} | ${r.reason}` : r.reason;
  return out;
}
