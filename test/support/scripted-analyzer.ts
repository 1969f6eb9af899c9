import type { CheckResult, Decision, DecisionAction } from '../../src/analysis/verdict.js';
import type { AnalysisOutcome, AnalysisRequest, Analyzer } from '../../src/pipeline/analyzer.js';

/**
 * Stands in for the judge in state-machine tests: answers each evaluation from a script keyed by deploy version
 * and evaluation time offset, so a test states exactly which decision the engine must react to.
 */
export class ScriptedAnalyzer implements Analyzer {
  readonly requests: AnalysisRequest[] = [];
  constructor(private readonly script: (req: AnalysisRequest) => DecisionAction = () => 'continue') {}

  async evaluate(req: AnalysisRequest): Promise<AnalysisOutcome> {
    this.requests.push(req);
    const action = this.script(req);
    const verdict = action === 'continue' ? 'pass' : action === 'hold' ? 'no_data' : 'breach';
    const results: CheckResult[] = req.service.checks.map((c) => ({
      name: c.name,
      verdict: action === 'pause' && c.action !== 'pause' ? 'pass' : verdict,
      action: c.action,
      reason: `${c.name}: scripted ${verdict}`,
      evidence: { value: 1, z: verdict === 'breach' ? 9 : 0 },
    }));
    const blind = action === 'hold';
    const decision: Decision = {
      action,
      reason: `scripted ${action}`,
      alerts: [],
      culprits: verdict === 'breach' ? req.service.checks.map((c) => c.name) : [],
      blind,
    };
    return { results, decision };
  }

  forget(): void {}
}
