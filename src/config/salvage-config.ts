import type { z } from 'zod';
import { unwrapSchema } from './schema-walk.js';

type Schema = z.core.$ZodType;

/**
 * The valid parts of data that failed validation as a whole: each field and map entry is validated on its own
 * and kept when it passes, invalid optional parts are dropped (or given their default). Lets the cross-section
 * checks of `resolveConfig` run on a config with schema errors, so one run reports every problem.
 * Returns undefined when a required part is invalid and cannot be left out.
 */
export function salvage(schema: Schema, value: unknown): unknown {
  const whole = schema['~standard'].validate(value);
  if (!(whole instanceof Promise) && !whole.issues) return whole.value;
  const inner = unwrapSchema(schema);
  const def = inner._zod.def;
  const isMap = value !== null && typeof value === 'object' && !Array.isArray(value);
  if (def.type === 'object' && isMap) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries((def as z.core.$ZodObjectDef).shape)) {
      const part = salvage(field, (value as Record<string, unknown>)[key]);
      if (part === undefined) {
        const fallback = parseSync(field, undefined);
        if (!fallback.ok) return undefined;
        if (fallback.value !== undefined) out[key] = fallback.value;
      } else {
        out[key] = part;
      }
    }
    return out;
  }
  if (def.type === 'record' && isMap) {
    const rec = def as z.core.$ZodRecordDef;
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      if (!parseSync(rec.keyType, key).ok) continue;
      const part = salvage(rec.valueType, entry);
      if (part !== undefined) out[key] = part;
    }
    return out;
  }
  return undefined;
}

function parseSync(schema: Schema, value: unknown): { ok: boolean; value?: unknown } {
  const r = schema['~standard'].validate(value);
  if (r instanceof Promise) return { ok: false };
  return r.issues ? { ok: false } : { ok: true, value: r.value };
}
