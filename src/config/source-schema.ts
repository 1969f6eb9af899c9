import { z } from 'zod';
import { positiveDurationSchema } from './duration-schema.js';

export const prometheusSourceSchema = z
  .object({
    type: z.literal('prometheus'),
    url: z.url(),
    bearerToken: z.string().min(1).optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    timeout: positiveDurationSchema.default(10_000),
  })
  .strict()
  .refine((s) => !(s.bearerToken && s.username), { message: 'use either bearerToken or username/password' });

export const builtinSourceSchema = z
  .object({
    type: z.literal('builtin'),
    /** How long samples are kept. Dynamic thresholds need the weeks they learn from. */
    retention: positiveDurationSchema.default(5 * 7 * 86_400_000),
    /** Directory for the persisted series; defaults to `<store dir>/metrics`. */
    dir: z.string().optional(),
  })
  .strict();

export const sourceSchema = z.discriminatedUnion('type', [prometheusSourceSchema, builtinSourceSchema]);
export type SourceConfig = z.infer<typeof sourceSchema>;
export type PrometheusSourceConfig = z.infer<typeof prometheusSourceSchema>;
export type BuiltinSourceConfig = z.infer<typeof builtinSourceSchema>;
