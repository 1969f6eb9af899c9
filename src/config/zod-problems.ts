import type { z } from 'zod';
import type { PathSegment } from './config-path.js';
import { didYouMean } from './did-you-mean.js';
import { acceptedKeys, discriminatorValues, schemaAt } from './schema-walk.js';

/** A problem before it is placed in the file: its key path, its text, and whether to point at the key. */
export interface PathProblem {
  segments: PathSegment[];
  message: string;
  where: 'value' | 'key';
  /** A required key that is absent. */
  missing?: boolean;
  /** For an unknown key: the path of the key it is probably a typo of. */
  meant?: PathSegment[];
}

/**
 * Passed as the parse-time error map: zod uses it only where the schema sets no message of its own, so an
 * issue carrying it is one this module words, and any other message is the schema author's.
 */
export const ZOD_DEFAULT_MESSAGE = '\u0000releasebot-default';

export interface IssueContext {
  schema: z.core.$ZodType;
  /** The data that was validated (after env interpolation). */
  data: unknown;
  /** How the value at a path is written in the file, e.g. `"ten"`, `a mapping`; undefined when absent. */
  describe(segments: readonly PathSegment[]): Written | undefined;
}

/** A value as written: `text` for messages (`"ten"`, `a list`), `scalar` when it is a single value. */
export interface Written {
  text: string;
  scalar: boolean;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  record: 'a mapping (key: value lines)',
  array: 'a list',
  literal: 'a fixed value',
};

/** Turns zod issues into messages a person can act on: what was expected, what was found, and a likely fix. */
export function zodProblems(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): PathProblem[] {
  return issues.flatMap((issue) => problemsOf(issue, [], ctx));
}

function problemsOf(issue: z.core.$ZodIssue, prefix: PathSegment[], ctx: IssueContext): PathProblem[] {
  const segments = [...prefix, ...(issue.path as PathSegment[])];
  const custom = issue.message !== ZOD_DEFAULT_MESSAGE ? issue.message : undefined;
  const at = (message: string, where: PathProblem['where'] = 'value'): PathProblem[] => [
    { segments, message, where },
  ];
  const got = ctx.describe(segments);
  const withGot = (message: string): string =>
    got === undefined || / got /.test(message) ? message : `${message}, got ${got.text}`;
  const missing = valueAt(ctx.data, segments) === undefined;
  const key = String(segments[segments.length - 1] ?? '');

  switch (issue.code) {
    case 'invalid_type': {
      const expected = custom ?? `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
      if (missing) {
        return [
          {
            segments,
            message: `missing required key \`${key}\`${custom ? ` (${custom})` : ''}`,
            where: 'value',
            missing: true,
          },
        ];
      }
      return at(withGot(expected));
    }
    case 'too_small':
    case 'too_big':
      return at(withGot(custom ?? sizeMessage(issue)));
    case 'invalid_format':
      return at(withGot(custom ?? formatMessage(issue)));
    case 'not_multiple_of':
      return at(withGot(custom ?? `expected a multiple of ${String(issue.divisor)}`));
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const base =
        custom ?? (values.length === 1 ? `expected ${values[0]}` : `expected one of ${values.join(', ')}`);
      const input = valueAt(ctx.data, segments);
      const hint = typeof input === 'string' ? suggestion(input, issue.values.map(String)) : '';
      return at(withGot(base) + hint);
    }
    case 'unrecognized_keys':
      return issue.keys.map((k) => {
        const known = acceptedKeys(ctx.schema, segments, ctx.data);
        const close = didYouMean(k, known);
        const tail = close
          ? `; did you mean \`${close}\`?`
          : known.length
            ? `; expected one of ${known.map((n) => `\`${n}\``).join(', ')}`
            : '';
        return {
          segments: [...segments, k],
          message: `unknown key \`${k}\`${tail}`,
          where: 'key' as const,
          ...(close ? { meant: [...segments, close] } : {}),
        };
      });
    case 'invalid_key': {
      const inner = issue.issues[0];
      const why = inner && inner.message !== ZOD_DEFAULT_MESSAGE ? inner.message : 'not an accepted name';
      return at(`invalid name ${JSON.stringify(key)}: ${why}`, 'key');
    }
    case 'invalid_union':
      return unionProblems(issue, segments, ctx, custom, withGot);
    case 'custom': {
      // Refinements of whole maps (e.g. a gate) explain themselves; for short single values show what was
      // written (a long command is shown by the line under the message anyway).
      const showGot = got?.scalar && got.text.length <= 40;
      return at(showGot ? withGot(custom ?? 'invalid value') : (custom ?? 'invalid value'));
    }
    default:
      return at(withGot(custom ?? 'invalid value'));
  }
}

function unionProblems(
  issue: z.core.$ZodIssueInvalidUnion,
  segments: PathSegment[],
  ctx: IssueContext,
  custom: string | undefined,
  withGot: (m: string) => string,
): PathProblem[] {
  if (issue.errors.length === 0) {
    // A discriminated union whose tag (e.g. `type`) matched no option; the path ends at the tag.
    const parent = segments.slice(0, -1);
    const tagKey = String(segments[segments.length - 1]);
    const union = schemaAt(ctx.schema, parent, ctx.data);
    const options = union ? discriminatorValues(union) : [];
    const list = options.join(', ');
    const tag = valueAt(ctx.data, segments);
    if (tag === undefined) {
      return [{ segments, message: `missing required key \`${tagKey}\` (one of ${list})`, where: 'value' }];
    }
    const hint = typeof tag === 'string' ? suggestion(tag, options) : '';
    const written = ctx.describe(segments)?.text ?? JSON.stringify(tag);
    return [
      { segments, message: `unknown ${tagKey} ${written}${hint} (expected one of ${list})`, where: 'value' },
    ];
  }
  // Prefer the option the value was evidently meant for: one whose issues are all inside the value.
  const fitting = issue.errors.filter((branch) => !branch.some((i) => i.path.length === 0 && isTypeIssue(i)));
  if (fitting.length) {
    const best = fitting.reduce((a, b) => (b.length < a.length ? b : a));
    return best.flatMap((i) => problemsOf(i, segments, ctx));
  }
  const alternatives = issue.errors.flatMap((branch) =>
    branch.filter((i) => i.path.length === 0).map((i) => expectedOf(i)),
  );
  const message = custom ?? `expected ${[...new Set(alternatives)].join(' or ')}`;
  return [{ segments, message: withGot(message), where: 'value' }];
}

function isTypeIssue(i: z.core.$ZodIssue): boolean {
  return i.code === 'invalid_type' || i.code === 'invalid_value';
}

function expectedOf(i: z.core.$ZodIssue): string {
  if (i.code === 'invalid_type') return TYPE_NAMES[i.expected] ?? i.expected;
  if (i.code === 'invalid_value') return i.values.map((v) => JSON.stringify(v)).join(' or ');
  return 'a valid value';
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (small && limit === 1) return 'must not be empty';
      return `expected ${small ? 'at least' : 'at most'} ${limit} characters`;
    case 'array':
    case 'set':
      return `expected ${small ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}`;
    default: {
      const bound = small
        ? inclusive
          ? 'of at least'
          : 'greater than'
        : inclusive
          ? 'of at most'
          : 'less than';
      return `expected a number ${bound} ${limit}`;
    }
  }
}

function formatMessage(issue: z.core.$ZodIssueInvalidStringFormat): string {
  if (issue.format === 'url') return 'expected a URL such as https://example.com/path';
  if (issue.format === 'regex' && issue.pattern) return `expected text matching ${issue.pattern}`;
  return `expected a valid ${issue.format}`;
}

function suggestion(input: string, options: readonly string[]): string {
  const close = didYouMean(input, options);
  return close && close !== input ? `; did you mean "${close}"?` : '';
}

/** The value at a key path of plain data; undefined when any step is missing. */
export function valueAt(data: unknown, segments: readonly PathSegment[]): unknown {
  let v = data;
  for (const seg of segments) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(seg)];
  }
  return v;
}
