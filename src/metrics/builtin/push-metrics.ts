import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { BuiltinSource, IngestResult } from './builtin-source.js';
import type { ExpositionFormat } from './openmetrics-parser.js';

export interface PushMetricsRequest {
  body: string | Uint8Array;
  /** The request's Content-Type; absent means Prometheus text. */
  contentType?: string;
}

export interface PushMetricsOptions {
  /** ms: the time of samples pushed without a timestamp. */
  now: number;
  /** Largest body accepted, bytes. */
  maxBytes?: number;
  /** ms a pushed timestamp may lie ahead of `now` (clock skew) before the sample is rejected. */
  maxFuture?: number;
}

export const DEFAULT_PUSH_MAX_BYTES = 16 * 1024 * 1024;
const DEFAULT_MAX_FUTURE = 10 * 60_000;

/**
 * The service behind `POST /api/v1/metrics`: stores a Prometheus text (`text/plain`, timestamps in ms) or
 * OpenMetrics (`application/openmetrics-text`, timestamps in seconds, `# EOF` required) body in the built-in source.
 * Errors: REQUEST_TOO_LARGE, METRICS_CONTENT_TYPE, METRICS_PARSE (with line and column; nothing is stored).
 */
export async function pushMetrics(
  source: BuiltinSource,
  req: PushMetricsRequest,
  opts: PushMetricsOptions,
): Promise<IngestResult> {
  const maxBytes = opts.maxBytes ?? DEFAULT_PUSH_MAX_BYTES;
  const size = typeof req.body === 'string' ? Buffer.byteLength(req.body) : req.body.byteLength;
  if (size > maxBytes) {
    throw new ReleasebotError(
      'REQUEST_TOO_LARGE',
      `metrics body of ${size} bytes exceeds the limit of ${maxBytes} bytes; push in smaller batches`,
    );
  }
  const format = formatOf(req.contentType);
  return source.ingestExposition(req.body, {
    now: opts.now,
    format,
    file: 'request body',
    notAfter: opts.now + (opts.maxFuture ?? DEFAULT_MAX_FUTURE),
  });
}

function formatOf(contentType: string | undefined): ExpositionFormat {
  const media = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (media === '' || media === 'text/plain') return 'prometheus';
  if (media === 'application/openmetrics-text') return 'openmetrics';
  throw new ReleasebotError('METRICS_CONTENT_TYPE', `cannot read metrics sent as ${JSON.stringify(media)}`);
}
