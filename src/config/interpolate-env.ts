import { isMap, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import type { PathSegment } from './config-path.js';
import { keyText } from './yaml-locate.js';

/** Environment variables as `process.env` holds them; passed in, never read here. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A `${…}` reference that could not be substituted. */
export interface EnvProblem {
  segments: PathSegment[];
  /** Offset of the `${` in the source text. */
  offset: number;
  /** The variable name, when the reference was well-formed but the variable is unset. */
  variable?: string;
  message: string;
}

export interface Interpolation {
  problems: EnvProblem[];
  /** The text as written (with `${VAR}`) of every scalar that was changed, so messages never show secrets. */
  written: Map<Node, string>;
  /** Every substituted value and the reference it came from, to scrub from messages as a last defence. */
  values: Map<string, string>;
}

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{/g;

/**
 * Replaces `${NAME}` in string values (not keys) with `env.NAME`, in place; `$${` stands for a literal `${`.
 * Unset variables are reported and their reference is left as written, so the rest of the file can still
 * be checked.
 */
export function interpolateEnv(doc: Document, text: string, env: Env): Interpolation {
  const result: Interpolation = { problems: [], written: new Map(), values: new Map() };
  const visit = (node: unknown, segments: PathSegment[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyText(pair) ?? String(pair.key);
        visit(pair.value, [...segments, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...segments, i]));
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${')) {
      substitute(node as Scalar<string>, segments, text, env, result);
    }
  };
  visit(doc.contents, []);
  return result;
}

function substitute(
  node: Scalar<string>,
  segments: PathSegment[],
  text: string,
  env: Env,
  out: Interpolation,
): void {
  const source = node.range ? text.slice(node.range[0], node.range[1]) : '';
  let searchFrom = 0;
  // Where a reference sits in the source, for a precise column (falls back to the start of the value).
  const offsetOf = (literal: string): number => {
    const i = source.indexOf(literal, searchFrom);
    if (i < 0) return node.range?.[0] ?? 0;
    searchFrom = i + literal.length;
    return (node.range?.[0] ?? 0) + i;
  };
  const written = node.value;
  const replaced = written.replace(REFERENCE, (match: string, name: string | undefined) => {
    if (match === '$${') {
      offsetOf('$${');
      return '${';
    }
    const offset = offsetOf(match);
    if (!name) {
      out.problems.push({
        segments,
        offset,
        message:
          '`${` starts an environment variable reference such as ${SLACK_TOKEN}; write `$${` for a literal `${`',
      });
      return match;
    }
    const value = env[name];
    if (value === undefined) {
      out.problems.push({
        segments,
        offset,
        variable: name,
        message: `environment variable ${name} is not set`,
      });
      return match;
    }
    if (value) out.values.set(value, match);
    return value;
  });
  if (replaced !== written) {
    out.written.set(node, written);
    node.value = replaced;
  }
}
