import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import type { LifecycleEventType } from '../../src/events/lifecycle-event.js';
import { parseDuration } from '../../src/time/duration.js';
import { configFrom } from '../support/config.js';
import { T0 } from '../support/engine-harness.js';
import {
  evalExpr,
  fillArgs,
  jsonPath,
  type MeasurementPhase,
  measurementPhase,
} from './support/argo-analysis.js';
import { type IntegrationHarness, makeIntegrationHarness, MIN } from './support/integration-harness.js';

const DIR = new URL('../../examples/argo-rollouts/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, DIR), 'utf8');

interface Arg {
  name: string;
  value?: string;
  valueFrom?: { podTemplateHashValue?: 'Latest' | 'Stable'; secretKeyRef?: { name: string; key: string } };
}
interface Metric {
  name: string;
  count?: number;
  interval?: string;
  initialDelay?: string;
  successCondition?: string;
  failureCondition?: string;
  provider: {
    web: { url: string; method?: string; headers?: Array<{ key: string; value: string }>; jsonPath?: string };
  };
}
interface Step {
  setWeight?: number;
  analysis?: { templates: Array<{ templateName: string }>; args: Arg[] };
}

const template = parse(read('analysis-template.yaml')) as {
  metadata: { name: string };
  spec: { args: Arg[]; metrics: Metric[] };
};
const rollout = parse(read('rollout.yaml')) as {
  metadata: { name: string; namespace: string };
  spec: { strategy: { canary: { steps: Step[] } } };
};
const secret = parseAllDocuments(read('secret.yaml'))[0].toJS() as {
  metadata: { name: string };
  stringData: Record<string, string>;
};

/** The analysis steps of the example Rollout, each with the weight set before it. */
function analysisSteps(): Array<{ weight: number; args: Arg[] }> {
  const out: Array<{ weight: number; args: Arg[] }> = [];
  let weight = 0;
  for (const step of rollout.spec.strategy.canary.steps) {
    if (step.setWeight !== undefined) weight = step.setWeight;
    if (step.analysis) out.push({ weight, args: step.analysis.args });
  }
  return out;
}

/**
 * The AnalysisRun's arguments as Argo resolves them: the template's defaults, overridden by the Rollout step's
 * values; pod template hashes from the ReplicaSets; the token from the Secret (here: a real token of this server).
 */
function runArgs(
  stepArgs: Arg[],
  hashes: { latest: string; stable: string },
  token: string,
): Record<string, string> {
  const args: Record<string, string> = {};
  for (const a of [...template.spec.args, ...stepArgs]) {
    if (a.value !== undefined) args[a.name] = a.value;
    else if (a.valueFrom?.podTemplateHashValue)
      args[a.name] = a.valueFrom.podTemplateHashValue === 'Latest' ? hashes.latest : hashes.stable;
    else if (a.valueFrom?.secretKeyRef) {
      expect(a.valueFrom.secretKeyRef.name).toBe(secret.metadata.name);
      expect(secret.stringData).toHaveProperty(a.valueFrom.secretKeyRef.key);
      args[a.name] = token;
    }
  }
  return args;
}

/** One measurement of a template metric against the running server, as Argo's web provider takes it. */
async function measure(
  h: IntegrationHarness,
  metric: Metric,
  args: Record<string, string>,
): Promise<{ phase: MeasurementPhase; body: Record<string, unknown> }> {
  const web = metric.provider.web;
  const url = new URL(fillArgs(web.url, args));
  expect(url.origin).toBe(new URL(args['releasebot-url']).origin);
  const headers = Object.fromEntries(
    (web.headers ?? []).map((x) => [x.key.toLowerCase(), fillArgs(x.value, args)]),
  );
  const res = await h.app.inject({
    method: (web.method ?? 'GET') as 'GET' | 'POST',
    url: url.pathname + url.search,
    headers,
  });
  // Argo counts a non-2xx answer as a measurement error.
  if (res.statusCode < 200 || res.statusCode >= 300) return { phase: 'Error', body: res.json() };
  const body = res.json() as Record<string, unknown>;
  return { phase: measurementPhase(metric, jsonPath(web.jsonPath ?? '{$}', body)), body };
}

const metric = (name: string): Metric => {
  const m = template.spec.metrics.find((x) => x.name === name);
  if (!m) throw new Error(`the example template has no metric ${name}`);
  return m;
};

const GOOD = {
  'http_error_ratio{service="webapp"}': () => 0.01,
  'http_latency_p99_seconds{service="webapp"}': () => 0.2,
};

describe('the example AnalysisTemplate and Rollout', () => {
  it('fit together: every analysis step passes each required argument and the weight it follows', () => {
    expect(template.metadata.name).toBe('releasebot-verdict');
    const required = template.spec.args
      .filter((a) => a.value === undefined && !a.valueFrom)
      .map((a) => a.name);
    const steps = analysisSteps();
    expect(steps.map((s) => s.weight)).toEqual([5, 25, 50]);
    for (const step of steps) {
      const given = step.args.map((a) => a.name);
      for (const name of required) expect(given).toContain(name);
      expect(step.args.find((a) => a.name === 'weight')?.value).toBe(String(step.weight));
      expect(step.args.find((a) => a.name === 'rollout')?.value).toBe(rollout.metadata.name);
      expect(step.args.find((a) => a.name === 'namespace')?.value).toBe(rollout.metadata.namespace);
    }
    for (const m of template.spec.metrics) {
      // Every placeholder of the request resolves.
      const args = runArgs(steps[0].args, { latest: 'h2', stable: 'h1' }, 'rb_x');
      expect(() => fillArgs(m.provider.web.url, args)).not.toThrow();
    }
  });

  it("match the example releasebot.yaml: its stages mirror the Rollout's weights, its bake the analysis length", () => {
    const config = configFrom(read('releasebot.yaml'));
    const svc = config.services.webapp;
    expect(svc.deployer).toEqual({ type: 'none' });
    const verdict = metric('releasebot-verdict');
    const bake = (verdict.count ?? 1) * parseDuration(verdict.interval ?? '0s')!;
    for (const { weight } of analysisSteps()) {
      const stage = svc.stages.find((s) => s.traffic === weight);
      expect(stage, `a stage at ${weight}%`).toBeDefined();
      expect(stage!.bakeMs).toBe(bake);
    }
    expect(svc.intervalMs).toBe(parseDuration(verdict.interval!)!);
  });
});

describe('the example AnalysisTemplate against releasebot', () => {
  let h: IntegrationHarness;
  let token: string;
  beforeEach(async () => {
    h = await makeIntegrationHarness();
    token = await h.token(['deploy'], { services: ['webapp'] });
  });
  afterEach(async () => h.close());

  /** Runs the first step's AnalysisRun: the start metric now, then `n` verdict measurements at Argo's times. */
  async function runStep(step: number, n: number, hashes = { latest: 'h2', stable: 'h1' }) {
    const args = runArgs(analysisSteps()[step].args, hashes, token);
    const start = await measure(h, metric('releasebot-start'), args);
    const verdict = metric('releasebot-verdict');
    const phases: MeasurementPhase[] = [];
    const bodies: Array<Record<string, unknown>> = [];
    const runStart = h.clock.now();
    for (let i = 0; i < n; i++) {
      h.clock.set(
        runStart + parseDuration(verdict.initialDelay ?? '0s')! + i * parseDuration(verdict.interval!)!,
      );
      const m = await measure(h, verdict, args);
      phases.push(m.phase);
      bodies.push(m.body);
    }
    return { start, phases, bodies };
  }

  async function eventTypes(deployId: string): Promise<LifecycleEventType[]> {
    return (await h.store.events.forDeploy(deployId)).map((e) => e.event.type);
  }

  it('pass: healthy metrics make every measurement Successful', async () => {
    await h.push(GOOD, -60, 60);
    const { start, phases, bodies } = await runStep(0, 3);
    expect(start.phase).toBe('Successful');
    expect(start.body).toMatchObject({ verdict: 'no_data', state: 'running', weight: 5 });
    expect(phases).toEqual(['Successful', 'Successful', 'Successful']);
    expect(bodies[0]).toMatchObject({
      verdict: 'pass',
      reason: 'all checks passed',
      weight: 5,
      evaluatedAt: T0 + MIN,
    });
    const deploy = await h.store.deploys.get(String(bodies[0].deployId));
    expect(deploy).toMatchObject({
      driver: 'external',
      state: 'running',
      version: 'h2',
      idempotencyKey: 'argo:shop/webapp:h2',
      trigger: { kind: 'argo' },
    });
    expect(await h.store.evaluations.forDeploy(deploy!.id)).toHaveLength(3);
  });

  it('fail: a breaching rollback check makes the measurement Failed and records the rollback', async () => {
    await h.push({ ...GOOD, 'http_error_ratio{service="webapp"}': (m) => (m > 0 ? 0.4 : 0.01) }, -60, 60);
    const { start, phases, bodies } = await runStep(0, 2);
    expect(start.phase).toBe('Successful');
    expect(phases).toEqual(['Failed', 'Failed']);
    expect(bodies[0]).toMatchObject({ verdict: 'fail', state: 'rolled_back' });
    expect(String(bodies[0].reason)).toContain('error-ratio');
    const id = String(bodies[0].deployId);
    expect(await eventTypes(id)).toEqual([
      'deploy:started',
      'stage:advanced',
      'check:breached',
      'deploy:rolling_back',
      'deploy:rolled_back',
    ]);
    // Once failed, it stays failed: Argo retrying the measurement is answered the same without a new evaluation.
    expect(await h.store.evaluations.forDeploy(id)).toHaveLength(1);
  });

  it('no_data: missing metrics make the measurement Inconclusive (Argo pauses), never Successful', async () => {
    const { start, phases, bodies } = await runStep(0, 2);
    expect(start.phase).toBe('Successful');
    expect(phases).toEqual(['Inconclusive', 'Inconclusive']);
    expect(bodies[0]).toMatchObject({ verdict: 'no_data', state: 'running' });
    expect(bodies[0].checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'error-ratio', verdict: 'no_data' })]),
    );
    // The first blind evaluation is announced once, not every minute.
    const types = await eventTypes(String(bodies[0].deployId));
    expect(types.filter((t) => t === 'check:no_data')).toHaveLength(1);
  });

  it('inconclusive: a breaching pause check asks a person (Inconclusive), and does not roll back', async () => {
    await h.push(
      { ...GOOD, 'http_latency_p99_seconds{service="webapp"}': (m) => (m > 0 ? 3 : 0.2) },
      -60,
      60,
    );
    const { phases, bodies } = await runStep(0, 1);
    expect(phases).toEqual(['Inconclusive']);
    expect(bodies[0]).toMatchObject({ verdict: 'inconclusive', state: 'running' });
    expect(await eventTypes(String(bodies[0].deployId))).toContain('check:breached');
  });

  it('walks the steps: each weight is recorded as exposure the judge reads', async () => {
    await h.push(GOOD, -60, 120);
    await runStep(0, 2);
    h.clock.advance(MIN);
    const second = await runStep(1, 1);
    expect(second.start.body).toMatchObject({ weight: 25, state: 'running' });
    expect(second.phases).toEqual(['Successful']);
    const id = String(second.bodies[0].deployId);
    const exposure = (await h.store.events.forDeploy(id)).flatMap((e) =>
      e.event.type === 'stage:advanced' ? [[e.at - T0, e.event.traffic, e.event.to]] : [],
    );
    expect(exposure).toEqual([
      [0, 5, 'canary'],
      [3 * MIN, 25, 'quarter'],
    ]);
    const deploy = await h.store.deploys.get(id);
    expect(deploy).toMatchObject({ stageIndex: 1, externalTraffic: 25 });
  });

  it('closes the previous revision when the next rollout starts: promoted if it became stable', async () => {
    await h.push(GOOD, -60, 120);
    const first = await runStep(0, 1, { latest: 'h2', stable: 'h1' });
    h.clock.advance(30 * MIN);
    const next = await runStep(0, 1, { latest: 'h3', stable: 'h2' });
    const older = await h.store.deploys.get(String(first.bodies[0].deployId));
    expect(older).toMatchObject({ state: 'promoted', reason: 'argo: h2 became the stable revision' });
    const newer = await h.store.deploys.get(String(next.bodies[0].deployId));
    expect(newer).toMatchObject({ state: 'running', previousVersion: 'h2' });
  });

  it('refuses without the token (an Error measurement, never a verdict)', async () => {
    const args = runArgs(analysisSteps()[0].args, { latest: 'h2', stable: 'h1' }, 'rb_not_a_token');
    expect((await measure(h, metric('releasebot-verdict'), args)).phase).toBe('Error');
    const other = await h.token(['deploy'], { services: ['billing'] });
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/v1/integrations/argo/verdict?rollout=webapp&namespace=shop&revision=h2',
      headers: { authorization: `Bearer ${other}` },
    });
    expect(res.statusCode).toBe(403);
    expect(await h.store.deploys.list({})).toEqual([]);
  });
});

describe('the Argo condition evaluator used above', () => {
  it('follows expr and EvaluateResult', () => {
    const m = { successCondition: 'result.verdict == "pass"', failureCondition: "result.verdict == 'fail'" };
    expect(measurementPhase(m, { verdict: 'pass' })).toBe('Successful');
    expect(measurementPhase(m, { verdict: 'fail' })).toBe('Failed');
    expect(measurementPhase(m, { verdict: 'no_data' })).toBe('Inconclusive');
    expect(measurementPhase({ successCondition: m.successCondition }, { verdict: 'no_data' })).toBe('Failed');
    expect(measurementPhase({}, { verdict: 'fail' })).toBe('Successful');
    expect(measurementPhase({ successCondition: 'result.verdict' }, { verdict: 'pass' })).toBe('Error');
    expect(
      evalExpr('!(result.a == 1) && (result.b != nil || result.c == true)', { result: { a: 2, c: true } }),
    ).toBe(true);
    expect(jsonPath('{$.a.b}', { a: { b: 'x' } })).toBe('x');
  });
});
