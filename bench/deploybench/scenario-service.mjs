// The configuration the bench adapter gives releasebot for a deploybench scenario: spec/replay.md's minimal
// config, with all four health metrics declared as checks (direction from the scenario, action rollback) and the
// request counts as the service's traffic. No detector settings: the judge's defaults only.

const TRAFFIC = 'http_requests_per_minute';

/** ResolvedService (src/config/resolved-config.ts) for a scenario.json. */
export function scenarioService(scenario, overrides = {}) {
  const svc = scenario.service;
  const sel = (metric, cohort) => `${metric}{service="${svc}",cohort="${cohort}"}`;
  const checks = scenario.metrics
    .filter((m) => m.badDirection === 'up' || m.badDirection === 'down')
    .map((m) => ({
      name: m.name,
      queries: { all: sel(m.name, 'all'), canary: sel(m.name, 'canary'), baseline: sel(m.name, 'baseline') },
      direction: m.badDirection,
      action: 'rollback',
      detectors: overrides.detectors ?? {},
    }));
  return {
    name: svc,
    key: false,
    deployer: { type: 'none' },
    source: 'builtin',
    intervalMs: scenario.stepSeconds * 1000,
    queue: 'fifo',
    traffic: { all: sel(TRAFFIC, 'all'), canary: sel(TRAFFIC, 'canary'), baseline: sel(TRAFFIC, 'baseline') },
    stages: scenario.stages.map((s) => ({
      name: s.name,
      traffic: s.traffic,
      bakeMs: s.bakeMinutes * 60_000,
    })),
    checks,
    deployWindows: [],
    baselineMs: 3_600_000,
  };
}

/** The YAML the adapter writes (for reference and for `releasebot replay --config`). */
export function scenarioConfigYaml(scenario) {
  const svc = scenario.service;
  const sel = (metric, cohort) => `'${metric}{service="${svc}",cohort="${cohort}"}'`;
  const lines = ['services:', `  ${svc}:`, `    interval: ${scenario.stepSeconds}s`, '    traffic:'];
  lines.push(
    `      query: ${sel(TRAFFIC, 'all')}`,
    `      canary: ${sel(TRAFFIC, 'canary')}`,
    `      baseline: ${sel(TRAFFIC, 'baseline')}`,
  );
  lines.push('    stages:');
  for (const s of scenario.stages)
    lines.push(`      - { name: ${s.name}, traffic: ${s.traffic}, bake: ${s.bakeMinutes}m }`);
  lines.push('    checks:');
  for (const m of scenario.metrics) {
    if (m.badDirection !== 'up' && m.badDirection !== 'down') continue;
    lines.push(`      - name: ${m.name}`);
    lines.push(
      `        query: ${sel(m.name, 'all')}`,
      `        canary: ${sel(m.name, 'canary')}`,
      `        baseline: ${sel(m.name, 'baseline')}`,
    );
    lines.push(`        direction: ${m.badDirection}`, '        action: rollback');
  }
  return lines.join('\n') + '\n';
}
