import type { FastifyInstance } from 'fastify';
import type { ApiRequest, ApiResponse, ApiTransport } from './api-transport.js';
import { pathWithQuery } from './api-transport.js';

/** The same API, answered in this process (no server running): routes, validation and auth as over the network. */
export function injectTransport(
  app: FastifyInstance,
  description: string,
  onClose: () => Promise<void>,
): ApiTransport {
  return {
    description,
    async send(req: ApiRequest): Promise<ApiResponse> {
      const res = await app.inject({
        method: req.method,
        url: pathWithQuery(req),
        ...(req.body !== undefined ? { payload: req.body as object } : {}),
        ...(req.headers ? { headers: req.headers } : {}),
      });
      let body: unknown = res.body;
      try {
        body = res.body ? JSON.parse(res.body) : null;
      } catch {
        // plain text (metrics)
      }
      return { status: res.statusCode, body };
    },
    close: onClose,
  };
}
