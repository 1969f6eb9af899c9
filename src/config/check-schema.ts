import { z } from 'zod';
import { durationSchema } from './duration-schema.js';

export const directionSchema = z.enum(['up', 'down', 'both']);
export const actionSchema = z.enum(['alert', 'pause', 'rollback']);
export type Direction = z.infer<typeof directionSchema>;
export type CheckAction = z.infer<typeof actionSchema>;

/**
 * How values of a metric relate to traffic: `ratio` (e.g. error ratio: weigh by requests), `count` (e.g. log lines:
 * compare per request), `gauge` (latency, CPU: compare distributions). `auto` guesses from the metric name.
 */
export const metricKindSchema = z.enum(['auto', 'ratio', 'count', 'gauge']);
export type MetricKind = z.infer<typeof metricKindSchema>;

/** Detector settings; every one has a default good enough that a new user writes none of them. */
export const detectorOptionsShape = {
  kind: metricKindSchema.optional(),
  /** Key metrics: the higher of the static and dynamic threshold wins. */
  key: z.boolean().optional(),
  zscore: z
    .union([
      z.literal(false),
      z
        .object({
          threshold: z.number().positive().optional(),
          minSamples: z.number().int().min(1).optional(),
          baseline: durationSchema.optional(),
        })
        .strict(),
    ])
    .optional(),
  static: z.object({ max: z.number().optional(), min: z.number().optional() }).strict().optional(),
  dynamic: z
    .union([
      z.literal(false),
      z
        .object({
          weeks: z.number().int().min(1).max(52).optional(),
          days: z.number().int().min(0).max(31).optional(),
          window: durationSchema.optional(),
          threshold: z.number().positive().optional(),
        })
        .strict(),
    ])
    .optional(),
  compare: z
    .union([
      z.literal(false),
      z
        .object({
          /** This check's share of the service's false-alarm budget per deploy (default: 1% split over the checks). */
          alpha: z.number().gt(0).lt(0.5).optional(),
          /** Smallest relative canary-vs-baseline difference worth stopping for (default by kind: 10%, 10%, 5%). */
          minEffect: z.number().min(0).optional(),
          /** Canary requests in the deploy before the comparison may decide (default 50). */
          minRequests: z.number().int().min(0).optional(),
        })
        .strict(),
    ])
    .optional(),
  persistence: z
    .object({ breaches: z.number().int().min(1), of: z.number().int().min(1) })
    .strict()
    .refine((p) => p.breaches <= p.of, { message: '`breaches` must not exceed `of`' })
    .optional(),
  /** Evaluations without data before a no_data/error verdict pauses the deploy. */
  grace: z.number().int().min(0).optional(),
};

const queryShape = {
  /** The whole service (all cohorts). */
  query: z.string().min(1).optional(),
  /** The new version's hosts, while a deploy runs. */
  canary: z.string().min(1).optional(),
  /** The old version's hosts, while a deploy runs. */
  baseline: z.string().min(1).optional(),
};

export const checkSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, `_`, `-` and `.` only'),
    /** Name of a check template under `templates:`. */
    use: z.string().optional(),
    /** Values for `{{param}}` placeholders in the template's queries. */
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    ...queryShape,
    direction: directionSchema.optional(),
    action: actionSchema.optional(),
    ...detectorOptionsShape,
  })
  .strict();

/** A check written once and used by many services: queries may contain `{{service}}`, `{{cohort}}`, `{{param}}`. */
export const checkTemplateSchema = z
  .object({
    ...queryShape,
    direction: directionSchema.optional(),
    action: actionSchema.optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    ...detectorOptionsShape,
  })
  .strict();

export type CheckInput = z.infer<typeof checkSchema>;
export type CheckTemplate = z.infer<typeof checkTemplateSchema>;
