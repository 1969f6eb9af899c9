/**
 * A small recorded service for replay tests: days of per-minute history, then deploys through four short stages,
 * some carrying a regression in the canary cohort. Deterministic (seeded), written as replay's input files.
 */
export interface SyntheticDeploy {
  id: string;
  /** Error-ratio multiplier in the new version's cohort: 1 = healthy. */
  errorFactor: number;
}

export interface SyntheticScenario {
  metrics: string;
  deploys: string;
  config: string;
  /** ms of each deploy's start. */
  starts: number[];
}

const MIN = 60_000;
const STAGES = [
  { name: 'canary', traffic: 1, bake: 5 },
  { name: 'ten', traffic: 10, bake: 5 },
  { name: 'half', traffic: 50, bake: 5 },
  { name: 'full', traffic: 100, bake: 5 },
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson-ish count with mean m (normal approximation, m large). */
function count(r: () => number, m: number): number {
  const u = Math.max(1e-12, r());
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  return Math.max(0, Math.round(m + Math.sqrt(m) * z));
}

export function syntheticScenario(o: {
  seed: number;
  historyDays: number;
  deploys: SyntheticDeploy[];
  start: number;
}): SyntheticScenario {
  const r = rng(o.seed);
  const pipeline = STAGES.reduce((a, s) => a + s.bake, 0);
  const starts = o.deploys.map((_, i) => o.start + i * (pipeline + 10) * MIN);
  const end = starts.at(-1)! + (pipeline + 5) * MIN;
  const first = o.start - o.historyDays * 1440 * MIN;
  const series = new Map<string, string[]>();
  const push = (metric: string, cohort: string, t: number, v: number) => {
    const key = `${metric}{service="webapp",cohort="${cohort}"}`;
    let lines = series.get(key);
    if (!lines) series.set(key, (lines = []));
    lines.push(`${key} ${v} ${t / 1000}`);
  };
  for (let t = first + MIN; t <= end; t += MIN) {
    const hour = (t / 3_600_000) % 24;
    const load = 0.6 + 0.4 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
    const requests = Math.round(20_000 * load);
    const active = starts.findIndex((s) => t > s && t <= s + pipeline * MIN);
    const share =
      active < 0
        ? 0
        : STAGES[Math.min(STAGES.length - 1, Math.floor((t - starts[active] - 1) / (5 * MIN)))].traffic / 100;
    const nCanary = Math.round(requests * share);
    const nBaseline = requests - nCanary;
    const p = 0.002;
    const eBaseline = count(r, nBaseline * p);
    const eCanary = active < 0 ? 0 : count(r, nCanary * p * o.deploys[active].errorFactor);
    push('http_requests_per_minute', 'all', t, requests);
    push('http_error_ratio', 'all', t, (eBaseline + eCanary) / requests);
    if (active >= 0) {
      push('http_requests_per_minute', 'canary', t, nCanary);
      push('http_error_ratio', 'canary', t, nCanary ? eCanary / nCanary : 0);
      if (nBaseline) {
        push('http_requests_per_minute', 'baseline', t, nBaseline);
        push('http_error_ratio', 'baseline', t, eBaseline / nBaseline);
      }
    }
  }
  let metrics = '';
  for (const name of ['http_requests_per_minute', 'http_error_ratio']) {
    metrics += `# HELP ${name} synthetic\n# TYPE ${name} gauge\n`;
    for (const cohort of ['all', 'canary', 'baseline'])
      metrics += `${(series.get(`${name}{service="webapp",cohort="${cohort}"}`) ?? []).join('\n')}\n`;
  }
  metrics = `${metrics.replace(/\n+/g, '\n')}# EOF\n`;
  const deploys = JSON.stringify({
    service: 'webapp',
    deploys: o.deploys.map((d, i) => ({
      id: d.id,
      version: `v${i + 1}`,
      startedAt: new Date(starts[i]).toISOString().replace('.000Z', 'Z'),
      changes: [`#${100 + i}`],
    })),
  });
  const sel = (m: string, c: string) => `'${m}{service="webapp",cohort="${c}"}'`;
  const config = `services:
  webapp:
    interval: 1m
    traffic:
      query: ${sel('http_requests_per_minute', 'all')}
      canary: ${sel('http_requests_per_minute', 'canary')}
      baseline: ${sel('http_requests_per_minute', 'baseline')}
    stages:
${STAGES.map((s) => `      - { name: ${s.name}, traffic: ${s.traffic}, bake: ${s.bake}m }`).join('\n')}
    checks:
      - name: error-ratio
        query: ${sel('http_error_ratio', 'all')}
        canary: ${sel('http_error_ratio', 'canary')}
        baseline: ${sel('http_error_ratio', 'baseline')}
        direction: up
        action: rollback
`;
  return { metrics, deploys, config, starts };
}
