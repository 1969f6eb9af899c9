import type { ErrorDetail } from '../errors/releasebot-error.js';
import type { CheckInput } from './check-schema.js';
import { didYouMean } from './did-you-mean.js';
import type { ParsedConfig } from './schema.js';
import type { SourceConfig } from './source-schema.js';
import type {
  CohortQueries,
  DetectorOptions,
  ResolvedCheck,
  ResolvedConfig,
  ResolvedService,
} from './resolved-config.js';

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_BASELINE_MS = 3_600_000;
const DETECTOR_KEYS = [
  'kind',
  'key',
  'zscore',
  'static',
  'dynamic',
  'compare',
  'persistence',
  'grace',
] as const;

/** Result of resolving: the config, or every problem found, each with its key path. */
export type ResolveResult = { ok: true; config: ResolvedConfig } | { ok: false; problems: ErrorDetail[] };

/**
 * Applies defaults and templates and checks what the schema alone cannot: references between sections,
 * rising stage traffic, unique names. Pure: the same parsed config always gives the same result.
 */
export function resolveConfig(parsed: ParsedConfig, file?: string): ResolveResult {
  const problems: ErrorDetail[] = [];
  const sources: Record<string, SourceConfig> = {
    builtin: { type: 'builtin', retention: 5 * 7 * 86_400_000 },
    ...parsed.sources,
  };
  const services: Record<string, ResolvedService> = {};

  if (parsed.defaults.source && !sources[parsed.defaults.source]) {
    problems.push(unknownRef('defaults.source', 'source', parsed.defaults.source, Object.keys(sources)));
  }

  if (parsed.defaults.stages) checkStagePlan(parsed.defaults.stages, 'defaults.stages', problems);

  for (const [name, svc] of Object.entries(parsed.services)) {
    const at = `services.${name}`;
    const stages = svc.stages ?? parsed.defaults.stages;
    // Without stages the service cannot be built, but its other parts are still checked so that one run
    // reports every problem.
    if (!stages)
      problems.push({ path: `${at}.stages`, message: 'a service needs `stages` (or `defaults.stages`)' });
    else if (svc.stages) checkStagePlan(svc.stages, `${at}.stages`, problems);

    const source = svc.source ?? parsed.defaults.source ?? 'builtin';
    if (svc.source && !sources[svc.source]) {
      problems.push(unknownRef(`${at}.source`, 'source', svc.source, Object.keys(sources)));
    }
    const team = svc.team ? parsed.teams[svc.team] : undefined;
    const params: Record<string, string> = { service: name, ...stringify(svc.params) };

    const checkInputs: Array<{ check: CheckInput; path: string }> = [
      ...(parsed.defaults.checks ?? []).map((check, i) => ({ check, path: `defaults.checks[${i}]` })),
      ...(svc.checks ?? []).map((check, i) => ({ check, path: `${at}.checks[${i}]` })),
    ];
    const checks: ResolvedCheck[] = [];
    const seen = new Map<string, string>();
    for (const { check, path } of checkInputs) {
      const resolved = resolveCheck(check, path, parsed, params, problems);
      if (!resolved) continue;
      const earlier = seen.get(resolved.name);
      if (earlier) {
        // A service's own check of the same name replaces the default one.
        if (earlier.startsWith('defaults.') && !path.startsWith('defaults.')) {
          checks.splice(
            checks.findIndex((c) => c.name === resolved.name),
            1,
          );
        } else {
          problems.push({
            path: `${path}.name`,
            message: `duplicate check name "${resolved.name}" (also at ${earlier})`,
          });
          continue;
        }
      }
      seen.set(resolved.name, path);
      checks.push(resolved);
    }

    let traffic: ResolvedService['traffic'];
    if (svc.traffic) {
      traffic = {
        all: fill(svc.traffic.query, { ...params, cohort: 'all' }),
        ...(svc.traffic.canary ? { canary: fill(svc.traffic.canary, { ...params, cohort: 'canary' }) } : {}),
        ...(svc.traffic.baseline
          ? { baseline: fill(svc.traffic.baseline, { ...params, cohort: 'baseline' }) }
          : {}),
      };
    }

    if (!stages) continue;
    services[name] = {
      name,
      ...(svc.team ? { team: svc.team } : {}),
      ...((svc.channel ?? team?.channel) ? { channel: svc.channel ?? team?.channel } : {}),
      ...((svc.alertChannel ?? team?.alertChannel)
        ? { alertChannel: svc.alertChannel ?? team?.alertChannel }
        : {}),
      ...(team?.mention ? { mention: team.mention } : {}),
      key: svc.key ?? false,
      deployer: svc.deployer ?? parsed.defaults.deployer ?? { type: 'none' },
      source,
      intervalMs: svc.interval ?? parsed.defaults.interval ?? DEFAULT_INTERVAL_MS,
      queue: svc.queue ?? parsed.defaults.queue ?? 'fifo',
      ...(traffic ? { traffic } : {}),
      stages: stages.map((s) => ({
        name: s.name,
        traffic: s.traffic,
        bakeMs: s.bake,
        ...(s.gate ? { gate: s.gate } : {}),
      })),
      checks,
      deployWindows: svc.deployWindows ?? team?.deployWindows ?? [],
      baselineMs: parsed.defaults.baseline ?? DEFAULT_BASELINE_MS,
    };
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    config: deepFreeze({
      ...(file ? { file } : {}),
      store: parsed.store,
      server: parsed.server,
      cluster: { leaseMs: parsed.cluster.leaseTime },
      sources: byName(sources),
      notifiers: byName(parsed.notifiers),
      teams: byName(parsed.teams),
      services: byName(services),
    }),
  };
}

function checkStagePlan(
  stages: Array<{ name: string; traffic: number }>,
  at: string,
  problems: ErrorDetail[],
): void {
  const names = new Map<string, number>();
  stages.forEach((s, i) => {
    const first = names.get(s.name);
    if (first !== undefined) {
      problems.push({
        path: `${at}[${i}].name`,
        message: `duplicate stage name "${s.name}" (also stage ${first + 1}); stage names must be unique`,
      });
    } else {
      names.set(s.name, i);
    }
    const prev = stages[i - 1];
    if (prev && s.traffic <= prev.traffic) {
      problems.push({
        path: `${at}[${i}].traffic`,
        message: `traffic must rise from stage to stage: ${s.traffic}% after ${prev.traffic}% ("${prev.name}")`,
      });
    }
  });
}

function resolveCheck(
  check: CheckInput,
  path: string,
  parsed: ParsedConfig,
  serviceParams: Record<string, string>,
  problems: ErrorDetail[],
): ResolvedCheck | undefined {
  let template: ParsedConfig['templates'][string] | undefined;
  if (check.use) {
    template = parsed.templates[check.use];
    if (!template) {
      problems.push(unknownRef(`${path}.use`, 'template', check.use, Object.keys(parsed.templates)));
      return undefined;
    }
  }
  const params = {
    ...serviceParams,
    ...stringify(template?.params),
    ...stringify(check.params),
    check: check.name,
  };
  const raw: CohortQueries = {
    all: check.query ?? template?.query,
    canary: check.canary ?? template?.canary,
    baseline: check.baseline ?? template?.baseline,
  };
  // A single query with {{cohort}} stands for all three cohorts.
  if (raw.all && !raw.canary && !raw.baseline && raw.all.includes('{{cohort}}')) {
    raw.canary = raw.all;
    raw.baseline = raw.all;
  }
  const queries: CohortQueries = {};
  for (const cohort of ['all', 'canary', 'baseline'] as const) {
    const q = raw[cohort];
    if (!q) continue;
    const filled = fill(q, { ...params, cohort });
    const missing = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/.exec(filled);
    if (missing) {
      problems.push({
        path: `${path}.${cohort === 'all' ? 'query' : cohort}`,
        message: `no value for {{${missing[1]}}}; set it under \`params:\` of the check or the service`,
      });
      return undefined;
    }
    queries[cohort] = filled;
  }
  if (!queries.all && !(queries.canary && queries.baseline)) {
    problems.push({
      path,
      message: 'a check needs `query` (and optionally `canary` and `baseline`), or `use:` a template',
    });
    return undefined;
  }
  if (!!queries.canary !== !!queries.baseline) {
    problems.push({ path, message: '`canary` and `baseline` go together: give both or neither' });
    return undefined;
  }
  const detectors: DetectorOptions = {};
  for (const key of DETECTOR_KEYS) {
    const v = check[key] ?? template?.[key];
    if (v !== undefined) (detectors as Record<string, unknown>)[key] = v;
  }
  return {
    name: check.name,
    queries,
    direction: check.direction ?? template?.direction ?? parsed.defaults.direction ?? 'up',
    action: check.action ?? template?.action ?? parsed.defaults.action ?? 'rollback',
    detectors,
  };
}

/** Replaces `{{name}}` placeholders; unknown ones are left for the caller to report. */
export function fill(text: string, params: Record<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (m, key: string) => params[key] ?? m);
}

function stringify(p: Record<string, string | number> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(p ?? {}).map(([k, v]) => [k, String(v)]));
}

function unknownRef(path: string, what: string, name: string, known: string[]): ErrorDetail {
  const close = didYouMean(name, known);
  const hint = close ? `; did you mean "${close}"?` : '';
  const list = known.length ? ` (defined: ${known.join(', ')})` : ` (none defined)`;
  return { path, message: `unknown ${what} "${name}"${hint}${list}` };
}

/**
 * A name-keyed map without a prototype: names come from users and requests, and `services['toString']` must be
 * undefined, not Object's method.
 */
function byName<T>(o: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, o);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
