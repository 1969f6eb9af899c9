import { slackSignature } from '../../../src/notify/slack/verify-slack-signature.js';
import {
  deepJson,
  INJECTIONS,
  invalidUtf8,
  NUMBERS_TEXT,
  wrongTypedValue,
  type Rand,
} from './hostile-values.js';

/** One hostile request, in `app.inject` terms; `kind` names the generator that made it (for the report). */
export interface Hostile {
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

export interface Op {
  method: string;
  path: string;
  hasBody: boolean;
  hasQuery: boolean;
}

/** Percent-encodes every byte (lone surrogates, which encodeURIComponent refuses, go as U+FFFD's bytes). */
const enc = (s: string) =>
  [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** Fills `{param}` placeholders with hostile values (encoded, or raw so they change the path itself). */
function hostilePath(r: Rand, path: string): string {
  return path.replace(/\{[^}]+\}/g, () => {
    const v = r.pick(INJECTIONS);
    return r.chance(0.7) ? enc(v) : v.replace(/[?#\s]/g, '');
  });
}

/** A JSON body no route accepts: always of a wrong type or shape somewhere, often hostile throughout. */
function hostileJson(r: Rand): { kind: string; payload: string | Buffer } {
  switch (r.int(9)) {
    case 0:
      return {
        kind: 'json-top-level-type',
        payload: r.pick(['42', '"text"', '[1,2,3]', 'null', 'true', '1e309', '-0']),
      };
    case 1: {
      // Every known field at a wrong type, plus hostile extras (strict schemas refuse unknown keys).
      const o: Record<string, unknown> = {};
      for (const k of [
        'name',
        'service',
        'version',
        'scope',
        'title',
        'severity',
        'target',
        'reason',
        'scopes',
        'namespace',
      ]) {
        if (r.chance(0.6)) o[k] = wrongTypedValue(r);
      }
      o.name = wrongTypedValue(r);
      o[r.pick(INJECTIONS).slice(0, 50)] = r.pick(INJECTIONS);
      return { kind: 'json-wrong-types', payload: JSON.stringify(o) };
    }
    case 2:
      return {
        kind: 'json-prototype-pollution',
        payload: r.pick([
          '{"__proto__":{"polluted":true},"name":1}',
          '{"constructor":{"prototype":{"polluted":true}},"name":1}',
          '{"service":"web","version":"v1","changes":[{"__proto__":{"polluted":true}}]}',
          '{"scope":"all","reason":"x","__proto__":{"isAdmin":true}}',
          '{"name":"t","scopes":["admin"],"constructor":{"prototype":{"scopes":["admin"]}}}',
          '{"a":{"b":{"__proto__":{"polluted":1}}}}',
        ]),
      };
    case 3:
      return { kind: 'json-deep', payload: deepJson(33 + r.int(20_000), r) };
    case 4:
      return {
        kind: 'json-malformed',
        payload: r.pick([
          '{"a":',
          "{'a':1}",
          '{"a":1,}',
          'NaN',
          '{"a":1}garbage',
          '{"a":"\\u12"}',
          '\u0000',
          '',
          ' ',
          '{"a":01}',
          '[1,]',
          '{"a" 1}',
        ]),
      };
    case 5:
      return { kind: 'json-invalid-utf8', payload: invalidUtf8(r) };
    case 6:
      return {
        kind: 'json-huge-numbers',
        payload: `{"name":${r.pick(NUMBERS_TEXT.filter((n) => /^-?[\d.e]+$/.test(n)))},"service":${r.pick(['1e309', '-1e309', '123456789012345678901234567890'])},"limit":1e999}`,
      };
    case 7:
      return {
        kind: 'json-huge-body',
        payload: `{"service":"web","version":"${'x'.repeat(1024 * 1024 + r.int(1000))}"}`,
      };
    default:
      return {
        kind: 'json-lone-surrogates',
        payload: `{"name":"\\ud800${r.pick(INJECTIONS).replace(/["\\]/g, '')}","service":["\\udfff"]}`,
      };
  }
}

/** An exposition body the metrics parser must refuse. */
function hostileMetrics(r: Rand): string | Buffer {
  return r.pick<string | Buffer>([
    'metric{label="unterminated 1\n',
    'metric not_a_number\n',
    '{service="web"} 1\n',
    `metric{service="web"} 1 ${r.pick(['1e309', 'abc', '-'])}\n`,
    'metric{a="1",a="2"} 1\n',
    `m{l="${'x'.repeat(100)}\\q"} 1\n`,
    '# TYPE metric counter\nmetric_total{ 1\n',
    Buffer.from([0x6d, 0x7b, 0xff, 0xfe, 0x7d, 0x20, 0x31, 0x0a]),
    `${'a'.repeat(20_000)}{\n`,
    'metric 1\n\u0000\u0000\n',
  ]);
}

function tokenHeader(r: Rand, tokens: Record<string, string>): Record<string, string> {
  return { authorization: `Bearer ${r.pick([tokens.admin, tokens.deploy, tokens.read])}` };
}

function badAuth(r: Rand, tokens: Record<string, string>): Record<string, string> {
  return r.pick<Record<string, string>>([
    {},
    { authorization: 'Bearer' },
    { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` },
    { authorization: `Bearer ${'A'.repeat(100_000)}` },
    { authorization: `Bearer rb_${'x'.repeat(43)}` },
    { authorization: `Bearer ${tokens.revoked}` },
    { authorization: `Bearer ${tokens.read} extra` },
    {
      authorization: `bearer  ${
        r
          .pick(INJECTIONS)
          .replace(/[^\x21-\x7e]/g, 'x')
          .slice(0, 200) || 'x'
      }`,
    },
    { authorization: 'Bearer %00' },
  ]);
}

/** One hostile request; `ops` are the API's operations from its OpenAPI document. */
export function hostileRequest(
  r: Rand,
  ops: Op[],
  tokens: Record<string, string>,
  signingSecret: string,
): Hostile {
  const api = ops.filter((o) => o.path.startsWith('/api/') && !o.path.includes('/flagger/'));
  const withBody = api.filter((o) => o.hasBody && o.path !== '/api/v1/metrics');
  const withQuery = api.filter((o) => o.method === 'GET' && o.hasQuery);
  const flagger = ops.filter((o) => o.path.includes('/flagger/'));
  const roll = r.int(100);
  if (roll < 20) {
    const op = r.pick(api);
    const body = hostileJson(r);
    return {
      kind: 'no-or-bad-token',
      method: op.method,
      url: hostilePath(r, op.path),
      headers: {
        ...badAuth(r, tokens),
        ...(op.method !== 'GET' ? { 'content-type': 'application/json' } : {}),
      },
      ...(op.method !== 'GET' ? { payload: body.payload } : {}),
    };
  }
  if (roll < 45) {
    const op = r.pick(withBody);
    const body = hostileJson(r);
    return {
      kind: body.kind,
      method: op.method,
      url: op.path.replace(/\{id\}/g, 'd_fuzz').replace(/\{op\}/g, 'pause'),
      headers: {
        ...tokenHeader(r, tokens),
        'content-type': r.pick([
          'application/json',
          'application/json; charset=utf-8',
          'application/vnd.api+json',
        ]),
      },
      payload: body.payload,
    };
  }
  if (roll < 57) {
    const op = r.pick(api.filter((o) => o.path.includes('{')));
    return {
      kind: 'path-params',
      method: op.method,
      url: hostilePath(r, op.path),
      headers: {
        ...tokenHeader(r, tokens),
        ...(op.method !== 'GET' ? { 'content-type': 'application/json' } : {}),
      },
      ...(op.method !== 'GET' ? { payload: '{}' } : {}),
    };
  }
  if (roll < 70) {
    const op = r.pick(withQuery);
    const params: string[] = [];
    const keys = [
      'limit',
      'before',
      'since',
      'after',
      'service',
      'state',
      'team',
      'rollout',
      'revision',
      'weight',
      'period',
      'from',
      'to',
    ];
    for (let i = 0; i < 1 + r.int(4); i++) {
      const k = r.pick(keys);
      const v = r.chance(0.5) ? r.pick(NUMBERS_TEXT.filter((n) => n !== '0x10')) : r.pick(INJECTIONS);
      params.push(`${k}=${enc(v)}`);
    }
    // Always something no strict query schema accepts.
    params.push(
      r.pick([
        '__proto__[polluted]=1',
        'constructor[prototype][polluted]=1',
        `${enc(r.pick(INJECTIONS).slice(0, 40))}=1`,
        'limit=0',
        'limit=100001',
        'limit=-5',
        'limit=1.5',
      ]),
    );
    return {
      kind: 'query',
      method: 'GET',
      url: `${op.path.replace(/\{[^}]+\}/g, 'x')}?${params.join('&')}`,
      headers: tokenHeader(r, tokens),
    };
  }
  if (roll < 78) {
    const paths = [...new Set(ops.map((o) => o.path))];
    const path = r.pick(paths);
    const used = new Set(ops.filter((o) => o.path === path).map((o) => o.method));
    const method = r.pick(
      ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter(
        (m) => !used.has(m) && !(m === 'GET' && used.has('HEAD')),
      ),
    );
    return {
      kind: 'wrong-method',
      method: method ?? 'PUT',
      url: path.replace(/\{[^}]+\}/g, 'x'),
      headers: { ...(r.chance(0.5) ? tokenHeader(r, tokens) : {}), 'content-type': 'application/json' },
      ...(method !== 'GET' && method !== 'OPTIONS' ? { payload: '{}' } : {}),
    };
  }
  if (roll < 83) {
    const op = r.pick(flagger);
    const body = r.pick<unknown>([
      { name: wrongTypedValue(r), namespace: 'prod', metadata: { token: tokens.deploy } },
      {
        name: 'web',
        namespace: 'prod',
        metadata: { token: r.pick([`rb_${'y'.repeat(43)}`, tokens.revoked, r.pick(INJECTIONS)]) },
      },
      { name: 'web', namespace: 'prod', metadata: { token: tokens.read } },
      { name: 'web', namespace: 'prod', metadata: wrongTypedValue(r) },
      {
        name: 'web',
        namespace: 'prod',
        canaryWeight: r.pick([101, -1, Infinity, '50']),
        metadata: { token: tokens.deploy },
      },
      { name: 'web', namespace: 'prod' },
    ]);
    return {
      kind: 'flagger',
      method: 'POST',
      url: op.path,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    };
  }
  if (roll < 88) {
    const op = r.pick(withBody);
    const type = r.pick([
      'text/plain',
      'text/html',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'application/xml',
      'application/octet-stream',
      'application/json-patch',
    ]);
    return {
      kind: 'content-type',
      method: op.method,
      url: op.path.replace(/\{id\}/g, 'd_fuzz').replace(/\{op\}/g, 'pause'),
      headers: { ...tokenHeader(r, tokens), 'content-type': type },
      payload: r.pick([
        'service=web&version=v1',
        '<deploy/>',
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
        '{"service":"web","version":"v1"}',
      ]),
    };
  }
  if (roll < 91) {
    const url = r.pick([
      '/api/v1/../../etc/passwd',
      '/api/v1/%2e%2e/%2e%2e/etc/passwd',
      '/api/v1/deploys/%',
      '/api/v1/deploys/%E0%A4%A',
      '/api/v1/deploys/%ff%fe',
      '//api//v1//deploys',
      `/api/v1/${'a/'.repeat(2000)}`,
      `/${'x'.repeat(10_000)}`,
      '/api/v1/deploys/%00',
      '/api/v1/deploys/..%2f..%2fpackage.json',
      '/.env',
      '/api/v1/tokens/../tokens',
      '/openapi.json/../../etc/passwd',
      '/api/v2/deploys',
      '/api/v1/deploys;jsessionid=1',
    ]);
    return {
      kind: 'path-junk',
      method: r.pick(['GET', 'POST', 'DELETE']),
      url,
      headers: r.chance(0.5) ? tokenHeader(r, tokens) : {},
    };
  }
  if (roll < 93) {
    const headers: Record<string, string> = { ...tokenHeader(r, tokens), 'content-type': 'application/json' };
    const kind = r.int(3);
    if (kind === 0) headers['idempotency-key'] = 'k'.repeat(200_000);
    if (kind === 1)
      for (let i = 0; i < 500; i++) headers[`x-fuzz-${i}`] = r.pick(INJECTIONS).replace(/[^\x20-\x7e]/g, '?');
    if (kind === 2)
      headers['x-forwarded-for'] = Array.from({ length: 1000 }, (_, i) => `10.0.${i % 256}.1`).join(', ');
    return {
      kind: 'huge-headers',
      method: 'POST',
      url: '/api/v1/deploys',
      headers,
      payload: JSON.stringify({ service: 'web', version: 'v1', name: 1 }),
    };
  }
  if (roll < 96) {
    const url = r.pick(['/slack/commands', '/slack/interactions']);
    const body = r.pick([
      `payload=${enc(JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'rollback', value: 'd_x' }] }))}`,
      'command=%2Freleasebot&text=rollback%20web',
      r.pick(INJECTIONS),
    ]);
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = r.pick([
      undefined,
      `v0=${'0'.repeat(64)}`,
      'v0=short',
      slackSignature('wrong-secret', ts, body),
      slackSignature(signingSecret, String(Number(ts) - 3600), body),
      slackSignature(signingSecret, ts, `${body}&tampered=1`),
    ]);
    const stale = signature && signature === slackSignature(signingSecret, String(Number(ts) - 3600), body);
    return {
      kind: 'slack',
      method: 'POST',
      url,
      headers: {
        'content-type': r.pick(['application/x-www-form-urlencoded', 'application/json', 'text/plain']),
        'x-slack-request-timestamp': stale
          ? String(Number(ts) - 3600)
          : r.pick([ts, 'abc', '-1', '99999999999999']),
        ...(signature ? { 'x-slack-signature': signature } : {}),
      },
      payload: body,
    };
  }
  return {
    kind: 'metrics',
    method: 'POST',
    url: '/api/v1/metrics',
    headers: {
      ...tokenHeader(r, tokens),
      'content-type': r.pick(['text/plain', 'text/plain; version=0.0.4', 'application/openmetrics-text']),
    },
    payload: hostileMetrics(r),
  };
}
