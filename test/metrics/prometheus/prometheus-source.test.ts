import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ReleasebotError } from '../../../src/errors/releasebot-error.js';
import { createLogger, silentLogger } from '../../../src/logging/logger.js';
import {
  PrometheusSource,
  type PrometheusSourceOptions,
} from '../../../src/metrics/prometheus/prometheus-source.js';

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  params: URLSearchParams;
}

type Handler = (seen: Seen, res: ServerResponse) => void;
const servers: Server[] = [];

/** A local HTTP server standing in for Prometheus; records every request. */
async function serve(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const s = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        params: new URLSearchParams(body),
      };
      seen.push(s);
      handler(s, res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};
const matrix = (result: unknown[]): unknown => ({
  status: 'success',
  data: { resultType: 'matrix', result },
});

function source(url: string, opts: Partial<PrometheusSourceOptions> = {}): PrometheusSource {
  return new PrometheusSource({ url, timeout: 2000, fetch: globalThis.fetch, logger: silentLogger, ...opts });
}

async function caught(p: Promise<unknown>): Promise<ReleasebotError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReleasebotError);
  return e as ReleasebotError;
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const q = { query: 'up{job="api"}', start: 1_700_000_000_000, end: 1_700_000_600_000, step: 60_000 };

describe('PrometheusSource', () => {
  it('posts query_range with seconds, keeps a path prefix, and parses values including NaN and infinities', async () => {
    const { url, seen } = await serve((_s, res) =>
      json(
        res,
        200,
        matrix([
          {
            metric: { __name__: 'up', job: 'api' },
            values: [
              [1700000000, '1'],
              [1700000060.5, 'NaN'],
              [1700000120, '+Inf'],
              [1700000180, '-Inf'],
            ],
          },
        ]),
      ),
    );
    const series = await source(`${url}/prom`).queryRange(q);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/prom/api/v1/query_range' });
    expect(Object.fromEntries(seen[0].params)).toEqual({
      query: 'up{job="api"}',
      start: '1700000000',
      end: '1700000600',
      step: '60',
    });
    expect(series).toEqual([
      {
        labels: { __name__: 'up', job: 'api' },
        samples: {
          t: Float64Array.from([1700000000000, 1700000060500, 1700000120000, 1700000180000]),
          v: Float64Array.from([1, NaN, Infinity, -Infinity]),
        },
      },
    ]);
  });

  it('answers an empty result with [], not an error', async () => {
    const { url } = await serve((_s, res) => json(res, 200, matrix([])));
    expect(await source(url).queryRange(q)).toEqual([]);
  });

  it('runs instant queries against /api/v1/query', async () => {
    const { url, seen } = await serve((_s, res) =>
      json(res, 200, {
        status: 'success',
        data: { resultType: 'vector', result: [{ metric: { a: '1' }, value: [1700000000, '0.25'] }] },
      }),
    );
    const series = await source(url).queryInstant('m', 1_700_000_000_000);
    expect(seen[0].path).toBe('/api/v1/query');
    expect(seen[0].params.get('time')).toBe('1700000000');
    expect(series).toEqual([
      {
        labels: { a: '1' },
        samples: { t: Float64Array.from([1700000000000]), v: Float64Array.from([0.25]) },
      },
    ]);
  });

  it('sends bearer auth, basic auth and custom headers, and never logs credentials', async () => {
    const { url, seen } = await serve((_s, res) => json(res, 200, matrix([])));
    let logged = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logged += chunk.toString();
        cb();
      },
    });
    const logger = createLogger({ level: 'debug', destination: sink });
    await source(url, {
      bearerToken: 's3cret-token',
      headers: { 'X-Scope-OrgID': 'team-a' },
      logger,
    }).queryRange(q);
    await source(url, { username: 'alice', password: 'pa55', logger }).queryRange(q);
    expect(seen[0].headers.authorization).toBe('Bearer s3cret-token');
    expect(seen[0].headers['x-scope-orgid']).toBe('team-a');
    expect(seen[1].headers.authorization).toBe(`Basic ${Buffer.from('alice:pa55').toString('base64')}`);
    expect(logged).toContain('prometheus request');
    expect(logged).not.toContain('s3cret-token');
    expect(logged).not.toContain('pa55');
  });

  it('splits ranges over 11,000 points per series and joins the parts', async () => {
    const { url, seen } = await serve((s, res) => {
      const start = Number(s.params.get('start'));
      const end = Number(s.params.get('end'));
      const step = Number(s.params.get('step'));
      if ((end - start) / step > 11_000)
        return json(res, 400, {
          status: 'error',
          errorType: 'bad_data',
          error: 'exceeded maximum resolution of 11,000 points per timeseries',
        });
      const values: [number, string][] = [];
      for (let t = start; t <= end; t += step) values.push([t, String(t)]);
      json(res, 200, matrix([{ metric: { a: '1' }, values }]));
    });
    const start = 1_700_000_000_000;
    const end = start + 25_000 * 15_000;
    const [series] = await source(url).queryRange({ query: 'm', start, end, step: 15_000 });
    expect(seen).toHaveLength(3);
    expect(series.samples.t.length).toBe(25_001);
    expect(series.samples.t[0]).toBe(start);
    expect(series.samples.t[25_000]).toBe(end);
    expect(series.samples.t.every((t, i) => t === start + i * 15_000)).toBe(true);
  });

  it('maps bad_data to QUERY_INVALID and other errors to SOURCE_ERROR with Prometheus’ text', async () => {
    const { url } = await serve((s, res) => {
      if (s.params.get('query') === 'bad(')
        return json(res, 400, {
          status: 'error',
          errorType: 'bad_data',
          error: 'parse error: unclosed left parenthesis',
        });
      if (s.params.get('query') === 'slow')
        return json(res, 503, {
          status: 'error',
          errorType: 'timeout',
          error: 'query timed out in expression evaluation',
        });
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    });
    const bad = await caught(source(url).queryRange({ ...q, query: 'bad(' }));
    expect(bad.code).toBe('QUERY_INVALID');
    expect(bad.message).toContain('unclosed left parenthesis');
    const slow = await caught(source(url).queryRange({ ...q, query: 'slow' }));
    expect(slow.code).toBe('SOURCE_ERROR');
    expect(slow.message).toContain('HTTP 503, timeout: query timed out');
    const proxy = await caught(source(url).queryRange(q));
    expect(proxy.code).toBe('SOURCE_ERROR');
    expect(proxy.message).toContain('HTTP 502');
    expect(proxy.message).toContain('Bad Gateway');
  });

  it('says when credentials are refused', async () => {
    const { url } = await serve((_s, res) => res.writeHead(401).end('Unauthorized'));
    const e = await caught(source(url, { bearerToken: 'wrong' }).queryRange(q));
    expect(e.code).toBe('SOURCE_ERROR');
    expect(e.message).toContain('HTTP 401');
    expect(e.message).toContain('bearerToken');
  });

  it('turns a server that does not answer in time into SOURCE_UNREACHABLE', async () => {
    const { url } = await serve(() => {
      /* never answers */
    });
    const e = await caught(source(url, { timeout: 200 }).queryRange(q));
    expect(e.code).toBe('SOURCE_UNREACHABLE');
    expect(e.message).toContain('no answer within 200 ms');
  });

  it('turns a refused connection into SOURCE_UNREACHABLE', async () => {
    const { url } = await serve(() => undefined);
    const s = servers.pop() as Server;
    await new Promise((r) => s.close(r));
    const e = await caught(source(url).queryRange(q));
    expect(e.code).toBe('SOURCE_UNREACHABLE');
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('passes a caller’s abort through as the abort, not as a source failure', async () => {
    const { url } = await serve(() => undefined);
    const ac = new AbortController();
    const p = source(url).queryRange(q, ac.signal);
    setTimeout(() => ac.abort(new Error('deploy cancelled')), 50);
    await expect(p).rejects.toThrow('deploy cancelled');
  });

  it('refuses a range without a positive step', async () => {
    const e = await caught(source('http://127.0.0.1:1').queryRange({ ...q, step: 0 }));
    expect(e.code).toBe('QUERY_INVALID');
  });
});
