import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decision } from '../../src/analysis/verdict.js';
import {
  flaggerOutcome,
  flaggerPayloadSchema,
  flaggerWeight,
} from '../../src/integrations/flagger-payload.js';
import { judgeEvidence } from '../../src/integrations/judge-evidence.js';
import { stageForWeight } from '../../src/integrations/stage-for-weight.js';
import { verdictOf } from '../../src/integrations/external-verdict.js';
import type { DeployRef } from '../../src/events/lifecycle-event.js';
import { T0 } from '../support/engine-harness.js';
import { type IntegrationHarness, makeIntegrationHarness, MIN } from './support/integration-harness.js';

const GOOD = {
  'http_error_ratio{service="webapp"}': () => 0.01,
  'http_latency_p99_seconds{service="webapp"}': () => 0.2,
};

describe('external judge', () => {
  let h: IntegrationHarness;
  let auth: { authorization: string };
  beforeEach(async () => {
    h = await makeIntegrationHarness();
    auth = { authorization: `Bearer ${await h.token(['deploy'])}` };
    await h.push(GOOD, -60, 60);
  });
  afterEach(async () => h.close());

  const verdict = async (query = 'rollout=webapp&namespace=shop&revision=h2&weight=5') =>
    (
      await h.app.inject({ method: 'POST', url: `/api/v1/integrations/argo/verdict?${query}`, headers: auth })
    ).json();

  it('judges at most once per interval and answers the latest judgement in between', async () => {
    await verdict();
    h.clock.set(T0 + MIN);
    const first = await verdict();
    h.clock.set(T0 + MIN + 20_000);
    const again = await verdict();
    expect(again).toEqual(first);
    h.clock.set(T0 + 2 * MIN);
    expect((await verdict()).evaluatedAt).toBe(T0 + 2 * MIN);
    expect(await h.store.evaluations.forDeploy(first.deployId)).toHaveLength(2);
  });

  it('carries out a rollback asked for in releasebot: the next verdict is fail and the deploy ends rolled back', async () => {
    const { deployId } = await verdict();
    await h.deploys.operate('rollback', deployId, 'alice', 'saw errors in the logs');
    expect(await h.store.deploys.get(deployId)).toMatchObject({ state: 'rolling_back' });
    h.clock.set(T0 + MIN);
    expect(await verdict()).toMatchObject({
      verdict: 'fail',
      state: 'rolled_back',
      reason: 'saw errors in the logs',
    });
    const last = (await h.store.events.forDeploy(deployId)).at(-1)!.event;
    expect(last).toMatchObject({ type: 'deploy:rolled_back', automatic: false });
  });

  it('a deploy paused in releasebot is inconclusive until resumed; "promote" waives the judgement', async () => {
    const { deployId } = await verdict();
    await h.deploys.operate('pause', deployId, 'alice', 'checking a dashboard');
    h.clock.set(T0 + MIN);
    expect(await verdict()).toMatchObject({
      verdict: 'inconclusive',
      state: 'paused',
      reason: 'checking a dashboard',
    });
    await h.deploys.operate('resume', deployId, 'alice');
    expect(await verdict()).toMatchObject({ verdict: 'pass', state: 'running' });
    await h.deploys.operate('promote', deployId, 'alice');
    expect(await verdict()).toMatchObject({
      verdict: 'pass',
      state: 'promoted',
      reason: 'promoted in releasebot: judgement skipped',
    });
  });

  it('rejects requests it cannot place: unknown service, bad weight', async () => {
    const unknown = await h.app.inject({
      method: 'GET',
      url: '/api/v1/integrations/argo/verdict?rollout=webap&namespace=shop&revision=h2',
      headers: auth,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({
      code: 'SERVICE_UNKNOWN',
      message: 'unknown service "webap"; did you mean "webapp"?',
    });
    const bad = await h.app.inject({
      method: 'GET',
      url: '/api/v1/integrations/argo/verdict?rollout=webapp&revision=h2&weight=150',
      headers: auth,
    });
    expect(bad.statusCode).toBe(400);
    expect(await h.store.deploys.list({})).toEqual([]);
    // The routes are in the OpenAPI document, with their parameters.
    const doc = (await h.app.inject('/openapi.json')).json();
    expect(
      Object.keys(doc.paths)
        .filter((p) => p.includes('/integrations/'))
        .sort(),
    ).toEqual([
      '/api/v1/integrations/argo/verdict',
      '/api/v1/integrations/flagger/confirm-promotion',
      '/api/v1/integrations/flagger/confirm-traffic-increase',
      '/api/v1/integrations/flagger/event',
      '/api/v1/integrations/flagger/rollback',
    ]);
    expect(
      doc.paths['/api/v1/integrations/argo/verdict'].get.parameters.map((x: { name: string }) => x.name),
    ).toContain('revision');
  });
});

describe('integration parts', () => {
  const decision = (over: Partial<Decision>): Decision => ({
    action: 'continue',
    reason: 'r',
    alerts: [],
    culprits: [],
    blind: false,
    ...over,
  });

  it('maps decisions to verdicts: only continue passes', () => {
    expect(verdictOf(decision({ action: 'continue' }))).toBe('pass');
    expect(verdictOf(decision({ action: 'rollback' }))).toBe('fail');
    expect(verdictOf(decision({ action: 'hold' }))).toBe('no_data');
    expect(verdictOf(decision({ action: 'pause', blind: true }))).toBe('no_data');
    expect(verdictOf(decision({ action: 'pause' }))).toBe('inconclusive');
  });

  it('maps a weight to the stage at or below it', () => {
    const stages = [5, 25, 50, 100].map((traffic, i) => ({ name: `s${i}`, traffic, bakeMs: 1 }));
    expect([0, 5, 10, 25, 49, 50, 100].map((w) => stageForWeight(stages, w))).toEqual([0, 0, 0, 1, 1, 2, 3]);
  });

  it("reads Flagger's phases and weights", () => {
    expect(
      [
        'Progressing',
        'WaitingPromotion',
        'Promoting',
        'Finalising',
        'Succeeded',
        'Failed',
        'Initialized',
        'Waiting',
        undefined,
      ].map(flaggerOutcome),
    ).toEqual([
      'progressing',
      'progressing',
      'progressing',
      'progressing',
      'promoted',
      'rolled_back',
      null,
      null,
      null,
    ]);
    const p = (eventMessage: string, extra = {}) =>
      flaggerPayloadSchema.parse({ name: 'a', namespace: 'b', metadata: { eventMessage }, ...extra });
    expect(flaggerWeight(p('Advance podinfo.test canary weight 20'))).toBe(20);
    expect(flaggerWeight(p('Advance podinfo.test canary iteration 2/10'))).toBeUndefined();
    expect(
      flaggerWeight(p('Advance podinfo.test canary weight 20', { canaryWeight: 30, buildId: 'x' })),
    ).toBe(30);
  });

  it('announces only what is new since the previous evaluation', () => {
    const ref = { id: 'd' } as DeployRef;
    const results = [
      {
        name: 'a',
        verdict: 'no_data' as const,
        action: 'rollback' as const,
        reason: 'a: no data',
        evidence: {},
      },
    ];
    const blind = decision({ action: 'hold' });
    expect(judgeEvidence(ref, results, blind, null).map((e) => e.type)).toEqual(['check:no_data']);
    expect(judgeEvidence(ref, results, blind, blind)).toEqual([]);
    const alert = decision({ alerts: ['a'] });
    expect(judgeEvidence(ref, results, alert, decision({})).map((e) => e.type)).toEqual(['check:breached']);
    expect(judgeEvidence(ref, results, alert, alert)).toEqual([]);
  });
});
