import { z } from 'zod';
import { checkSchema, checkTemplateSchema, directionSchema, actionSchema } from './check-schema.js';
import { deployerSchema } from './deployer-schema.js';
import { durationSchema, positiveDurationSchema } from './duration-schema.js';
import { notifierSchema } from './notifier-schema.js';
import { sourceSchema } from './source-schema.js';
import { checkPlaceholders, templateString } from './template-variables.js';

const nameRe = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const nameSchema = z
  .string()
  .regex(nameRe, 'expected a name of letters, digits, `_`, `-` and `.`, starting with a letter or digit');

export const gateSchema = z
  .object({
    /** A smoke test: exit code 0 passes. */
    command: templateString().optional(),
    http: z
      .object({
        /** May use the same `{{placeholders}}` as commands; values are URL-encoded. */
        url: z.url().superRefine(checkPlaceholders),
        method: z.enum(['GET', 'POST', 'HEAD']).default('GET'),
        expectStatus: z.number().int().min(100).max(599).default(200),
      })
      .strict()
      .optional(),
    timeout: positiveDurationSchema.default(120_000),
  })
  .strict()
  .refine((g) => (g.command ? 1 : 0) + (g.http ? 1 : 0) === 1, {
    message: 'a gate needs exactly one of `command` or `http`',
  });

export const stageSchema = z
  .object({
    name: nameSchema,
    /** Percent of traffic on the new version during this stage, (0, 100]. */
    traffic: z
      .number({ error: 'expected a number of percent, e.g. 10' })
      .gt(0, { error: 'expected a percentage greater than 0' })
      .lte(100, { error: 'expected a percentage of at most 100' }),
    bake: positiveDurationSchema,
    gate: gateSchema.optional(),
  })
  .strict();

const weekdaySchema = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day such as 09:00');

/** Deploys start only inside a window; outside all windows of a service, queued deploys wait. */
export const deployWindowSchema = z
  .object({
    days: z.array(weekdaySchema).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']),
    start: clockTimeSchema,
    end: clockTimeSchema,
    timezone: z
      .string()
      .default('UTC')
      .refine((tz) => isTimeZone(tz), { message: 'expected an IANA time zone such as Europe/Berlin' }),
  })
  .strict();

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const trafficSchema = z
  .object({
    query: z.string().min(1),
    canary: z.string().min(1).optional(),
    baseline: z.string().min(1).optional(),
  })
  .strict();

export const serviceSchema = z
  .object({
    team: z.string().min(1).optional(),
    /** Slack channel for this service's deploy messages (overrides the team's). */
    channel: z.string().min(1).optional(),
    alertChannel: z.string().min(1).optional(),
    deployer: deployerSchema.optional(),
    /** Name of a metric source under `sources:`; `builtin` by default. */
    source: z.string().min(1).optional(),
    interval: positiveDurationSchema.optional(),
    queue: z.enum(['fifo', 'latest']).optional(),
    /** Requests per minute, so counts compare per request and ratios weigh by requests. */
    traffic: trafficSchema.optional(),
    stages: z.array(stageSchema).min(1).optional(),
    checks: z.array(checkSchema).optional(),
    /** Values for `{{param}}` placeholders in check templates. */
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    deployWindows: z.array(deployWindowSchema).optional(),
    /** Key services page on rollback (PagerDuty). */
    key: z.boolean().optional(),
  })
  .strict();

export const teamSchema = z
  .object({
    channel: z.string().min(1).optional(),
    alertChannel: z.string().min(1).optional(),
    /** Slack user group id (S…) or handle mentioned on pauses and rollbacks. */
    mention: z.string().min(1).optional(),
    deployWindows: z.array(deployWindowSchema).optional(),
  })
  .strict();

export const configSchema = z
  .object({
    store: z
      .object({
        /** `./.releasebot` (embedded PGlite directory, the default), `memory:` or `postgres://…`. */
        url: z.string().min(1).default('./.releasebot'),
      })
      .strict()
      .default({ url: './.releasebot' }),
    server: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Where people reach the dashboard; used in links from Slack. */
        publicUrl: z.url().optional(),
        /** Requests per minute per token. */
        rateLimit: z.number().int().min(1).default(600),
        bodyLimit: z
          .number()
          .int()
          .min(1024)
          .max(50 * 1024 * 1024)
          .default(1024 * 1024),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080, rateLimit: 600, bodyLimit: 1024 * 1024 }),
    cluster: z
      .object({
        /** A replica that stops renewing loses its work after this long. */
        leaseTime: positiveDurationSchema.default(15_000),
      })
      .strict()
      .default({ leaseTime: 15_000 }),
    sources: z.record(nameSchema, sourceSchema).default({}),
    notifiers: z.record(nameSchema, notifierSchema).default({}),
    teams: z.record(nameSchema, teamSchema).default({}),
    templates: z.record(nameSchema, checkTemplateSchema).default({}),
    defaults: z
      .object({
        interval: positiveDurationSchema.optional(),
        queue: z.enum(['fifo', 'latest']).optional(),
        stages: z.array(stageSchema).min(1).optional(),
        deployer: deployerSchema.optional(),
        source: z.string().min(1).optional(),
        /** Checks every service gets (usually `use:` of a template). */
        checks: z.array(checkSchema).optional(),
        direction: directionSchema.optional(),
        action: actionSchema.optional(),
        /** How much pre-deploy history the z-score baseline uses. */
        baseline: durationSchema.optional(),
      })
      .strict()
      .default({}),
    services: z.record(nameSchema, serviceSchema),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type StageConfig = z.output<typeof stageSchema>;
export type GateConfig = z.output<typeof gateSchema>;
export type DeployWindow = z.output<typeof deployWindowSchema>;
export type TeamConfig = z.output<typeof teamSchema>;
