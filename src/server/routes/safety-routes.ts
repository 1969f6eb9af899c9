import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import { IncidentService, type ServiceGuard } from '../../safety/incident-service.js';
import { loadSafetyReport } from '../../safety/load-safety-report.js';
import { presentIncident } from '../../safety/present-incident.js';
import { reportCsv, REPORT_TABLES } from '../../safety/report-csv.js';
import { PERIODS } from '../../safety/report-period.js';
import type { Store } from '../../store/store.js';
import type { Clock } from '../../time/clock.js';
import { identityOf } from '../auth/auth-hook.js';
import { authorize, mayTouchService, type Identity } from '../auth/identity.js';
import type { AppPlugin } from '../build-app.js';

const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'expected a name (letters, digits, _ - .)');
const timeInput = z
  .union([z.number().int().min(0).max(8.64e15), z.string().min(1).max(40)])
  .describe('epoch ms, ISO 8601 (UTC unless it has an offset), `now`, or a duration ago such as `15m`');
const timeText = z
  .string()
  .min(1)
  .max(40)
  .describe('ISO 8601 date or date-time, epoch ms, or a duration ago (`12w`)');

const incidentFields = {
  title: z.string().min(1).max(200),
  severity: z.enum(['high', 'medium', 'low']),
  selected: z.boolean().optional().describe('count a medium incident in customer-impact hours'),
  impactStart: timeInput,
  detectedAt: timeInput.nullable().optional(),
  mitigatedAt: timeInput.nullable().optional(),
  endedAt: timeInput.nullable().optional(),
  services: z.array(name).max(100).optional().describe('default: the linked deploys’ services'),
  deploys: z
    .array(z.string().min(1).max(100))
    .max(100)
    .optional()
    .describe('linked deploy ids (change-triggered)'),
  exposurePct: z
    .number()
    .min(0)
    .max(100)
    .optional()
    .describe('share of traffic exposed, percent; default 100'),
  remediation: z.enum(['automatic', 'manual']).optional(),
  note: z.string().max(5000).optional(),
};
const createBody = z.object(incidentFields).strict();
const updateBody = z.object(incidentFields).partial().strict();
const resolveBody = z
  .object({ endedAt: timeInput.optional(), note: z.string().max(5000).optional() })
  .strict()
  .optional();
const idParams = z.object({ id: z.string().min(1).max(100) }).strict();
const listQuery = z
  .object({
    service: name.optional(),
    team: name.optional(),
    status: z.enum(['open', 'resolved']).optional(),
    from: timeText.optional(),
    to: timeText.optional(),
    deploy: z.string().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
const importBody = z
  .object({
    deploys: z.array(z.unknown()).max(50_000).optional(),
    incidents: z.array(z.unknown()).max(50_000).optional(),
    csv: z
      .array(
        z
          .object({
            name: z.string().max(200).optional(),
            kind: z.enum(['deploys', 'incidents']).optional(),
            text: z.string(),
          })
          .strict(),
      )
      .max(20)
      .optional(),
    dryRun: z.boolean().optional(),
  })
  .strict();
const reportQuery = z
  .object({
    from: timeText.optional(),
    to: timeText.optional(),
    period: z.enum(PERIODS).default('week'),
    service: name.optional(),
    team: name.optional(),
    format: z.enum(['json', 'csv']).default('json'),
    table: z.enum(REPORT_TABLES).default('periods').describe('which CSV table'),
  })
  .strict();

export interface SafetyRouteDeps {
  config: ResolvedConfig;
  store: Store;
  clock: Clock;
  incidents: IncidentService;
}

/** The token must be allowed every service the change touches. */
const deployGuard =
  (who: Identity, config: ResolvedConfig): ServiceGuard =>
  (services) => {
    authorize(who, 'deploy', null, config);
    for (const s of services) authorize(who, 'deploy', s, config);
  };

const mayRead = (who: Identity, services: readonly string[], config: ResolvedConfig) =>
  services.some((s) => mayTouchService(who, s, config));

/** Incidents (create, update, resolve, list, import) and the deploy-safety report, under /api/v1. */
export function safetyRoutes(deps: SafetyRouteDeps): AppPlugin {
  const { config, incidents } = deps;
  return (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const toInput = <T extends { deploys?: string[] }>({ deploys, ...rest }: T) => ({
      ...rest,
      ...(deploys !== undefined ? { deployIds: deploys } : {}),
    });

    r.get(
      '/api/v1/incidents',
      {
        schema: {
          tags: ['incidents'],
          summary: 'List incidents, newest impact first',
          querystring: listQuery,
        },
      },
      async (req) => {
        const who = identityOf(req);
        authorize(who, 'read', req.query.service ?? null, config);
        const q = req.query;
        const list = await incidents.listIncidents({
          ...(q.service ? { service: q.service } : {}),
          ...(q.team ? { team: q.team } : {}),
          ...(q.status ? { open: q.status === 'open' } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
          ...(q.deploy ? { deployId: q.deploy } : {}),
          limit: q.limit,
        });
        return {
          incidents: list
            .filter((i) => mayRead(who, i.services, config))
            .map((i) => presentIncident(i, config)),
        };
      },
    );

    r.post(
      '/api/v1/incidents',
      { schema: { tags: ['incidents'], summary: 'Open an incident', body: createBody } },
      async (req, reply) => {
        const who = identityOf(req);
        authorize(who, 'deploy', null, config);
        const incident = await incidents.createIncident(
          toInput(req.body),
          who.name,
          deployGuard(who, config),
        );
        return reply.status(201).send({ incident: presentIncident(incident, config) });
      },
    );

    r.post(
      '/api/v1/incidents/import',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Import past deploys and incidents (JSON records or CSV files), all or nothing (admin)',
          body: importBody,
        },
      },
      async (req) => {
        const who = identityOf(req);
        authorize(who, 'admin', null, config);
        return incidents.importRecords(req.body, who.name);
      },
    );

    r.get(
      '/api/v1/incidents/:id',
      { schema: { tags: ['incidents'], summary: 'An incident', params: idParams } },
      async (req) => {
        const who = identityOf(req);
        authorize(who, 'read', null, config);
        const incident = await incidents.getIncident(req.params.id);
        if (!mayRead(who, incident.services, config)) authorize(who, 'read', incident.services[0], config);
        return { incident: presentIncident(incident, config) };
      },
    );

    r.patch(
      '/api/v1/incidents/:id',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Change an incident (null clears a time)',
          params: idParams,
          body: updateBody,
        },
      },
      async (req) => {
        const who = identityOf(req);
        authorize(who, 'deploy', null, config);
        const incident = await incidents.updateIncident(
          req.params.id,
          toInput(req.body),
          who.name,
          deployGuard(who, config),
        );
        return { incident: presentIncident(incident, config) };
      },
    );

    r.post(
      '/api/v1/incidents/:id/resolve',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Resolve an incident (ended now unless endedAt is given)',
          params: idParams,
          body: resolveBody,
        },
      },
      async (req) => {
        const who = identityOf(req);
        authorize(who, 'deploy', null, config);
        const incident = await incidents.resolveIncident(
          req.params.id,
          req.body ?? {},
          who.name,
          deployGuard(who, config),
        );
        return { incident: presentIncident(incident, config) };
      },
    );

    r.get(
      '/api/v1/reports/safety',
      {
        schema: {
          tags: ['reports'],
          summary:
            'Deploy safety: customer-impact hours, TTD/TTR against the goals, bad deploys stopped early, DORA',
          querystring: reportQuery,
        },
      },
      async (req, reply) => {
        const who = identityOf(req);
        const q = req.query;
        authorize(who, 'read', q.service ?? null, config);
        const limited = who.services.length > 0 || who.teams.length > 0;
        const report = await loadSafetyReport(deps, {
          period: q.period,
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
          ...(q.service ? { service: q.service } : {}),
          ...(q.team ? { team: q.team } : {}),
          ...(limited
            ? {
                visible: new Set(Object.keys(config.services).filter((s) => mayTouchService(who, s, config))),
              }
            : {}),
        });
        if (q.format === 'json') return report;
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="releasebot-safety-${q.table}.csv"`)
          .send(reportCsv(report, q.table));
      },
    );
  };
}

/**
 * The routes over a runtime's config, store and clock, for `createRuntime({ plugins: [safetyPlugin] })` (a Runtime
 * has these fields).
 */
export function safetyPlugin(rt: { config: ResolvedConfig; store: Store; clock: Clock }): AppPlugin {
  const incidents = new IncidentService({ store: rt.store, config: rt.config, clock: rt.clock });
  return safetyRoutes({ config: rt.config, store: rt.store, clock: rt.clock, incidents });
}
