// A real Prometheus (Debian's binary on a free loopback port) is the metric source of deploys in flight. First it
// is stopped and restarted; then, through a proxy, it answers with errors for a while. Either way the checks go
// `error`, the deploys hold, pause as blind after the grace, resume when the source is back, and finish with the
// outcome their metrics call for. Never is a stage advanced or a deploy promoted on anything but a clean pass.
import { Gauge, Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deploy } from '../../src/pipeline/deploy.js';
import { isTerminal } from '../../src/pipeline/deploy.js';
import type { Store } from '../../src/store/store.js';
import { startLiveRuntime, type LiveRuntime } from '../support/live-runtime.js';
import { OutageProxy } from '../support/outage-proxy.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from '../support/postgres.js';
import {
  eventually,
  prometheus,
  startExporter,
  startPrometheus,
  type PrometheusHandle,
} from '../support/prometheus.js';

const skip = postgresSkipReason ?? (prometheus.available ? null : prometheus.reason);
if (skip) console.warn(`[skip] source outage test: ${skip}`);

const GOOD = 0.01;
const BAD = 0.5;

function configYaml(dbUrl: string, promUrl: string, proxyUrl: string): string {
  const svc = (name: string, source: string) => `  ${name}: { source: ${source} }`;
  return `
store: { url: '${dbUrl}' }
sources:
  direct: { type: prometheus, url: '${promUrl}', timeout: 2s }
  proxied: { type: prometheus, url: '${proxyUrl}', timeout: 2s }
defaults:
  interval: 1s
  deployer: { type: none }
  stages: [{ name: canary, traffic: 10, bake: 8s }, { name: full, traffic: 100, bake: 3s }]
  checks:
    - name: errors
      query: 'rb_error_ratio{service="{{service}}"}'
      kind: gauge
      action: rollback
      static: { max: 0.05 }
      zscore: false
      dynamic: false
      compare: false
      persistence: { breaches: 1, of: 1 }
services:
${['a1', 'a2', 'a3', 'a4', 'a5'].map((n) => svc(n, 'direct')).join('\n')}
${['b1', 'b2', 'b3', 'b4', 'b5'].map((n) => svc(n, 'proxied')).join('\n')}
`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Every stage advance after the first and every promotion must follow an evaluation that continued on clean passes:
 * returns the deploys for which that does not hold (promoted or advanced blind).
 */
async function advancedBlind(store: Store, deploys: Deploy[]): Promise<string[]> {
  const bad: string[] = [];
  for (const d of deploys) {
    const evaluations = (await store.evaluations.forDeploy(d.id, { limit: 10_000 })).sort(
      (a, b) => a.at - b.at,
    );
    for (const e of evaluations) {
      if (e.decision.action === 'continue' && e.results.some((r) => r.verdict !== 'pass')) {
        bad.push(`${d.service}: continued at ${e.at} with ${e.results.map((r) => r.verdict).join(',')}`);
      }
    }
    for (const ev of await store.events.forDeploy(d.id)) {
      const gated =
        (ev.event.type === 'stage:advanced' && ev.event.from !== null) || ev.event.type === 'deploy:promoted';
      if (!gated) continue;
      const last = evaluations.filter((e) => e.at <= ev.at).at(-1);
      if (!last || last.decision.action !== 'continue' || last.results.some((r) => r.verdict !== 'pass')) {
        bad.push(
          `${d.service}: ${ev.event.type} at ${ev.at} after ${last ? last.decision.action : 'no evaluation'}`,
        );
      }
    }
  }
  return bad;
}

describe.skipIf(skip !== null)('metric source down or erroring (real Prometheus)', () => {
  let db: TestDatabase;
  let prom: PrometheusHandle;
  let proxy: OutageProxy;
  let exporter: { target: string; close(): Promise<void> };
  let live: LiveRuntime;
  const registry = new Registry();
  const gauge = new Gauge({
    name: 'rb_error_ratio',
    help: 'error ratio',
    labelNames: ['service'],
    registers: [registry],
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    exporter = await startExporter(registry);
    prom = await startPrometheus({ scrapeTargets: [exporter.target], scrapeInterval: '1s' });
    proxy = await OutageProxy.start(prom.url);
    live = await startLiveRuntime({ yaml: configYaml(db.url, prom.url, proxy.url), tickMs: 200 });
  }, 120_000);

  afterAll(async () => {
    await live?.close();
    await proxy?.close();
    await prom?.close();
    await exporter?.close();
    await db?.drop();
  }, 60_000);

  /** One deploy per service, its metric set before it starts (so no sample of another version can reach it). */
  async function round(
    services: string[],
    bad: string,
    outage: { begin(): Promise<void>; end(): Promise<void> },
  ) {
    const { rt } = live;
    for (const s of services) gauge.set({ service: s }, s === bad ? BAD : GOOD);
    await eventually(async () => {
      const r = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent('count(rb_error_ratio)')}`);
      const body = (await r.json()) as { data: { result: Array<{ value: [number, string] }> } };
      return Number(body.data.result[0]?.value[1] ?? 0) >= services.length ? true : undefined;
    }, 'Prometheus to scrape the series');
    const deploys: Deploy[] = [];
    for (const s of services) {
      deploys.push(
        (
          await rt.deploys.createDeploy({
            service: s,
            version: `${s}-v2`,
            trigger: { kind: 'api', actor: 'test' },
          })
        ).deploy,
      );
    }
    const good = deploys.filter((d) => d.service !== bad);
    // Analysis runs normally before the outage: each good deploy has continued at least once.
    await eventually(
      async () => {
        for (const d of good) {
          const evs = await rt.store.evaluations.forDeploy(d.id, { limit: 100 });
          if (!evs.some((e) => e.decision.action === 'continue')) return undefined;
        }
        return true;
      },
      'a clean evaluation of every good deploy',
      60_000,
    );

    await outage.begin();
    // Blind: every good deploy pauses after its grace (never advances, never promotes).
    await eventually(
      async () => {
        for (const d of good) {
          const now = (await rt.store.deploys.get(d.id))!;
          if (!(now.state === 'paused' && now.pauseKind === 'no_data')) return undefined;
        }
        return true;
      },
      'every good deploy to pause for lack of data',
      60_000,
    );
    await sleep(2000); // still blind for a while: nothing may move
    for (const d of good) expect((await rt.store.deploys.get(d.id))!.state).toBe('paused');
    await outage.end();

    const final = await eventually(
      async () => {
        const all = await Promise.all(deploys.map((d) => rt.store.deploys.get(d.id)));
        return all.every((d) => d && isTerminal(d.state)) ? (all as Deploy[]) : undefined;
      },
      'every deploy to finish after the source returned',
      90_000,
    );
    expect(Object.fromEntries(final.map((d) => [d.service, d.state]))).toEqual(
      Object.fromEntries(services.map((s) => [s, s === bad ? 'rolled_back' : 'promoted'])),
    );
    for (const d of good) {
      const types = (await rt.store.events.forDeploy(d.id)).map((e) =>
        e.event.type === 'deploy:paused'
          ? `paused:${e.event.kind}`
          : e.event.type === 'deploy:resumed'
            ? `resumed:${e.event.reason}`
            : e.event.type,
      );
      expect(types).toContain('check:no_data');
      expect(types).toContain('paused:no_data');
      expect(types).toContain('resumed:metrics are back');
    }
    expect(await advancedBlind(rt.store, final)).toEqual([]);
    return final;
  }

  it('Prometheus stopped mid-deploy: deploys pause blind, resume when it is back, none promoted blind', async () => {
    await round(['a1', 'a2', 'a3', 'a4', 'a5'], 'a5', {
      begin: () => prom.stop(),
      end: () => prom.start(),
    });
    const metrics = await live.rt.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/releasebot_source_errors_total\{source="prometheus"\} [1-9]/);
    const said = live.logs().filter((l) => String(l.msg).startsWith('metric source queries are failing'));
    expect(said.length).toBeGreaterThan(0);
  }, 240_000);

  it('Prometheus answering errors: the same, and the errors are counted', async () => {
    await round(['b1', 'b2', 'b3', 'b4', 'b5'], 'b5', {
      begin: async () => void (proxy.mode = 'error'),
      end: async () => void (proxy.mode = 'up'),
    });
    expect(proxy.seen.error).toBeGreaterThan(0);
  }, 240_000);
});
