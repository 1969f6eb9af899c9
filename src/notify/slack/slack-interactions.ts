import { ReleasebotError } from '../../errors/releasebot-error.js';
import { parseSlackRequest, type SlackButtonPress } from './parse-slack-request.js';
import { enqueueSlackAnswer } from './record-slack-action.js';
import { runDeployAction } from './run-deploy-action.js';
import { runSlashCommand } from './run-slash-command.js';
import { buttonAction } from './slack-action-ids.js';
import type { SlackInteractionDeps } from './slack-interaction-deps.js';
import { verifySlackSignature } from './verify-slack-signature.js';

export interface SlackRequest {
  /** The body exactly as received: the signature covers these bytes. */
  rawBody: string | Buffer;
  /** Lower-case names, as Node and Fastify give them. */
  headers: Record<string, string | string[] | undefined>;
  contentType?: string;
}

export interface SlackHttpReply {
  status: number;
  /** '' acknowledges with an empty 200; an object is sent as JSON. */
  body: '' | Record<string, unknown>;
}

/**
 * Handles a request from Slack to `/slack/interactions` or `/slack/commands`: verifies its signature, maps the
 * Slack user to a releasebot operator, refuses anyone else, runs the pipeline operation, audits it, and answers in
 * the deploy's thread (through the outbox) and to the user. Slack shows a non-200 as a failure, so refusals are
 * 200 with a message; only unverifiable requests get 401.
 */
export async function handleSlackRequest(
  req: SlackRequest,
  deps: SlackInteractionDeps,
): Promise<SlackHttpReply> {
  const secret = deps.slack.signingSecret;
  if (!secret) {
    const message = `notifier "${deps.notifier}" has no signingSecret; Slack requests cannot be verified`;
    return errorReply(new ReleasebotError('CONFIG_INVALID', message));
  }
  if (req.contentType && !req.contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return errorReply(
      new ReleasebotError('UNSUPPORTED_MEDIA_TYPE', 'Slack sends application/x-www-form-urlencoded'),
    );
  }
  const signature = header(req.headers, 'x-slack-signature');
  const check = verifySlackSignature({
    signingSecret: secret,
    rawBody: req.rawBody,
    timestamp: header(req.headers, 'x-slack-request-timestamp'),
    signature,
    nowMs: deps.wallClock.now(),
    replayCache: deps.replayCache,
  });
  if (!check.ok) {
    deps.logger.warn({ reason: check.reason }, 'refused a Slack request: signature did not verify');
    return errorReply(new ReleasebotError('SIGNATURE_INVALID', 'the Slack request signature did not verify'));
  }
  const parsed = parseSlackRequest(
    typeof req.rawBody === 'string' ? req.rawBody : req.rawBody.toString('utf8'),
  );
  // Unique per request (the replay cache refuses repeats): names the answers it enqueues.
  const requestKey = signature!.slice(3, 35);
  switch (parsed.kind) {
    case 'invalid':
      return errorReply(
        new ReleasebotError('REQUEST_INVALID', `not a Slack request releasebot understands: ${parsed.why}`),
      );
    case 'ignored':
      return { status: 200, body: '' };
    case 'action':
      await pressButton(parsed, requestKey, deps);
      return { status: 200, body: '' };
    case 'command': {
      const result = await runSlashCommand(parsed, requestKey, deps);
      return {
        status: 200,
        body: { response_type: result.inChannel ? 'in_channel' : 'ephemeral', text: result.text },
      };
    }
  }
}

async function pressButton(
  press: SlackButtonPress,
  requestKey: string,
  deps: SlackInteractionDeps,
): Promise<void> {
  const verb = buttonAction(press.actionId);
  if (!verb) return;
  const op = deps.slack.operators?.[press.userId];
  const deploy = await deps.store.deploys.get(press.value);
  const result = await runDeployAction(verb, op, deploy, press.value, null, press, requestKey, deps);
  if (result.outcome !== 'done' && press.responseUrl) {
    // A button press gets no visible HTTP answer: tell the one who pressed through the response_url.
    await enqueueSlackAnswer(deps, null, `${requestKey}:respond`, {
      kind: 'slack.respond',
      responseUrl: press.responseUrl,
      body: { response_type: 'ephemeral', text: result.text },
    });
  }
}

function header(headers: SlackRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function errorReply(err: ReleasebotError): SlackHttpReply {
  return { status: err.status, body: { error: err.toJSON() } };
}
