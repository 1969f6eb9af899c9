import type { CheckModel } from './check-model.js';
import type { Comparison } from './comparison.js';
import { normSf } from './normal.js';
import { formatEffect, formatP, formatValue, sig } from './value-format.js';
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
