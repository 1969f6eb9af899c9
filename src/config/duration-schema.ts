import { z } from 'zod';
import { parseDuration } from '../time/duration.js';

/** How a duration is written, as a regex source (also the JSON Schema `pattern`). */
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?(ms|s|m|h|d|w))+$';
const DURATION_TEXT = new RegExp(DURATION_PATTERN);
const EXPECTED = 'expected a duration such as 90s, 10m, 2h or 4w';

/**
 * A duration written as text (`90s`, `10m`, `1h30m`, `4w`), parsed to milliseconds. The check is a regex, not
 * a refinement, so the JSON Schema carries it as `pattern` and editors flag `10 minutes` as the user types.
 * Messages never quote the value: it may come from the environment (the config loader adds what was written).
 */
export const durationSchema = z
  .string({ error: EXPECTED })
  .regex(DURATION_TEXT, { error: EXPECTED })
  .transform((text) => parseDuration(text) ?? Number.NaN);

/** A duration that must be strictly positive. */
export const positiveDurationSchema = durationSchema.refine((ms) => ms > 0, {
  error: 'expected a duration longer than 0, e.g. 10m',
});
