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
    pushComparison(out, cmp.canaryValue, cmp.baselineValue, p.unit);
    pushTest(out, cmp.effect, cmp.test, cmp.p);
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
      pushWhole(out, ws.value, ws.expected, p.unit);
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
 * reasonLine gives a pass (no thresholds were crossed, so none are named), with the evidence's numbers, which are
 * rounded for storage (a last shown digit may differ from the live line).
 */
export function passReasonLine(name: string, ev: Evidence): string {
  const unit = (ev.unit ?? '') as ValueUnit;
  const out: string[] = [name, ': '];
  const cmp = ev.canaryValue !== undefined && ev.baselineValue !== undefined;
  if (cmp) {
    pushComparison(out, ev.canaryValue!, ev.baselineValue!, unit);
    if (ev.effect !== undefined && ev.pValue !== undefined) {
      pushTest(out, ev.effect, ev.test, ev.pValue);
      out.push(')');
    }
  } else if (ev.value !== undefined) pushWhole(out, ev.value, ev.baselineMean, unit);
  if (ev.z !== undefined) out.push(out.length === 2 ? '' : cmp ? '; ' : ', ', 'z=', sig(ev.z, 2));
  if (out.length === 2) out.push('no data yet');
  return out.join('');
}

/** `canary 0.84% vs baseline 0.11%` */
function pushComparison(out: string[], canary: number, baseline: number, unit: ValueUnit): void {
  out.push('canary ', formatValue(canary, unit), ' vs baseline ', formatValue(baseline, unit));
}

/** ` (+664%, rate test p=2e-9`: the caller closes the parenthesis after what it adds. */
function pushTest(out: string[], effect: number, test: Evidence['test'], p: number): void {
  const name = test === 'rate' ? 'rate test' : test === 'paired' ? 'paired test' : 'rank test';
  out.push(' (', formatEffect(effect), ', ', name, ' p=', formatP(p));
}

/** `all 412 ms`, with ` vs 200 ms before` when the pre-deploy level is known. */
function pushWhole(out: string[], value: number, expected: number | undefined, unit: ValueUnit): void {
  out.push('all ', formatValue(value, unit));
  if (expected !== undefined) out.push(' vs ', formatValue(expected, unit), ' before');
}

/**
 * A passing result whose line says no more than its evidence: the line is made from the evidence when read (on
 * the prototype, so it is neither stored nor serialised, and the result holds nothing else alive). Most results of
 * most rounds are these.
 */
class PassResult implements CheckResult {
  constructor(
    readonly name: string,
    readonly verdict: CheckResult['verdict'],
    readonly action: CheckResult['action'],
    readonly evidence: Evidence,
  ) {}

  get reason(): string {
    return passReasonLine(this.name, this.evidence);
  }
}

/** A result whose `reason` is passReasonLine of its evidence, made when read and never stored. */
export function passResult(
  name: string,
  verdict: CheckResult['verdict'],
  action: CheckResult['action'],
  evidence: Evidence,
): CheckResult {
  return new PassResult(name, verdict, action, evidence);
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
