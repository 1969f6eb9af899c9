import type { FastifyInstance } from 'fastify';
import { handleSlackRequest } from './slack-interactions.js';
import type { SlackInteractionDeps } from './slack-interaction-deps.js';

/**
 * Fastify plugin: `POST /slack/interactions` (buttons) and `POST /slack/commands` (`/releasebot`), both handled by
 * `handleSlackRequest`. Register it as is (`app.register(slackRoutes, deps)`): the raw-body form parser it adds
 * stays inside this plugin, because the signature covers the exact bytes Slack sent. No API token auth here:
 * Slack's signature is the authentication.
 */
export async function slackRoutes(app: FastifyInstance, deps: SlackInteractionDeps): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  for (const url of ['/slack/interactions', '/slack/commands']) {
    app.post(url, async (request, reply) => {
      const result = await handleSlackRequest(
        {
          rawBody: typeof request.body === 'string' ? request.body : '',
          headers: request.headers,
          contentType: request.headers['content-type'],
        },
        deps,
      );
      reply.code(result.status);
      return result.body === '' ? reply.send() : reply.send(result.body);
    });
  }
}
