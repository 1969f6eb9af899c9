import { loadConfig } from '../config/load-config.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { DEMO_METRICS } from './demo-metrics.js';

/**
 * The demo's releasebot.yaml, as a user would write it for the simulated service: four stages with short bakes,
 * checks every simulated minute on error ratio, p95 latency, log lines per request and CPU, each with canary and
 * baseline cohorts (`{{cohort}}`), and the traffic series so counts are judged per request. Every detector setting
 * is left to the engine's defaults: this is what a new user gets. Shown in docs/demo.md.
 */
export function demoConfigText(o: { service: string; port: number; bakeMinutes: number }): string {
  const m = DEMO_METRICS;
  const sel = (name: string, cohort: string): string => `'${name}{service="{{service}}",cohort="${cohort}"}'`;
  const bake = `${o.bakeMinutes}m`;
  return `# releasebot demo: an embedded in-memory store, the built-in metric source, a simulated service.
store:
  url: 'memory:'
server:
  host: 127.0.0.1
  port: ${o.port}
services:
  ${o.service}:
    interval: 1m
    traffic:
      query: ${sel(m.requests, 'all')}
      canary: ${sel(m.requests, 'canary')}
      baseline: ${sel(m.requests, 'baseline')}
    stages:
      - { name: canary, traffic: 1, bake: ${bake} }
      - { name: ten, traffic: 10, bake: ${bake} }
      - { name: half, traffic: 50, bake: ${bake} }
      - { name: full, traffic: 100, bake: ${bake} }
    checks:
      - name: error-ratio
        query: ${sel(m.errorRatio, '{{cohort}}')}
        direction: up
        action: rollback
      - name: latency-p95
        query: ${sel(m.p95Seconds, '{{cohort}}')}
        direction: up
        action: rollback
      - name: log-lines
        query: ${sel(m.logLines, '{{cohort}}')}
        direction: up
        action: rollback
      - name: cpu
        query: ${sel(m.cpuPercent, '{{cohort}}')}
        direction: up
        action: alert
`;
}

/** The demo's config, resolved by the same loader as any releasebot.yaml. */
export function demoConfig(o: { service: string; port: number; bakeMinutes: number }): ResolvedConfig {
  return loadConfig({ file: 'releasebot demo (built-in config)', env: {}, text: demoConfigText(o) });
}
