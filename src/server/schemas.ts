import { z } from 'zod';

/** Request schemas of the HTTP API; the OpenAPI document is generated from them. */
const shortText = (max: number) => z.string().min(1).max(max);
const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'expected a name (letters, digits, _ - .)');

export const changeSchema = z.union([
  z.string().min(1).max(500).describe('`#1234:Fix login (alice)`'),
  z
    .object({
      id: shortText(200),
      title: z.string().max(500).optional(),
      author: z.string().max(200).optional(),
      url: z.url().max(2000).optional(),
    })
    .strict(),
]);

export const createDeployBody = z
  .object({
    service: name,
    version: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^\s\p{Cc}]+$/u, 'expected a version without spaces or control characters'),
    previousVersion: z.string().min(1).max(200).optional(),
    changes: z.array(changeSchema).max(1000).optional(),
    trigger: z
      .object({ kind: z.enum(['user', 'ci', 'api']).default('api'), actor: shortText(200).optional() })
      .strict()
      .optional(),
    idempotencyKey: shortText(200).optional(),
  })
  .strict();

export const deployIdParams = z.object({ id: z.string().min(1).max(100) }).strict();
export const deployOpParams = z
  .object({
    id: z.string().min(1).max(100),
    op: z.enum(['pause', 'resume', 'rollback', 'abort', 'promote', 'advance']),
  })
  .strict();
export const reasonBody = z
  .object({ reason: z.string().max(1000).optional() })
  .strict()
  .optional();

export const listDeploysQuery = z
  .object({
    service: name.optional(),
    team: name.optional(),
    state: z
      .string()
      .regex(/^[a-z_]+(,[a-z_]+)*$/)
      .optional()
      .describe('comma-separated states'),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    before: z.coerce.number().int().min(0).max(8.64e15).optional(),
    since: z.coerce.number().int().min(0).max(8.64e15).optional(),
  })
  .strict();

export const serviceParams = z.object({ name }).strict();

export const createHoldBody = z
  .object({
    scope: z.enum(['service', 'team', 'all']),
    target: name.optional(),
    reason: shortText(1000),
  })
  .strict()
  .refine((b) => b.scope === 'all' || !!b.target, {
    message: '`target` names the service or team',
    path: ['target'],
  });

export const holdParams = z.object({ id: z.string().min(1).max(100) }).strict();

export const createTokenBody = z
  .object({
    name: shortText(100),
    scopes: z
      .array(z.enum(['read', 'deploy', 'admin']))
      .min(1)
      .max(3),
    services: z.array(name).max(1000).optional(),
    teams: z.array(name).max(1000).optional(),
  })
  .strict();

export const eventsQuery = z
  .object({
    after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
