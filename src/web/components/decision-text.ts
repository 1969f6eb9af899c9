import { normSf } from '../../analysis/normal.js';
import type { CheckResult } from '../../analysis/verdict.js';
import type { DeployDetailsAnswer } from '../api-types.js';
import {
  formatChange,
  formatDuration,
  formatP,
  formatTime,
  formatValue,
  sig,
  type ValueUnit,
} from '../format.js';
import { serverNow } from '../server-clock.js';

const TEST_NAME: Record<string, string> = { rate: 'rate test', paired: 'paired test', rank: 'rank test' };

/**
 * The judge's one line for a result. Passing results are stored without it (only their evidence), so for those the
 * line is rebuilt here from the same numbers.
 */
export function resultLine(r: CheckResult): string {
  if (r.reason) return r.reason;
  const ev = r.evidence;
  const unit = (ev.unit ?? '') as ValueUnit;
  const parts: string[] = [];
  if (ev.canaryValue !== undefined && ev.baselineValue !== undefined) {
    const effect = ev.effect !== undefined ? `${formatChange(ev.effect)}, ` : '';
    const p =
      ev.pValue !== undefined ? `${TEST_NAME[ev.test ?? ''] ?? 'comparison'} p=${formatP(ev.pValue)}` : '';
    parts.push(
      `canary ${formatValue(ev.canaryValue, unit)} vs baseline ${formatValue(ev.baselineValue, unit)} (${effect}${p})`,
    );
  } else if (ev.value !== undefined) {
    parts.push(
      `all ${formatValue(ev.value, unit)}${ev.baselineMean !== undefined ? ` vs ${formatValue(ev.baselineMean, unit)} before` : ''}`,
    );
  }
  if (ev.z !== undefined) parts.push(`z=${sig(ev.z, 2)}`);
  return `${r.name}: ${parts.join('; ') || r.verdict}`;
}

/**
 * A check's verdict in words a newcomer follows, with its numbers: which detector fired, the values compared and
 * the limit crossed. Falls back to the judge's own one-line reason.
 */
export function explainResult(r: CheckResult): string {
  const ev = r.evidence;
  const unit = (ev.unit ?? '') as ValueUnit;
  const v = (x: number | undefined) => (x === undefined ? '?' : formatValue(x, unit));
  switch (ev.detector) {
    case 'canary': {
      if (ev.canaryValue === undefined || ev.baselineValue === undefined) break;
      const test = TEST_NAME[ev.test ?? ''] ?? 'comparison';
      const limit =
        ev.boundary !== undefined ? `, below this stage's limit of ${formatP(normSf(ev.boundary))}` : '';
      const effect = ev.effect !== undefined ? ` (${formatChange(ev.effect)})` : '';
      const p =
        ev.pValue !== undefined
          ? `; the ${test} gives p=${formatP(ev.pValue)}${limit}, so chance is an unlikely explanation`
          : '';
      return `${r.name}: the new version (canary) had ${v(ev.canaryValue)} against ${v(ev.baselineValue)} on the old version (baseline)${effect}${p}.`;
    }
    case 'zscore':
      if (ev.value === undefined || ev.baselineMean === undefined) break;
      return `${r.name}: the whole service had ${v(ev.value)} against ${v(ev.baselineMean)} before the deploy, z=${sig(ev.z ?? NaN, 2)} spreads away${ev.zThreshold !== undefined ? ` (limit ${ev.zThreshold})` : ''}.`;
    case 'static':
      if (ev.value === undefined) break;
      return `${r.name}: the whole service had ${v(ev.value)}, beyond the static threshold of ${v(ev.effectiveThreshold ?? ev.staticThreshold)}.`;
    case 'dynamic':
      if (ev.value === undefined) break;
      return `${r.name}: the whole service had ${v(ev.value)}, beyond the dynamic threshold of ${v(ev.dynamicThreshold)} learned from the same time on earlier days and weeks.`;
    default:
      break;
  }
  return resultLine(r);
}

type Details = DeployDetailsAnswer;

/** The latest evaluation that decided `action`, with its culprit results. */
function decidingEvaluation(d: Details, actions: string[]) {
  for (let i = d.evaluations.length - 1; i >= 0; i--) {
    const e = d.evaluations[i];
    if (actions.includes(e.decision.action)) return e;
  }
  return undefined;
}

/**
 * What happened to the deploy and why, in one sentence with its numbers: for a rollback or pause decided by the
 * checks, the culprit checks explained; for people's actions, who and their reason.
 */
export function decisionSentence(d: Details): { headline: string; sentence: string; details: string[] } {
  const dep = d.deploy;
  const lastOf = (type: string) => [...d.events].reverse().find((e) => e.event.type === type);
  const where = (at: number) => {
    const into =
      dep.stageStartedAt !== null && at >= dep.stageStartedAt
        ? `, ${formatDuration(at - dep.stageStartedAt)} into stage ${dep.stage ?? '?'}`
        : '';
    return `at ${formatTime(at)}${into}`;
  };
  const explainEval = (e: ReturnType<typeof decidingEvaluation>) =>
    e ? e.results.filter((r) => e.decision.culprits.includes(r.name)).map(explainResult) : [];

  switch (dep.state) {
    case 'rolled_back':
    case 'rolling_back': {
      const ev = lastOf('deploy:rolling_back');
      const auto = ev?.event.type === 'deploy:rolling_back' && ev.event.automatic;
      const at = ev?.at ?? dep.endedAt ?? serverNow();
      const verb = dep.state === 'rolled_back' ? 'Rolled back' : 'Rolling back';
      if (auto) {
        const e = decidingEvaluation(d, ['rollback']);
        const traffic = e ? ` with ${trafficAt(d, e.at)}% of traffic on the new version` : '';
        const details = explainEval(e);
        return {
          headline: `${verb} automatically ${where(at)}${traffic}.`,
          sentence: details[0] ?? dep.reason ?? e?.decision.reason ?? '',
          details: details.slice(1),
        };
      }
      return {
        headline: `${verb} by ${ev?.actor ?? 'someone'} ${where(at)}.`,
        sentence: dep.reason ?? '',
        details: [],
      };
    }
    case 'paused': {
      const ev = lastOf('deploy:paused');
      const at = ev?.at ?? serverNow();
      if (dep.pauseKind === 'check' || dep.pauseKind === 'no_data') {
        const e = decidingEvaluation(d, ['pause']);
        const details = explainEval(e);
        const what = dep.pauseKind === 'no_data' ? 'because metrics are missing' : 'by a check';
        return {
          headline: `Paused ${what} ${where(at)}.`,
          sentence: details[0] ?? dep.reason ?? '',
          details: details.slice(1),
        };
      }
      return {
        headline: `Paused (${dep.pauseKind ?? 'manual'}) by ${ev?.actor ?? 'someone'} ${where(at)}.`,
        sentence: dep.reason ?? '',
        details: [],
      };
    }
    case 'promoted': {
      const last = d.evaluations.at(-1);
      return {
        headline: `Promoted at ${formatTime(dep.endedAt)}${dep.startedAt !== null && dep.endedAt !== null ? ` after ${formatDuration(dep.endedAt - dep.startedAt)}` : ''}.`,
        sentence: dep.reason ?? '',
        details: last ? [`Last evaluation at ${formatTime(last.at)}: ${last.decision.reason}`] : [],
      };
    }
    case 'running': {
      const last = d.evaluations.at(-1);
      return {
        headline: `In stage ${dep.stage ?? '?'} with ${dep.traffic}% of traffic${dep.stageStartedAt !== null ? ` for ${formatDuration(serverNow() - dep.stageStartedAt)}` : ''}.`,
        sentence: last
          ? `Last evaluation at ${formatTime(last.at)}: ${last.decision.reason}`
          : 'No evaluation yet.',
        details: [],
      };
    }
    case 'queued':
      return { headline: 'Waiting in the queue.', sentence: dep.reason ?? '', details: [] };
    default:
      return {
        headline: `${dep.state.replace('_', ' ')} at ${formatTime(dep.endedAt)}.`,
        sentence: dep.reason ?? '',
        details: [],
      };
  }
}

/** The traffic share the new version had at `at`, from the stage changes. */
function trafficAt(d: Details, at: number): number {
  let share = 0;
  for (const e of d.events) if (e.at <= at && e.event.type === 'stage:advanced') share = e.event.traffic;
  return share;
}
