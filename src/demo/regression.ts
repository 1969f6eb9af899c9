/** What a bad build does to the hosts that run it. */
export type RegressionKind = 'errors' | 'latency' | 'logs' | 'cpu';

export interface Regression {
  kind: RegressionKind;
  /** Multiplier on the affected metric (8: the error ratio is 8 times the usual). */
  factor: number;
  /** The demo config's check that should catch it. */
  check: string;
  /** One line for the terminal: what the simulated bug does. */
  describe: string;
}

/** The regressions the live demo draws from; the scripted scenario uses the first. */
export const REGRESSIONS: readonly Regression[] = [
  { kind: 'errors', factor: 8, check: 'error-ratio', describe: 'its hosts fail 8x as many requests' },
  { kind: 'latency', factor: 1.4, check: 'latency-p95', describe: 'its hosts answer 40% slower (p95)' },
  {
    kind: 'logs',
    factor: 2.5,
    check: 'log-lines',
    describe: 'its hosts write 2.5x the log lines per request',
  },
];
