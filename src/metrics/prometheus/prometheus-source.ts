import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { Logger } from '../../logging/logger.js';
import type { MetricSource, RangeQuery, Series } from '../metric-source.js';
import { seriesFromBody, type PrometheusBody } from './prometheus-response.js';
import { splitRange } from './split-range.js';

export interface PrometheusSourceOptions {
  /** Base URL, e.g. http://prometheus:9090 or https://host/prometheus (a path prefix is kept). */
  url: string;
  bearerToken?: string;
  username?: string;
  password?: string;
  /** Sent with every request (e.g. X-Scope-OrgID); authentication set above wins over an Authorization here. */
  headers?: Record<string, string>;
  /** ms per HTTP request. */
  timeout: number;
  fetch: typeof globalThis.fetch;
  logger: Logger;
}

/**
 * A MetricSource over Prometheus' HTTP API (also Thanos, Mimir, VictoriaMetrics). Errors are distinct from empty
 * results: SOURCE_UNREACHABLE (connection refused, DNS, timeout), QUERY_INVALID (Prometheus' `bad_data`),
 * SOURCE_ERROR (any other error answer, with Prometheus' errorType and text). Credentials are never logged.
 */
export class PrometheusSource implements MetricSource {
  readonly name = 'prometheus';
  private readonly base: URL;
  private readonly headers: Record<string, string>;

  constructor(private readonly opts: PrometheusSourceOptions) {
    this.base = new URL(opts.url.endsWith('/') ? opts.url : `${opts.url}/`);
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers[k.toLowerCase()] = v;
    if (opts.bearerToken) headers.authorization = `Bearer ${opts.bearerToken}`;
    else if (opts.username !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
    }
    this.headers = headers;
  }

  /**
   * Evaluates `query` at start, start + step, … <= end (ms). Ranges over Prometheus' 11,000-point limit are asked
   * in parts and joined per series. `[]` when nothing matches.
   */
  async queryRange(q: RangeQuery, signal?: AbortSignal): Promise<Series[]> {
    if (!(q.step > 0) || !(q.end >= q.start)) {
      throw new ReleasebotError(
        'QUERY_INVALID',
        `${q.query}: a range query needs step > 0 and end >= start (got step ${q.step} ms)`,
      );
    }
    const bySeries = new Map<string, Series[]>();
    for (const part of splitRange(q.start, q.end, q.step)) {
      const result = await this.request(
        'api/v1/query_range',
        { query: q.query, start: seconds(part.start), end: seconds(part.end), step: seconds(q.step) },
        signal,
      );
      for (const s of result) {
        const key = JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1)));
        const parts = bySeries.get(key);
        if (parts) parts.push(s);
        else bySeries.set(key, [s]);
      }
    }
    return [...bySeries.values()].map(join);
  }

  /** Evaluates `query` at one instant (ms): one sample per series. */
  async queryInstant(query: string, time: number, signal?: AbortSignal): Promise<Series[]> {
    return this.request('api/v1/query', { query, time: seconds(time) }, signal);
  }

  async close(): Promise<void> {}

  private async request(
    path: string,
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Series[]> {
    const url = new URL(path, this.base);
    const where = `${url.origin}${url.pathname}`;
    const timeout = AbortSignal.timeout(this.opts.timeout);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    this.opts.logger.debug({ url: where, query: params.query }, 'prometheus request');
    let status: number;
    let text: string;
    try {
      const res = await this.opts.fetch(url, {
        method: 'POST',
        headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: combined,
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        throw new ReleasebotError(
          'SOURCE_UNREACHABLE',
          `${where}: no answer within ${this.opts.timeout} ms`,
          { cause: e },
        );
      }
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw new ReleasebotError('SOURCE_UNREACHABLE', `${where}: cannot connect (${why})`, { cause: e });
    }
    let body: PrometheusBody;
    try {
      body = JSON.parse(text) as PrometheusBody;
    } catch (e) {
      const snippet = text.slice(0, 200).replace(/\s+/g, ' ').trim() || '(empty body)';
      const auth = status === 401 || status === 403 ? ' (check bearerToken or username/password)' : '';
      throw new ReleasebotError(
        'SOURCE_ERROR',
        `${where}: HTTP ${status}${auth}, not a Prometheus answer: ${snippet}`,
        { cause: e },
      );
    }
    if (body.status === 'error' || status >= 400) {
      const kind = body.errorType ?? `HTTP ${status}`;
      const msg =
        body.error ??
        (status === 401 || status === 403
          ? 'not authorised (check bearerToken or username/password)'
          : 'error');
      if (body.errorType === 'bad_data')
        throw new ReleasebotError('QUERY_INVALID', `${params.query}: ${msg}`);
      throw new ReleasebotError('SOURCE_ERROR', `${where}: HTTP ${status}, ${kind}: ${msg}`);
    }
    if (body.warnings?.length)
      this.opts.logger.warn(
        { url: where, query: params.query, warnings: body.warnings },
        'prometheus warnings',
      );
    return seriesFromBody(body, where);
  }
}

const seconds = (ms: number): string => String(ms / 1000);

function join(parts: Series[]): Series {
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((k, p) => k + p.samples.t.length, 0);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    t.set(p.samples.t, at);
    v.set(p.samples.v, at);
    at += p.samples.t.length;
  }
  return { labels: parts[0].labels, samples: { t, v } };
}
