import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/runtime/create-runtime.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { DeployCharts, DeploySeries } from '../../src/server/routes/dashboard-deploy-series.js';
import type { ServiceHistory } from '../../src/server/routes/dashboard-service-history.js';
import type { SafetyReport } from '../../src/safety/safety-report.js';
import { browser, launchChromium, type BrowserHandle } from './support/chromium.js';
import { buildScenario, XSS_TITLE, XSS_VERSION, type Scenario } from './support/dashboard-scenario.js';

const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const auth = (t: string) => ({ authorization: `Bearer ${t}` });

let webDir: string;
let s: Scenario;
let url: string;
/** A second server on the same store that does not let anonymous users read. */
let closed: Runtime;
let closedUrl: string;

beforeAll(async () => {
  webDir = await mkdtemp(join(tmpdir(), 'rb-web-build-'));
  // The real build script, into a temporary directory: the test serves what `npm run build` would ship.
  await promisify(execFile)(process.execPath, ['scripts/build-web.mjs', '--outdir', webDir, '--quiet']);
  s = await buildScenario({ webDir, anonymousRead: true });
  url = await s.rt.listen({ host: '127.0.0.1', port: 0 });
  await s.rt.start();
  closed = await createRuntime({
    config: s.rt.config,
    env: {},
    cwd: webDir,
    logger: silentLogger,
    clock: s.clock,
    store: s.store,
    anonymousRead: false,
    webDir,
  });
  closedUrl = await closed.listen({ host: '127.0.0.1', port: 0 });
}, 180_000);

afterAll(async () => {
  await closed?.close();
  await s?.close();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

describe('dashboard server', () => {
  it('serves every page as the app with strict security headers and cacheable hashed assets', async () => {
    for (const path of ['/', `/deploys/${s.ids.rolledBack}`, '/services/checkout', '/safety']) {
      const res = await fetch(url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await res.text();
      // No inline script: every <script> loads a file.
      expect(html.match(/<script\b[^>]*>/g)).toEqual([
        expect.stringMatching(/ src="\/assets\/app-[A-Z0-9]+\.js"/),
      ]);
    }
    const html = await (await fetch(url)).text();
    for (const asset of html.match(/\/assets\/[^"]+/g) ?? []) {
      const res = await fetch(url + asset);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    const css = await (await fetch(url + html.match(/\/assets\/styles-[^"]+\.css/)![0])).text();
    expect(css).toContain('.u-legend'); // uPlot's stylesheet is bundled, not fetched from a CDN
    expect((await fetch(`${url}/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });

  it("charts a check across a deploy from the metric source, with the judge's thresholds and decision", async () => {
    const res = await s.rt.app.inject(`/api/v1/deploys/${s.ids.rolledBack}/series?check=error-ratio`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as DeploySeries;
    const rolled = (await s.store.deploys.get(s.ids.rolledBack))!;
    // Service-wide from before the deploy (twice its length, at least 15 minutes); cohorts only while it ran.
    expect(body.from).toBe(
      rolled.startedAt! - Math.max(15 * 60_000, 2 * (rolled.endedAt! - rolled.startedAt!)),
    );
    expect(body.series.all!.t[0]).toBeLessThan(rolled.startedAt!);
    expect(body.series.canary!.t.every((t) => t >= rolled.startedAt! && t <= rolled.endedAt!)).toBe(true);
    expect(body.series.baseline!.t.length).toBe(body.series.canary!.t.length);
    expect(body.check).toMatchObject({ name: 'error-ratio', unit: 'ratio', static: { max: 0.05 } });
    const stored = await s.store.evaluations.forDeploy(s.ids.rolledBack);
    expect(body.evaluations.map((e) => e.at)).toEqual(stored.map((e) => e.at));
    const last = body.evaluations.at(-1)!;
    const ev = stored.at(-1)!.results.find((r) => r.name === 'error-ratio')!.evidence;
    expect(last).toMatchObject({
      verdict: 'breach',
      decision: 'rollback',
      culprit: true,
      staticThreshold: 0.05,
    });
    expect(last.dynamicThreshold).toBe(ev.dynamicThreshold);
    expect(last.bandHigh).toBeCloseTo(ev.baselineMean! + ev.zThreshold! * ev.baselineSpread!, 12);
    expect(last.bandLow).toBeCloseTo(ev.baselineMean! - ev.zThreshold! * ev.baselineSpread!, 12);
    // The canary's last sample is the canary series the judge compared: it sits well above the baseline's.
    expect(last.canaryValue!).toBeGreaterThan(last.baselineValue! * 1.5);
    expect(body.markers.map((m) => m.kind)).toEqual(['start', 'stage', 'breach', 'rollback', 'rolled_back']);
    expect(body.problems).toEqual([]);

    // The deploy page's one call: every check's chart, the same as asking check by check, and the service's plan.
    const all = (await s.rt.app.inject(`/api/v1/deploys/${s.ids.rolledBack}/charts`)).json() as DeployCharts;
    expect(all.charts.map((c) => c.check.name)).toEqual(['error-ratio', 'latency-p95']);
    expect(all.charts[0]).toEqual(body);
    expect(all.service).toMatchObject({
      name: 'checkout',
      team: 'payments',
      stages: [{ name: 'canary' }, { name: 'half' }, { name: 'full' }],
    });

    const unknown = await s.rt.app.inject(`/api/v1/deploys/${s.ids.rolledBack}/series?check=error_ratio`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({
      code: 'CHECK_UNKNOWN',
      message: expect.stringContaining('did you mean "error-ratio"'),
    });
  });

  it("gives a service's history with the dynamic threshold the judge would have used", async () => {
    const res = await s.rt.app.inject('/api/v1/services/checkout/history?check=error-ratio&weeks=1');
    expect(res.statusCode).toBe(200);
    const h = res.json() as ServiceHistory;
    expect(h.stepMs).toBe(5 * 60_000);
    expect(h.t.length).toBe(7 * 288 + 1);
    expect(h.value.filter((v) => v !== null).length).toBeGreaterThan(h.t.length * 0.95);
    expect(h.lower.every((v) => v === null)).toBe(true); // direction up: only the upper threshold matters
    // At every evaluation of the rolled-back deploy, the history's threshold is the one the judge used (the
    // scenario started the deploy on the 5-minute grid both share; the judge takes the nearest grid point).
    const stored = await s.store.evaluations.forDeploy(s.ids.rolledBack);
    expect(stored.length).toBeGreaterThan(2);
    for (const e of stored) {
      const judged = e.results.find((r) => r.name === 'error-ratio')!.evidence.dynamicThreshold;
      const i = h.t.findIndex((t) => Math.abs(t - e.at) <= 120_000); // evaluations fall on whole minutes
      // Evidence keeps 5 significant digits.
      expect(Number(h.upper[i]!.toPrecision(5))).toBe(judged);
    }
    expect(h.deploys.map((d) => [d.version, d.state])).toEqual([
      ['v2.4.1', 'rolled_back'],
      ['v2.4.0', 'promoted'],
    ]);
    expect(
      (await s.rt.app.inject('/api/v1/services/checkout/history?check=error-ratio&weeks=9')).statusCode,
    ).toBe(400);
    // Without a check: the service's first, so the page can ask before it knows the checks.
    const first = (
      await s.rt.app.inject('/api/v1/services/checkout/history?weeks=1')
    ).json() as ServiceHistory;
    expect([first.check.name, first.upper]).toEqual(['error-ratio', h.upper]);
  });

  it('says who is signed in, and refuses chart data without a token when anonymous reading is off', async () => {
    expect(
      (await s.rt.app.inject({ url: '/api/v1/whoami', headers: auth(s.tokens.checkoutOnly) })).json(),
    ).toEqual({
      name: 'checkout-team',
      scopes: ['deploy'],
      services: ['checkout'],
      teams: [],
      anonymous: false,
      now: s.clock.now(),
    });
    expect((await s.rt.app.inject('/api/v1/whoami')).json()).toMatchObject({
      name: 'anonymous',
      anonymous: true,
      now: s.clock.now(),
    });
    const series = await closed.app.inject(`/api/v1/deploys/${s.ids.rolledBack}/series?check=error-ratio`);
    expect([series.statusCode, series.json().error.code]).toEqual([401, 'AUTH_MISSING']);
    const history = await closed.app.inject('/api/v1/services/checkout/history?check=error-ratio');
    expect(history.statusCode).toBe(401);
    const limited = await closed.app.inject({
      url: `/api/v1/deploys/${s.ids.running}/series?check=error-ratio`,
      headers: auth(s.tokens.checkoutOnly),
    });
    expect([limited.statusCode, limited.json().error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
  });
});

describe.skipIf(!browser.available)('dashboard in Chromium', { timeout: 90_000 }, () => {
  let chrome: BrowserHandle;
  let page: Page;
  /** Uncaught exceptions and CSP violations of every page: there must be none. */
  const problems: string[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    chrome = await launchChromium();
    page = await chrome.context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
    });
  }, 60_000);
  afterAll(async () => {
    await chrome?.close();
  });
  // A failing step leaves a picture of what the browser showed.
  beforeEach((ctx) => {
    ctx.onTestFailed(async () => {
      await page?.screenshot({
        path: join(SCREENSHOTS, `failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`),
        fullPage: true,
      });
    });
  });

  const rowOf = (id: string) => page.locator(`tr[data-deploy-id="${id}"]`);
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const signOut = async () => {
    await page.locator('.who button').click();
    await page.locator('#sign-in-button').waitFor();
  };
  const signIn = async (token: string) => {
    if (await page.locator('.who-name').count()) await signOut();
    await page.locator('#sign-in-button').click();
    await page.locator('#token').fill(token);
    await page.locator('form.sign-in button[type=submit]').click();
    await page.locator('.who-name').waitFor();
  };
  const postFromPage = (path: string, token: string | null) =>
    page.evaluate(
      async ([p, t]) => {
        const res = await fetch(p!, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}) },
          body: '{}',
        });
        return { status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code };
      },
      [path, token] as const,
    );

  it('lists the deploys live, filters them, and shows hostile text as text', async () => {
    await page.goto(url);
    await rowOf(s.ids.rolledBack).waitFor();
    await page.locator('#live-status[data-status="live"]').waitFor();
    expect(await rowOf(s.ids.rolledBack).getAttribute('data-state')).toBe('rolled_back');
    expect(await rowOf(s.ids.promoted).getAttribute('data-state')).toBe('promoted');
    expect(await rowOf(s.ids.running).locator('td').nth(3).textContent()).toBe('canary (1/2)');
    expect(await rowOf(s.ids.running).locator('.traffic').textContent()).toBe('10%');
    expect(await rowOf(s.ids.rolledBack).locator('.changes-summary').textContent()).toContain(
      '#812 Retry card payments on timeout (alice)',
    );
    // The XSS attempts are shown literally and never run.
    expect(await rowOf(s.ids.queued).locator('.deploy-link').textContent()).toBe(XSS_VERSION);
    expect(await rowOf(s.ids.queued).locator('.changes-summary').textContent()).toContain(XSS_TITLE);
    expect(await page.locator('main img, main script, main b').count()).toBe(0);

    // Live: a deploy created now appears without a reload (server-sent events).
    const fresh = await s.createQueued('v3.0.0-live');
    await rowOf(fresh.id).waitFor();
    expect(await rowOf(fresh.id).getAttribute('data-state')).toBe('queued');
    await shot('deploys');

    await page.locator('select[name="service"]').selectOption('search');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-deploy-id]').length === 1);
    expect(await rowOf(s.ids.running).count()).toBe(1);
    expect(new URL(page.url()).search).toBe('?service=search');
    await page.locator('select[name="service"]').selectOption('');
    await page.locator('select[name="team"]').selectOption('payments');
    await page.locator('select[name="state"]').selectOption('rolled_back');
    await page.waitForFunction(() => document.querySelectorAll('tr[data-deploy-id]').length === 1);
    expect(await rowOf(s.ids.rolledBack).count()).toBe(1);
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
  });

  it('shows a rolled-back deploy: why in one sentence, the chart with band, thresholds and breach, stages, changes, audit', async () => {
    await rowOf(s.ids.rolledBack).locator('.deploy-link').click();
    const chart = page.locator('section.check[data-check="error-ratio"] .chart[data-drawn="true"]');
    await chart.waitFor();
    expect(new URL(page.url()).pathname).toBe(`/deploys/${s.ids.rolledBack}`);
    const headline = await page.locator('#decision .headline').textContent();
    expect(headline).toMatch(
      /^Rolled back automatically at \d\d:\d\d:\d\d, \d+ min into stage canary with 10% of traffic on the new version\.$/,
    );
    const sentence = await page.locator('#decision .sentence').textContent();
    expect(sentence).toMatch(
      /^error-ratio: the new version \(canary\) had [\d.]+% against [\d.]+% on the old version \(baseline\) \(\+\d+%\); the rate test gives p=[\de.-]+, below this stage's limit of [\de.-]+, so chance is an unlikely explanation\.$/,
    );

    // uPlot's legend names each series drawn: cohorts, band, thresholds and the markers.
    const labels = await chart.locator('.u-legend .u-series .u-label').allTextContents();
    expect(labels).toEqual(
      expect.arrayContaining([
        'service-wide',
        'canary',
        'baseline',
        'band high',
        'band low',
        'static threshold',
        'dynamic threshold',
        'breach',
        'decision',
      ]),
    );
    const painted = await chart.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
      return { width: c.width, height: c.height, painted: n };
    });
    expect(painted.width).toBeGreaterThan(300);
    expect(painted.painted).toBeGreaterThan(1000);

    expect(await page.locator('li.stage[data-stage="canary"]').getAttribute('data-status')).toBe('stopped');
    expect(await page.locator('li.stage[data-stage="half"]').getAttribute('data-status')).toBe('not reached');
    expect(await page.locator('ul.changes li').allTextContents()).toEqual([
      '#812 Retry card payments on timeout by alice',
      '#815 Bump HTTP client by bob',
    ]);
    expect(await page.locator('ul.changes a').first().getAttribute('href')).toBe(
      'https://git.example.com/shop/pull/812',
    );
    const audit = await page
      .locator('table.audit tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event')));
    expect(audit).toEqual([
      'deploy:queued',
      'deploy:started',
      'stage:advanced',
      'check:breached',
      'deploy:rolling_back',
      'deploy:rolled_back',
    ]);
    // Anonymous readers get no controls.
    expect(await page.locator('.controls').count()).toBe(0);
    await shot('deploy-rolled-back');
    // The first screen alone (decision, stages, the first chart): the picture docs/images/dashboard-deploy.png shows.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'deploy-rolled-back-top.png') });
  });

  it('hides the controls from read-only and anonymous users, and the API refuses them', async () => {
    await page.goto(`${url}/deploys/${s.ids.running}`);
    await page.locator('#decision').waitFor();
    expect(await page.locator('.controls').count()).toBe(0);
    expect(await page.locator('.controls-hint').textContent()).toContain('Sign in with a deploy-scope token');
    expect(await postFromPage(`/api/v1/deploys/${s.ids.running}/pause`, null)).toEqual({
      status: 401,
      code: 'AUTH_MISSING',
    });

    await signIn(s.tokens.read);
    await page.locator('.controls-hint').waitFor();
    expect(await page.locator('.who-name').textContent()).toBe('viewer');
    expect(await page.locator('button[data-op]').count()).toBe(0);
    expect(await page.locator('.controls-hint').textContent()).toContain('lacks the deploy scope');
    expect(await postFromPage(`/api/v1/deploys/${s.ids.running}/pause`, s.tokens.read)).toEqual({
      status: 403,
      code: 'AUTH_FORBIDDEN',
    });

    // Deploy scope, but only on checkout: search's deploy is not even readable with it.
    await signIn(s.tokens.checkoutOnly);
    await page.locator('.notice[data-error-code="AUTH_FORBIDDEN"]').waitFor();
    expect(await page.locator('button[data-op]').count()).toBe(0);
    expect(await postFromPage(`/api/v1/deploys/${s.ids.running}/pause`, s.tokens.checkoutOnly)).toEqual({
      status: 403,
      code: 'AUTH_FORBIDDEN',
    });
    expect((await s.store.deploys.get(s.ids.running))!.state).toBe('running');
    await signOut();
  });

  it('lets a deploy-scope user pause, resume and roll back, and shows each new state', async () => {
    await page.goto(`${url}/deploys/${s.ids.running}`);
    await signIn(s.tokens.deploy);
    const badge = (state: string) => page.locator(`h1 .badge[data-state="${state}"]`).waitFor();
    await page.locator('button[data-op="pause"]').click();
    await badge('paused');
    expect(await page.locator('#decision .headline').textContent()).toMatch(
      /^Paused \(manual\) by release-engineer/,
    );
    await page.locator('button[data-op="resume"]').click();
    await badge('running');
    await page.locator('button[data-op="rollback"]').click();
    await page.locator('input[name="reason"]').fill('ranking looks off in the canary');
    await page.locator('button[data-confirm="rollback"]').click();
    await badge('rolled_back');
    expect(await page.locator('#decision .headline').textContent()).toMatch(
      /^Rolled back by release-engineer/,
    );
    expect(await page.locator('#decision .sentence').textContent()).toBe('ranking looks off in the canary');
    const trail = await page
      .locator('table.audit tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-event'), r.querySelector('.actor')?.textContent]),
      );
    expect(trail).toEqual(
      expect.arrayContaining([
        ['deploy:paused', 'release-engineer'],
        ['deploy:resumed', 'release-engineer'],
        ['deploy:rolling_back', 'release-engineer'],
        ['deploy:rolled_back', 'releasebot'],
      ]),
    );
    expect((await s.store.deploys.get(s.ids.running))!.state).toBe('rolled_back');
    expect(await page.locator('button[data-op]').count()).toBe(0); // nothing left to do on a finished deploy
  });

  it('shows a service: current version, checks, history with the dynamic threshold, recent deploys', async () => {
    await page.goto(`${url}/services/checkout`);
    const chart = page.locator('.history .chart[data-drawn="true"]');
    await chart.waitFor();
    expect(await page.locator('#current-version').textContent()).toBe('v2.4.0');
    expect(
      await page
        .locator('table.check-config tr[data-check]')
        .evaluateAll((r) => r.map((x) => x.getAttribute('data-check'))),
    ).toEqual(['error-ratio', 'latency-p95']);
    expect(await chart.locator('.u-legend .u-series .u-label').allTextContents()).toEqual(
      expect.arrayContaining(['value', 'usual level', 'dynamic threshold (upper)', 'static threshold']),
    );
    expect(await page.locator('table.deploys tr[data-deploy-id]').count()).toBe(2);
    await shot('service');
    await page.locator('select[name="check"]').selectOption('latency-p95');
    await page.waitForFunction(
      () => document.querySelector('.history .chart[data-check="latency-p95"][data-drawn="true"]') !== null,
    );
    expect(new URL(page.url()).search).toBe('?check=latency-p95&weeks=4');
  });

  it('shows deploy safety: impact hours by week and response times against the goals', async () => {
    // The safety consumer (issue 6) opens an incident for the automatic rollback from the event log; wait for it.
    await expect
      .poll(
        async () =>
          ((await s.rt.app.inject('/api/v1/reports/safety')).json() as SafetyReport).incidents.length,
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    await page.locator('a.nav-link', { hasText: 'Deploy safety' }).click();
    await page.locator('.chart[data-chart="impact"][data-drawn="true"]').waitFor();
    await page.locator('.chart[data-chart="response"][data-drawn="true"]').waitFor();
    expect(await page.locator('.chart[data-chart="response"] .u-legend .u-label').allTextContents()).toEqual(
      expect.arrayContaining(['remediate median', 'automatic goal (10 min)', 'manual goal (20 min)']),
    );
    expect(await page.locator('table.periods tbody tr').count()).toBe(13); // 12 weeks and the total
    // The rolled-back deploy is a change-triggered incident, remediated automatically, linked to its deploy page.
    const incident = page.locator('table.incidents tr[data-incident]', {
      has: page.locator(`a[href="/deploys/${s.ids.rolledBack}"]`),
    });
    expect(await incident.count()).toBe(1);
    expect(await incident.locator('td').nth(7).textContent()).toMatch(/\(automatic\)$/);
    await shot('safety');
  });

  it('asks for a token when the server does not allow anonymous reading, and refuses a wrong one', async () => {
    const other = await chrome.context.newPage();
    other.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await other.goto(closedUrl);
    await other.locator('form.sign-in').waitFor();
    expect(await other.locator('table.deploys').count()).toBe(0);
    await other.locator('#token').fill('rb_not-a-token');
    await other.locator('form.sign-in button[type=submit]').click();
    await other.locator('.form-message.error').waitFor();
    expect(await other.locator('.form-message.error').textContent()).toContain('unknown token');
    await other.locator('#token').fill(s.tokens.read);
    await other.locator('form.sign-in button[type=submit]').click();
    await other.locator(`tr[data-deploy-id="${s.ids.rolledBack}"]`).waitFor();
    // The token stays in this tab only.
    expect(await other.evaluate(() => [sessionStorage.length, localStorage.length, document.cookie])).toEqual(
      [1, 0, ''],
    );
    await other.close();
    expect(problems).toEqual([]);
  });
});
