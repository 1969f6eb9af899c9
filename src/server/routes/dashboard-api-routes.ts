import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ResolvedCheck, ResolvedService } from '../../config/resolved-config.js';
import { didYouMean } from '../../config/did-you-mean.js';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { MetricSource } from '../../metrics/metric-source.js';
import { identityOf } from '../auth/auth-hook.js';
import { authorize } from '../auth/identity.js';
import type { DashboardDeps } from './dashboard-deps.js';
import { deploySeries, type DeployCharts } from './dashboard-deploy-series.js';
import {
  deploySeriesParams,
  deploySeriesQuery,
  serviceHistoryParams,
  serviceHistoryQuery,
} from './dashboard-schemas.js';
import { serviceHistory } from './dashboard-service-history.js';

/** The endpoints only the dashboard needs: who is signed in, and chart data read through the metric sources. */
export function dashboardApiRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { config, deploys } = deps;

  const checkOf = (svc: ResolvedService, name: string): ResolvedCheck => {
    const check = svc.checks.find((c) => c.name === name);
    if (check) return check;
    const hint = didYouMean(
      name,
      svc.checks.map((c) => c.name),
    );
    throw new ReleasebotError(
      'CHECK_UNKNOWN',
      `service "${svc.name}" has no check "${name}"${hint ? `; did you mean "${hint}"?` : ''}`,
    );
  };
  const sourceOf = (svc: ResolvedService): MetricSource => {
    const s = deps.sources.get(svc.source);
    if (!s)
      throw new ReleasebotError(
        'SOURCE_UNKNOWN',
        `service ${svc.name} reads source "${svc.source}", which is not defined`,
      );
    return s;
  };

  r.get(
    '/api/v1/whoami',
    { schema: { tags: ['dashboard'], summary: 'The identity behind the token: name, scopes and limits' } },
    async (req) => {
      const who = identityOf(req);
      // `now`: the server's clock, which the dashboard measures ages against (the demo's clock is simulated).
      return {
        name: who.name,
        scopes: who.scopes,
        services: who.services,
        teams: who.teams,
        anonymous: who.tokenId === null,
        now: deps.clock.now(),
      };
    },
  );

  r.get(
    '/api/v1/deploys/:id/series',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          "A check's metric across a deploy with thresholds, band, breaches and decisions (read through the metric source)",
        params: deploySeriesParams,
        querystring: deploySeriesQuery,
      },
    },
    async (req) => {
      const who = identityOf(req);
      const details = await deploys.details(req.params.id);
      authorize(who, 'read', details.deploy.service, config);
      const svc = deploys.service(details.deploy.service);
      const check = checkOf(svc, req.query.check);
      return deploySeries({
        deploy: details.deploy,
        service: svc,
        check,
        source: sourceOf(svc),
        events: details.events,
        evaluations: details.evaluations,
        now: deps.clock.now(),
      });
    },
  );

  r.get(
    '/api/v1/deploys/:id/charts',
    {
      schema: {
        tags: ['dashboard'],
        summary:
          "Every check's chart across a deploy, with the service's stages and checks (one call for the deploy page)",
        params: deploySeriesParams,
      },
    },
    async (req): Promise<DeployCharts> => {
      const who = identityOf(req);
      const details = await deploys.details(req.params.id);
      authorize(who, 'read', details.deploy.service, config);
      const svc = deploys.service(details.deploy.service);
      const source = sourceOf(svc);
      const now = deps.clock.now();
      const charts = await Promise.all(
        svc.checks.map((check) =>
          deploySeries({
            deploy: details.deploy,
            service: svc,
            check,
            source,
            events: details.events,
            evaluations: details.evaluations,
            now,
          }),
        ),
      );
      return {
        service: {
          name: svc.name,
          team: svc.team ?? null,
          intervalMs: svc.intervalMs,
          stages: svc.stages,
          checks: svc.checks,
        },
        charts,
      };
    },
  );

  r.get(
    '/api/v1/services/:name/history',
    {
      schema: {
        tags: ['dashboard'],
        summary: "A check's service-wide metric over the last weeks with the judge's dynamic threshold",
        params: serviceHistoryParams,
        querystring: serviceHistoryQuery,
      },
    },
    async (req) => {
      const who = identityOf(req);
      const svc = deploys.service(req.params.name);
      authorize(who, 'read', svc.name, config);
      // Without a check, the first: the page can ask for the history and the service at once.
      const check = req.query.check ? checkOf(svc, req.query.check) : svc.checks[0];
      if (!check) throw new ReleasebotError('CHECK_UNKNOWN', `service "${svc.name}" has no checks`);
      const now = deps.clock.now();
      const recent = await deploys.listDeploys({
        service: svc.name,
        since: now - req.query.weeks * 7 * 86_400_000,
        limit: 500,
      });
      return serviceHistory({
        service: svc,
        check,
        source: sourceOf(svc),
        weeks: req.query.weeks,
        now,
        deploys: recent,
      });
    },
  );
}
