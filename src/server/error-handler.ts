import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { errorCatalogue } from '../errors/error-catalogue.js';
import { ReleasebotError, type ErrorDetail } from '../errors/releasebot-error.js';

/** Fastify's own 4xx errors, by code, mapped to the catalogue. */
const FASTIFY_CODES: Record<string, keyof typeof errorCatalogue> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'REQUEST_INVALID',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'REQUEST_INVALID',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_VALIDATION: 'REQUEST_INVALID',
};

/** PostgreSQL's codes for text it cannot store (a NUL character): the input's fault, answered as such. */
const UNSTORABLE_TEXT = new Set(['22021', '22P05']);

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: { issue?: { path?: Array<string | number>; message?: string } };
}

function validationDetails(err: FastifyError): ErrorDetail[] {
  const issues = (err.validation ?? []) as unknown as ValidationIssue[];
  return issues.map((v) => {
    const path =
      v.params?.issue?.path?.join('.') ?? v.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '';
    const where = [err.validationContext, path].filter(Boolean).join('.');
    return { ...(where ? { path: where } : {}), message: v.params?.issue?.message ?? v.message ?? 'invalid' };
  });
}

/**
 * Fastify's router errors (a URL that does not decode, a path parameter over the length limit) in the API's error
 * shape; without this they leave in Fastify's own format, without a catalogue code.
 */
export function answerFrameworkError(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const e = new ReleasebotError('REQUEST_INVALID', err.message.slice(0, 300));
  void reply.status(e.status).send({ error: e.toJSON() });
}

/** Every error leaves as `{ error: { code, message, hint, details? } }` with the catalogue's status; unknown ones are 500. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    let e: ReleasebotError;
    if (err instanceof ReleasebotError) e = err;
    else if (err.validation) {
      const details = validationDetails(err);
      e = new ReleasebotError(
        'REQUEST_INVALID',
        details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; '),
        { details },
      );
    } else if (err.statusCode === 429) e = new ReleasebotError('RATE_LIMITED', err.message);
    else if (err.code && UNSTORABLE_TEXT.has(err.code))
      e = new ReleasebotError(
        'REQUEST_INVALID',
        'the request carries text that cannot be stored (a NUL character)',
      );
    else if (err.code && FASTIFY_CODES[err.code])
      e = new ReleasebotError(FASTIFY_CODES[err.code], err.message);
    else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
      e = new ReleasebotError('REQUEST_INVALID', err.message);
    else {
      req.log.error({ err }, 'unhandled error');
      e = new ReleasebotError('INTERNAL', 'internal error', { cause: err });
    }
    if (e.status >= 500 && e.code !== 'INTERNAL')
      req.log.warn({ code: e.code, err: e.message }, 'request failed');
    void reply.status(e.status).send({ error: e.toJSON() });
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new ReleasebotError('ROUTE_NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`);
    void reply.status(e.status).send({ error: e.toJSON() });
  });
}
