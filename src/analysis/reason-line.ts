import type { CheckModel } from './check-model.js';
import type { Comparison } from './comparison.js';
import { normSf } from './normal.js';
import type { CheckResult, Evidence } from './verdict.js';
import { formatEffect, formatP, formatValue, sig, type ValueUnit } from './value-format.js';
import type { WholeService } from './whole-service.js';

/** What the one-line reason is made of. */
export interface ReasonParts {
  name: string;
  missing: string | undefined;
  cmp: Comparison | undefined;
  ws: WholeService | undefined;
  compareBreach: boolean;
  boundary: number;
  waitFor: number | undefined;
  zThreshold: number | undefined;
  alertOnly: boolean;
  unit: CheckModel['unit'];
}

/**
 * `name: canary 0.84% vs baseline 0.11% (+664%, rate test p=2e-9 < 3e-4); z=7.9 > 3`. Built by joining an array:
 * one flat string per result instead of a tree of concatenations, which results kept for the next round would
 * hold on to.
 */
export function reasonLine(p: ReasonParts): string {
  const out: string[] = [p.name, ': '];
  let first = true;
  const sep = (s: string): void => {
    if (!first) out.push(s);
    first = false;
  };
  if (p.missing) {
    out.push(p.missing);
    first = false;
  }
  const { cmp, ws } = p;
  if (cmp) {
    sep('; ');
    const testName = cmp.test === 'rate' ? 'rate test' : cmp.test === 'paired' ? 'paired test' : 'rank test';
    out.push(
      'canary ',
      formatValue(cmp.canaryValue, p.unit),
      ' vs baseline ',
      formatValue(cmp.baselineValue, p.unit),
    );
    out.push(' (', formatEffect(cmp.effect), ', ', testName, ' p=', formatP(cmp.p));
    if (p.compareBreach) out.push(' < ', formatP(normSf(p.boundary)));
    if (p.waitFor !== undefined) out.push(', waiting for ', String(p.waitFor), ' canary requests');
    out.push(')');
  }
  if (ws) {
    let piece = false;
    const next = (): void => {
      if (piece) out.push(', ');
      else sep('; ');
      piece = true;
    };
    if (!cmp) {
      next();
      out.push('all ', formatValue(ws.value, p.unit));
      if (ws.expected !== undefined) out.push(' vs ', formatValue(ws.expected, p.unit), ' before');
    }
    if (ws.z !== undefined) {
      next();
      out.push('z=', sig(ws.z, 2));
      if (ws.zHit) out.push(' > ', String(p.zThreshold));
    }
    if (ws.statBreach && ws.dynHit) {
      next();
      out.push('above dynamic ', formatValue(ws.dynamicThreshold as number, p.unit));
    }
    if (ws.staticHit) {
      next();
      out.push('beyond static ', formatValue(ws.effectiveThreshold as number, p.unit));
    }
  }
  if (p.alertOnly) out.push('; no baseline cohort to attribute it to the deploy: alert only');
  if (out.length === 2) out.push('no data yet');
  return out.join('');
}

/**
 * The line of a passing result read back from the store, where only its evidence was kept: the same words as
 * reasonLine gives a pass (no thresholds were crossed, so none are named).
 */
export function passReasonLine(name: string, ev: Evidence): string {
  const unit = (ev.unit ?? '') as ValueUnit;
  const out: string[] = [];
  if (ev.canaryValue !== undefined && ev.baselineValue !== undefined) {
    const testName = ev.test === 'rate' ? 'rate test' : ev.test === 'paired' ? 'paired test' : 'rank test';
    let cmp = `canary ${formatValue(ev.canaryValue, unit)} vs baseline ${formatValue(ev.baselineValue, unit)}`;
    if (ev.effect !== undefined && ev.pValue !== undefined)
      cmp += ` (${formatEffect(ev.effect)}, ${testName} p=${formatP(ev.pValue)})`;
    out.push(cmp);
  } else if (ev.value !== undefined) {
    out.push(
      `all ${formatValue(ev.value, unit)}` +
        (ev.baselineMean !== undefined ? ` vs ${formatValue(ev.baselineMean, unit)} before` : ''),
    );
  }
  let tail = out.length ? out.join('') : '';
  if (ev.z !== undefined)
    tail += `${tail ? (ev.canaryValue !== undefined ? '; ' : ', ') : ''}z=${sig(ev.z, 2)}`;
  return `${name}: ${tail || 'no data yet'}`;
}

/**
 * Gives a result a `reason` computed on first read. The property is not enumerable, so a stored evaluation keeps
 * the evidence of a passing check but not its line (readers rebuild one from the evidence).
 */
export function lazyReason(r: Omit<CheckResult, 'reason'>, make: () => string): CheckResult {
  let text: string | undefined;
  return Object.defineProperty(r, 'reason', {
    get: () => (text ??= make()),
    enumerable: false,
    configurable: true,
  }) as CheckResult;
}
