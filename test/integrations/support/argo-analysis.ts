/**
 * The parts of Argo Rollouts' analysis the example AnalysisTemplate relies on, re-implemented from Argo's source
 * (metricproviders/webmetric, utils/evaluate) so tests can run the example's own conditions against releasebot's
 * real answers:
 * - `{{args.name}}` placeholders are filled from the run's arguments;
 * - `jsonPath` (Kubernetes JSONPath; `{$}` or `{$.a.b}` here) picks `result` from the JSON body;
 * - `successCondition` / `failureCondition` are `expr` expressions over `result`; this evaluator covers the
 *   subset the examples use: `==`, `!=`, `&&`, `||`, `!`, parentheses, member access, string/number/bool/nil;
 * - the measurement phase follows Argo's EvaluateResult: failure wins; neither condition true is Inconclusive;
 *   with only one condition given, the other is its negation; none given is Successful.
 */
export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

export function fillArgs(text: string, args: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g, (all, name: string) => {
    if (!(name in args)) throw new Error(`argument ${name} has no value`);
    return args[name];
  });
}

export function jsonPath(path: string, data: unknown): unknown {
  const m = /^\{\s*\$?((?:\.[A-Za-z0-9_-]+)*)\s*\}$/.exec(path.trim());
  if (!m) throw new Error(`unsupported jsonPath ${path}`);
  let v: unknown = data;
  for (const key of m[1].split('.').filter(Boolean)) {
    if (v === null || typeof v !== 'object' || !(key in v)) throw new Error(`jsonPath ${path}: no ${key}`);
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

export function measurementPhase(
  metric: { successCondition?: string; failureCondition?: string },
  result: unknown,
): MeasurementPhase {
  let success = false;
  let failure = false;
  try {
    if (metric.successCondition) success = asBool(evalExpr(metric.successCondition, { result }));
    if (metric.failureCondition) failure = asBool(evalExpr(metric.failureCondition, { result }));
  } catch {
    return 'Error';
  }
  if (!metric.successCondition && !metric.failureCondition) return 'Successful';
  if (metric.successCondition && !metric.failureCondition) failure = !success;
  if (!metric.successCondition && metric.failureCondition) success = !failure;
  if (failure) return 'Failed';
  if (!success) return 'Inconclusive';
  return 'Successful';
}

function asBool(v: unknown): boolean {
  if (typeof v !== 'boolean') throw new Error(`expected bool, but got ${typeof v}`);
  return v;
}

type Token = { kind: 'op' | 'str' | 'num' | 'id'; text: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re =
    /\s*(?:(==|!=|&&|\|\||[!().])|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*))/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new Error(`cannot parse "${src.slice(i)}"`);
    if (m[1]) out.push({ kind: 'op', text: m[1] });
    else if (m[2] !== undefined) out.push({ kind: 'str', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'str', text: m[3] });
    else if (m[4]) out.push({ kind: 'num', text: m[4] });
    else out.push({ kind: 'id', text: m[5] });
    i = re.lastIndex;
  }
  return out;
}

export function evalExpr(src: string, env: Record<string, unknown>): unknown {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (text: string) => tokens[pos]?.kind === 'op' && tokens[pos].text === text;
  const expect = (text: string) => {
    if (!peek(text)) throw new Error(`expected ${text} in ${src}`);
    pos++;
  };
  const or = (): unknown => {
    let v = and();
    while (peek('||')) {
      pos++;
      const r = and();
      v = asBool(v) || asBool(r);
    }
    return v;
  };
  const and = (): unknown => {
    let v = cmp();
    while (peek('&&')) {
      pos++;
      const r = cmp();
      v = asBool(v) && asBool(r);
    }
    return v;
  };
  const cmp = (): unknown => {
    const l = unary();
    if (peek('==') || peek('!=')) {
      const op = tokens[pos++].text;
      const r = unary();
      return op === '==' ? l === r : l !== r;
    }
    return l;
  };
  const unary = (): unknown => {
    if (peek('!')) {
      pos++;
      return !asBool(unary());
    }
    return primary();
  };
  const primary = (): unknown => {
    const t = tokens[pos++];
    if (!t) throw new Error(`unexpected end of ${src}`);
    if (t.kind === 'op' && t.text === '(') {
      const v = or();
      expect(')');
      return v;
    }
    if (t.kind === 'str') return t.text;
    if (t.kind === 'num') return Number(t.text);
    if (t.kind === 'id') {
      if (t.text === 'true') return true;
      if (t.text === 'false') return false;
      if (t.text === 'nil') return null;
      if (!(t.text in env)) throw new Error(`unknown name ${t.text}`);
      let v = env[t.text];
      while (peek('.')) {
        pos++;
        const key = tokens[pos++];
        if (key?.kind !== 'id') throw new Error(`expected a field name in ${src}`);
        // expr reads a missing map key as nil.
        v = v !== null && typeof v === 'object' ? ((v as Record<string, unknown>)[key.text] ?? null) : null;
      }
      return v;
    }
    throw new Error(`unexpected ${t.text} in ${src}`);
  };
  const v = or();
  if (pos !== tokens.length) throw new Error(`trailing input in ${src}`);
  return v;
}
