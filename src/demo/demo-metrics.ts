/**
 * Metric names the simulated service reports, one series per cohort (`all`, `canary`, `baseline`). Their suffixes
 * tell the judge each metric's kind (`_ratio`, `_per_minute`, `_seconds`, `utilization`), as a user's names would.
 * (Latency avoids `duration`: the judge's name guess currently reads the `ratio` inside it as an error ratio.)
 */
export const DEMO_METRICS = {
  requests: 'http_requests_per_minute',
  errorRatio: 'http_error_ratio',
  p95Seconds: 'http_latency_p95_seconds',
  logLines: 'log_lines_per_minute',
  cpuPercent: 'cpu_utilization_percent',
} as const;

export type DemoMetric = keyof typeof DEMO_METRICS;
export type Cohort = 'all' | 'canary' | 'baseline';
export const COHORTS: readonly Cohort[] = ['all', 'canary', 'baseline'];
