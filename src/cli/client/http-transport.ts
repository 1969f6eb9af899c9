import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { ApiRequest, ApiResponse, ApiTransport } from './api-transport.js';
import { pathWithQuery } from './api-transport.js';

/** The API of a running `releasebot serve`, with a bearer token. */
export function httpTransport(
  baseUrl: string,
  token: string | undefined,
  fetchFn: typeof fetch = fetch,
): ApiTransport {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    description: base,
    async send(req: ApiRequest): Promise<ApiResponse> {
      let res: Response;
      try {
        res = await fetchFn(`${base}${pathWithQuery(req)}`, {
          method: req.method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...req.headers,
          },
          ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (cause) {
        throw new ReleasebotError(
          'SERVER_NOT_REACHABLE',
          `cannot reach ${base}: ${(cause as Error).message}`,
          { cause },
        );
      }
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON (a proxy's error page): keep the text.
      }
      return { status: res.status, body };
    },
    async close() {},
  };
}
