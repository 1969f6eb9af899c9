import type { z } from 'zod';
import type { PathSegment } from './config-path.js';

type Schema = z.core.$ZodType;
type Def = z.core.$ZodTypeDef;

function defOf(schema: Schema): Def {
  return schema._zod.def;
}

/** Strips wrappers that do not change which keys a value may have (optional, default, transforms…). */
export function unwrapSchema(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const def = defOf(s);
    if (
      def.type === 'optional' ||
      def.type === 'nullable' ||
      def.type === 'default' ||
      def.type === 'prefault'
    ) {
      s = (def as z.core.$ZodOptionalDef).innerType;
    } else if (def.type === 'readonly' || def.type === 'catch' || def.type === 'nonoptional') {
      s = (def as z.core.$ZodReadonlyDef).innerType;
    } else if (def.type === 'pipe') {
      s = (def as z.core.$ZodPipeDef).in;
    } else {
      return s;
    }
  }
  return s;
}

/** The options of a union and, for a discriminated union, the key that tells them apart. */
export function unionOptions(schema: Schema): { options: Schema[]; discriminator?: string } | undefined {
  const def = defOf(unwrapSchema(schema));
  if (def.type !== 'union') return undefined;
  const u = def as z.core.$ZodDiscriminatedUnionDef;
  return { options: [...u.options], ...(u.discriminator ? { discriminator: u.discriminator } : {}) };
}

/** The literal values a discriminated union accepts for its discriminator, e.g. `command`, `webhook`, `none`. */
export function discriminatorValues(schema: Schema): string[] {
  const u = unionOptions(schema);
  if (!u?.discriminator) return [];
  return u.options.flatMap((o) => {
    const field = objectShape(o)?.[u.discriminator!];
    const def = field ? defOf(unwrapSchema(field)) : undefined;
    return def?.type === 'literal' ? (def as z.core.$ZodLiteralDef<string>).values.map(String) : [];
  });
}

function objectShape(schema: Schema): Record<string, Schema> | undefined {
  const def = defOf(unwrapSchema(schema));
  return def.type === 'object' ? (def as z.core.$ZodObjectDef).shape : undefined;
}

/** The object options of a union that fit `value`: the one its discriminator names, else all of them. */
function objectOptions(schema: Schema, value: unknown): Schema[] {
  if (objectShape(schema)) return [unwrapSchema(schema)];
  const u = unionOptions(schema);
  if (!u) return [];
  const objects = u.options.filter((o) => objectShape(o));
  if (u.discriminator && value && typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[u.discriminator];
    const chosen = objects.filter((o) => {
      const field = objectShape(o)![u.discriminator!];
      const def = defOf(unwrapSchema(field));
      return def.type === 'literal' && (def as z.core.$ZodLiteralDef<string>).values.includes(tag as string);
    });
    if (chosen.length) return chosen;
  }
  return objects;
}

/** The schema that validates the value at `segments`, following the data through discriminated unions. */
export function schemaAt(root: Schema, segments: readonly PathSegment[], data: unknown): Schema | undefined {
  let schema: Schema | undefined = root;
  let value = data;
  for (const seg of segments) {
    if (!schema) return undefined;
    const s = unwrapSchema(schema);
    const def = defOf(s);
    if (def.type === 'record') schema = (def as z.core.$ZodRecordDef).valueType;
    else if (def.type === 'array') schema = (def as z.core.$ZodArrayDef).element;
    else
      schema = objectOptions(s, value)
        .map((o) => objectShape(o)![String(seg)])
        .find(Boolean);
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[String(seg)] : undefined;
  }
  return schema;
}

/** The keys the schema accepts in the map at `segments` (for did-you-mean), empty when it is not a map. */
export function acceptedKeys(root: Schema, segments: readonly PathSegment[], data: unknown): string[] {
  const schema = schemaAt(root, segments, data);
  if (!schema) return [];
  let value = data;
  for (const seg of segments) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[String(seg)] : undefined;
  }
  const keys = new Set<string>();
  for (const o of objectOptions(schema, value)) for (const k of Object.keys(objectShape(o)!)) keys.add(k);
  return [...keys];
}
