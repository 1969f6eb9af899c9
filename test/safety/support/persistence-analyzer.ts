import type { CheckResult, Decision } from '../../../src/analysis/verdict.js';
import type { AnalysisOutcome, AnalysisRequest, Analyzer } from '../../../src/pipeline/analyzer.js';

const popcount = (n: number) => n.toString(2).replace(/0/g, '').length;

/**
 * Stands in for the judge the way the real whole-service detectors report: from `flagFrom` on (per deploy version)
 * each evaluation flags the check (bit 0 of `evidence.recent`), and the verdict turns to breach — with a rollback
 * decision — once `k` of the last `k` evaluations flagged. Before that the verdict is still `pass`.
 */
export class PersistenceAnalyzer implements Analyzer {
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly flagFrom: Readonly<Record<string, number>>,
    private readonly k = 3,
  ) {}

  async evaluate(req: AnalysisRequest): Promise<AnalysisOutcome> {
    const from = this.flagFrom[req.deploy.version];
    const flag = from !== undefined && req.now >= from;
    const recent = (((this.recent.get(req.deploy.id) ?? 0) << 1) | (flag ? 1 : 0)) & ((1 << this.k) - 1);
    this.recent.set(req.deploy.id, recent);
    const breach = popcount(recent) >= this.k;
    const results: CheckResult[] = req.service.checks.map((c) => ({
      name: c.name,
      verdict: breach ? 'breach' : 'pass',
      action: c.action,
      reason: `${c.name}: ${flag ? 'above' : 'within'} its threshold`,
      evidence: { value: flag ? 0.05 : 0.001, recent },
    }));
    const culprits = breach ? req.service.checks.map((c) => c.name) : [];
    const decision: Decision = {
      action: breach ? 'rollback' : 'continue',
      reason: breach
        ? `${culprits.join(', ')} breached ${this.k} of ${this.k} evaluations`
        : 'all checks pass',
      alerts: [],
      culprits,
      blind: false,
    };
    return { results, decision };
  }

  forget(): void {}
}
