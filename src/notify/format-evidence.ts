import type { CheckResult, Decision, Evidence } from '../analysis/verdict.js';

/** Three significant digits, no exponent for everyday sizes: 0.8412 -> 0.841, 7.93 -> 7.93, 1234.5 -> 1235. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return String(Math.round(v));
  if (v === 0) return '0';
  if (Math.abs(v) < 1e-4) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

/** z-scores read to one decimal: 7.93 -> 7.9. */
export function formatZ(z: number): string {
  return String(Number(z.toFixed(1)));
}

/** A value in its unit: ratios are shown as percent, because that is how people read error ratios. */
export function formatValue(v: number, unit?: string): string {
  switch (unit) {
    case 'ratio':
      return `${formatNumber(v * 100)}%`;
    case '%':
    case 'percent':
      return `${formatNumber(v)}%`;
    case 'ms':
    case 's':
      return `${formatNumber(v)}${unit}`;
    case undefined:
    case '':
      return formatNumber(v);
    default:
      return `${formatNumber(v)} ${unit}`;
  }
}

/** The deciding numbers in one short phrase: `canary 0.84% vs 0.11%, z=7.9`. Empty when the detector left none. */
export function breachNumbers(e: Evidence): string {
  const parts: string[] = [];
  if (e.canaryValue !== undefined && e.baselineValue !== undefined) {
    parts.push(`canary ${formatValue(e.canaryValue, e.unit)} vs ${formatValue(e.baselineValue, e.unit)}`);
  } else if (e.value !== undefined && e.baselineMean !== undefined) {
    parts.push(`${formatValue(e.value, e.unit)} vs baseline ${formatValue(e.baselineMean, e.unit)}`);
  } else if (e.value !== undefined) {
    parts.push(formatValue(e.value, e.unit));
  }
  if (e.z !== undefined) parts.push(`z=${formatZ(e.z)}`);
  return parts.join(', ');
}

/** Labelled evidence for a breach, in reading order; only what the detector filled. */
export function evidenceFields(check: CheckResult, decision: Decision): Array<[string, string]> {
  const e = check.evidence;
  const u = e.unit;
  const out: Array<[string, string]> = [['Metric', check.name]];
  if (e.canaryValue !== undefined) out.push(['Canary', formatValue(e.canaryValue, u)]);
  if (e.baselineValue !== undefined) out.push(['Baseline (stable)', formatValue(e.baselineValue, u)]);
  if (e.value !== undefined) out.push(['Value', formatValue(e.value, u)]);
  if (e.baselineMean !== undefined) {
    const spread = e.baselineSpread !== undefined ? ` ± ${formatValue(e.baselineSpread, u)}` : '';
    out.push(['Baseline', `${formatValue(e.baselineMean, u)}${spread}`]);
  }
  if (e.z !== undefined) {
    out.push([
      'z-score',
      `${formatZ(e.z)}${e.zThreshold !== undefined ? ` (threshold ${formatNumber(e.zThreshold)})` : ''}`,
    ]);
  }
  const threshold = e.effectiveThreshold ?? e.staticThreshold ?? e.dynamicThreshold;
  if (threshold !== undefined) out.push(['Threshold', formatValue(threshold, u)]);
  if (e.pValue !== undefined) out.push(['p-value', e.pValue.toExponential(1)]);
  if (e.effect !== undefined)
    out.push(['Effect', `${e.effect >= 0 ? '+' : ''}${formatNumber(e.effect * 100)}%`]);
  out.push(['Action', actionWords(check, decision)]);
  return out;
}

/** What the pipeline does about this breach, as people say it. */
export function actionWords(check: CheckResult, decision: Decision): string {
  const culprit = decision.culprits.includes(check.name);
  if (decision.action === 'rollback' && (culprit || check.action === 'rollback')) return 'rolling back';
  if (decision.action === 'pause' && (culprit || check.action === 'pause')) return 'pausing';
  if (check.action === 'alert' || decision.alerts.includes(check.name)) return 'alert only';
  if (decision.action === 'rollback') return 'rolling back';
  if (decision.action === 'pause') return 'pausing';
  return decision.action === 'hold' ? 'holding' : 'alert only';
}
