/** Serialises a value for a `$n::jsonb` parameter. */
export const toJson = (v: unknown): string => JSON.stringify(v ?? null);

/** Reads a bigint/number column that may be null. */
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
