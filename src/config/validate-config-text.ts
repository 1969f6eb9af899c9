import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type YAMLError } from 'yaml';
import type { ErrorDetail } from '../errors/releasebot-error.js';
import { formatPath, isUnderPath, type PathSegment } from './config-path.js';
import { findDuplicateKeys } from './duplicate-keys.js';
import { interpolateEnv, type Env, type Interpolation } from './interpolate-env.js';
import { resolveConfig } from './resolve-config.js';
import type { ResolvedConfig } from './resolved-config.js';
import { salvage } from './salvage-config.js';
import { configSchema, type ParsedConfig } from './schema.js';
import { locate, offsetOf, positionAt, segmentsOf } from './yaml-locate.js';
import { ZOD_DEFAULT_MESSAGE, zodProblems, type Written } from './zod-problems.js';

export type ConfigErrorCode = 'CONFIG_PARSE' | 'CONFIG_INVALID' | 'CONFIG_ENV_MISSING';

/** A config, or every problem in it, each placed at file:line:column with its key path. */
export type ConfigResult =
  { ok: true; config: ResolvedConfig } | { ok: false; code: ConfigErrorCode; problems: ErrorDetail[] };

/** A problem with its place in the source, before it becomes an ErrorDetail. */
interface Placed {
  offset: number;
  path: string;
  message: string;
  envMissing?: boolean;
}

/**
 * Parses, interpolates, validates and resolves the text of a releasebot.yaml. Never throws for a bad config:
 * all problems are returned at once, sorted by position. `file` is only used to label the problems.
 */
export function validateConfigText(text: string, opts: { file: string; env: Env }): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, merge: true, prettyErrors: false });
  const detail = (p: Placed): ErrorDetail => ({
    file: opts.file,
    ...positionAt(lineCounter, p.offset),
    ...(p.path ? { path: p.path } : {}),
    message: p.message,
  });
  if (doc.errors.length) {
    // Only the first syntax error: the ones after it are mostly the parser losing its way because of it.
    return { ok: false, code: 'CONFIG_PARSE', problems: [detail(parseProblem(doc.errors[0], text))] };
  }
  if (!isMap(doc.contents)) {
    const what = doc.contents === null ? 'an empty file' : isSeq(doc.contents) ? 'a list' : 'a single value';
    const message = `expected a mapping with at least \`services:\` at the top level, got ${what}`;
    return { ok: false, code: 'CONFIG_INVALID', problems: [detail({ offset: 0, path: '', message })] };
  }

  const env = interpolateEnv(doc, text, opts.env);
  const placed: Placed[] = [];
  const brokenByEnv: string[] = [];
  for (const p of env.problems) {
    const path = formatPath(p.segments);
    brokenByEnv.push(path);
    const used = path ? ` (used in ${path})` : '';
    placed.push({
      offset: p.offset,
      path,
      message: p.message + (p.variable ? used : ''),
      envMissing: !!p.variable,
    });
  }
  for (const d of findDuplicateKeys(doc, lineCounter)) {
    placed.push({ offset: d.offset, path: formatPath(d.segments), message: d.message });
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    const message = `cannot read the YAML: ${(e as Error).message}`;
    return { ok: false, code: 'CONFIG_PARSE', problems: [detail({ offset: 0, path: '', message })] };
  }
  const parsed = configSchema.safeParse(data, { error: () => ZOD_DEFAULT_MESSAGE });
  const schemaPaths: string[] = [];
  // Keys a misspelt key was probably meant to be: "`stages` is missing" would only repeat the typo's report.
  const meant = new Set<string>();
  if (!parsed.success) {
    const describe = (segments: readonly PathSegment[]): Written | undefined =>
      describeAt(doc, env, segments);
    const found = zodProblems(parsed.error.issues, { schema: configSchema, data, describe });
    for (const p of found) if (p.meant) meant.add(formatPath(p.meant));
    for (const p of found) {
      const path = formatPath(p.segments);
      schemaPaths.push(path);
      if (p.missing && meant.has(path)) continue;
      // A value that still holds an unset `${VAR}` fails for that reason, already reported.
      if (brokenByEnv.some((b) => isUnderPath(path, b))) continue;
      placed.push({ offset: offsetOf(locate(doc, p.segments), p.where), path, message: p.message });
    }
  }

  const input = parsed.success ? parsed.data : (salvage(configSchema, data) as ParsedConfig | undefined);
  const resolved = input ? resolveConfig(input, opts.file) : undefined;
  if (resolved && !resolved.ok) {
    for (const p of resolved.problems) {
      const path = p.path ?? '';
      if (!parsed.success && (meant.has(path) || !keepAfterSchemaErrors(path, schemaPaths))) continue;
      if (brokenByEnv.some((b) => isUnderPath(path, b))) continue;
      placed.push({
        offset: offsetOf(locate(doc, segmentsOf(doc, path)), 'value'),
        path,
        message: p.message,
      });
    }
  }

  if (!placed.length && resolved?.ok) return { ok: true, config: resolved.config };
  if (!placed.length) {
    // Unreachable unless the schema and the salvage disagree; still never report success without a config.
    placed.push({ offset: 0, path: '', message: 'the configuration could not be read' });
  }
  const problems = dedupe(placed.sort((a, b) => a.offset - b.offset).map((p) => detail(scrub(p, env))));
  const code = placed.every((p) => p.envMissing) ? 'CONFIG_ENV_MISSING' : 'CONFIG_INVALID';
  return { ok: false, code, problems };
}

/**
 * After schema errors, `resolveConfig` ran on the valid parts only. Its findings about a part with a schema
 * error, or about references into sections that had errors (and so were left out), may be artefacts;
 * stage-plan findings only depend on the stages themselves.
 */
function keepAfterSchemaErrors(path: string, schemaPaths: string[]): boolean {
  if (schemaPaths.some((s) => isUnderPath(path, s) || isUnderPath(s, path))) return false;
  if (/\.stages\[\d+\]\.(name|traffic)$/.test(path)) return true;
  return !schemaPaths.some((s) => /^(sources|templates|defaults|teams)\b/.test(s));
}

function describeAt(
  doc: Document,
  env: Interpolation,
  segments: readonly PathSegment[],
): Written | undefined {
  const loc = locate(doc, segments);
  if (!loc.exact) return undefined;
  const node = loc.node;
  if (!node || (isScalar(node) && node.value === null)) return { text: 'nothing', scalar: true };
  if (isMap(node)) return { text: node.items.length ? 'a mapping' : 'an empty mapping', scalar: false };
  if (isSeq(node)) return { text: node.items.length ? 'a list' : 'an empty list', scalar: false };
  if (!isScalar(node)) return undefined;
  const written = env.written.get(node);
  if (written !== undefined) return { text: JSON.stringify(written), scalar: true };
  if (typeof node.value === 'string') {
    const s = node.value.length > 60 ? `${node.value.slice(0, 57)}...` : node.value;
    return { text: JSON.stringify(s), scalar: true };
  }
  return { text: String(node.value), scalar: true };
}

/** Interpolated values (secrets among them) never reach a message: they are shown as the `${VAR}` written. */
function scrub(p: Placed, env: Interpolation): Placed {
  let message = p.message;
  const values = [...env.values.entries()]
    .filter(([v]) => v.length >= 4)
    .sort((a, b) => b[0].length - a[0].length);
  for (const [value, reference] of values) message = message.split(value).join(reference);
  return { ...p, message };
}

function dedupe(details: ErrorDetail[]): ErrorDetail[] {
  const seen = new Set<string>();
  return details.filter((d) => {
    const key = `${d.line}:${d.column}:${d.path}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const PARSE_MESSAGES: Record<string, string> = {
  MULTIPLE_DOCS: 'a config file holds one YAML document; remove the `---` line and what follows it',
  TAB_AS_INDENT: 'YAML is indented with spaces, not tabs',
};

function parseProblem(e: YAMLError, text: string): Placed {
  const own = PARSE_MESSAGES[e.code];
  let message = own ?? e.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
  // `{ name: ${X} }`: in flow collections `{` is syntax, so an unquoted reference breaks the line.
  const lineStart = text.lastIndexOf('\n', e.pos[0] - 1) + 1;
  const lineEnd = text.indexOf('\n', e.pos[0]);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  if (/[[{][^'"]*[:,[]\s*\$\{/.test(line)) {
    message += "; inside { … } or [ … ] put values that use ${VAR} in quotes: '${VAR}'";
  }
  return { offset: e.pos[0], path: '', message: `invalid YAML: ${message}` };
}
