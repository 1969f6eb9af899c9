/** A small seeded PRNG (mulberry32): the same seed gives the same sequence of hostile inputs on every run. */
export function seeded(seed: number): Rand {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]) => xs[int(xs.length)], chance: (p: number) => next() < p };
}

export interface Rand {
  next(): number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  chance(p: number): boolean;
}

/** Strings attackers try: injections, traversal, template and format strings, control and odd Unicode. */
export const INJECTIONS = [
  "' OR 1=1 --",
  '"; DROP TABLE deploys; --',
  "1'); DELETE FROM api_tokens; --",
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '$(id)',
  '`id`',
  '; rm -rf / ;',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%2e%2e%2f%2e%2e%2f',
  '....//....//',
  '/etc/shadow\u0000.json',
  '\u0000',
  '\u202e\u0644\u0627',
  '\ud800',
  '\udfff\ud800',
  '\uffff\ufffe',
  '%s%s%s%n',
  '%00',
  '\r\nX-Injected: 1',
  'A'.repeat(10_000),
  '🦄'.repeat(500),
  'constructor',
  '__proto__',
  'prototype',
  'toString',
  'NaN',
  '-0',
];

/** Numbers at the edges: huge, tiny, negative, non-integers, beyond double precision. */
export const NUMBERS_TEXT = [
  '1e309',
  '-1e309',
  '9007199254740993',
  '-1',
  '0.5',
  '1e-400',
  '-0',
  '123456789012345678901234567890',
  '0x10',
  'NaN',
  'Infinity',
];

/** A JSON value that is never the right type for a field of ours: the caller puts it where a string goes. */
export function wrongTypedValue(r: Rand): unknown {
  return r.pick<unknown>([
    1e308,
    -1,
    0,
    true,
    null,
    [],
    {},
    [r.pick(INJECTIONS)],
    { $ne: null },
    { $gt: '' },
    Number.MAX_SAFE_INTEGER,
  ]);
}

/** JSON text nested `depth` levels deep (arrays or objects). */
export function deepJson(depth: number, r: Rand): string {
  return r.chance(0.5)
    ? '['.repeat(depth) + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Bytes that are not UTF-8: lone continuation bytes, overlong encodings, surrogates encoded directly, 0xff. */
export function invalidUtf8(r: Rand): Buffer {
  const bad = r.pick([
    [0xff],
    [0xfe, 0xff],
    [0xc0, 0xaf],
    [0xe0, 0x80, 0xaf],
    [0xed, 0xa0, 0x80],
    [0x80],
    [0xf8, 0x88, 0x80, 0x80, 0x80],
  ]);
  return Buffer.from([
    ...Buffer.from('{"name":"'),
    ...bad,
    ...Buffer.from('","service":'),
    ...bad,
    ...Buffer.from('}'),
  ]);
}
