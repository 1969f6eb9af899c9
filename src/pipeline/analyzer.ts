import type { ResolvedService } from '../config/resolved-config.js';
import type { ExposureStep } from '../analysis/check-data.js';
import type { CheckResult, Decision } from '../analysis/verdict.js';
import type { Deploy } from './deploy.js';

export interface AnalysisRequest {
  deploy: Deploy;
  service: ResolvedService;
  now: number;
  /** When the new version's traffic share changed, ascending. */
  exposure: ExposureStep[];
}

export interface AnalysisOutcome {
  results: CheckResult[];
  decision: Decision;
}

/**
 * Judges a running deploy at `now`: fetches its metrics and applies the detectors and the decision rules. Never
 * throws for a metric problem: a failing source becomes `error` verdicts, which the decision never reads as a pass.
 */
export interface Analyzer {
  evaluate(req: AnalysisRequest): Promise<AnalysisOutcome>;
  /** Drops what it cached for a deploy that ended. */
  forget(deployId: string): void;
  /**
   * True when this service's evaluations never wait on I/O (an in-memory metric source): running several at once
   * gains nothing then, and would only keep several deploys' windows and results alive at the same time.
   */
  inMemory?(service: ResolvedService): boolean;
}
