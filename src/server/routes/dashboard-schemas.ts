import { z } from 'zod';

/** Query schemas of the dashboard's endpoints (they appear in the OpenAPI document). */
const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'expected a name (letters, digits, _ - .)');

export const deploySeriesParams = z.object({ id: z.string().min(1).max(100) }).strict();
export const deploySeriesQuery = z.object({ check: name.describe('the check to chart') }).strict();

export const serviceHistoryParams = z.object({ name }).strict();
export const serviceHistoryQuery = z
  .object({
    check: name.optional().describe("the check to chart; the service's first check when absent"),
    weeks: z.coerce.number().int().min(1).max(8).default(4).describe('weeks of history, 1 to 8'),
  })
  .strict();
