/** One step of a key path: a map key or a list index. */
export type PathSegment = string | number;

/** Formats segments as users read them: `services.webapp.stages[1].bake`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${seg}` : seg;
  }
  return out;
}

/** True when `path` is `prefix` or lies below it (`a.b` is under `a`, `a.bc` is not). */
export function isUnderPath(path: string, prefix: string): boolean {
  if (!prefix) return true;
  if (!path.startsWith(prefix)) return false;
  const next = path.charAt(prefix.length);
  return next === '' || next === '.' || next === '[';
}
