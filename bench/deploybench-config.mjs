// Turns a deploybench scenario.json into releasebot.yaml: the minimal config of spec/replay.md with every
// analysed metric as a check (defaults only: no detector settings), and the scenario's stage plan.
export function configFromScenario(scenario) {
  const svc = scenario.service;
  const sel = (metric, cohort) => `'${metric}{service="${svc}",cohort="${cohort}"}'`;
  const lines = [
    'services:',
    `  ${svc}:`,
    `    interval: ${scenario.stepSeconds}s`,
    '    traffic:',
    `      query: ${sel('http_requests_per_minute', 'all')}`,
    `      canary: ${sel('http_requests_per_minute', 'canary')}`,
    `      baseline: ${sel('http_requests_per_minute', 'baseline')}`,
    '    stages:',
    ...scenario.stages.map(
      (s) => `      - { name: ${s.name}, traffic: ${s.traffic}, bake: ${s.bakeMinutes}m }`,
    ),
    '    checks:',
  ];
  for (const m of scenario.metrics) {
    if (m.badDirection === 'none') continue;
    lines.push(
      `      - name: ${m.name}`,
      `        query: ${sel(m.name, 'all')}`,
      `        canary: ${sel(m.name, 'canary')}`,
      `        baseline: ${sel(m.name, 'baseline')}`,
      `        direction: ${m.badDirection}`,
      '        action: rollback',
    );
  }
  return `${lines.join('\n')}\n`;
}
