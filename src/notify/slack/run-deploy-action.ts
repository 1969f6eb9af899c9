import type { SlackOperator } from '../../config/notifier-schema.js';
import { isReleasebotError } from '../../errors/releasebot-error.js';
import type { Logger } from '../../logging/logger.js';
import type { Deploy } from '../../pipeline/deploy.js';
import { mrkdwn } from './block-kit.js';
import {
  auditSlackAction,
  enqueueSlackAnswer,
  notOperatorText,
  refuseSlackAction,
  scopeText,
  type SlackActionSource,
} from './record-slack-action.js';
import type { SlackButtonAction } from './slack-action-ids.js';
import type { SlackCommandResult } from './slack-command.js';
import type { SlackInteractionDeps } from './slack-interaction-deps.js';
import { escapeMrkdwn } from './slack-mrkdwn.js';
import { hasScope, mayActOn } from './slack-operator.js';
import { SLACK_MESSAGE_NS, slackMessageKey, type SlackMessageRef } from './slack-payload.js';

const PAST: Record<SlackButtonAction, string> = {
  pause: 'paused',
  resume: 'resumed',
  rollback: 'rolled back',
};
const ASKED: Record<SlackButtonAction, string> = { pause: 'Pause', resume: 'Resume', rollback: 'Roll back' };

/**
 * Pause, resume or roll back from Slack, for a button or a slash command alike: checks the operator (known, with
 * the `deploy` scope, allowed on the service), calls the pipeline, audits the outcome, and answers in the deploy's
 * thread. `deploy` is null when the target named no deploy. Returns the text for the user.
 */
export async function runDeployAction(
  verb: SlackButtonAction,
  op: SlackOperator | undefined,
  deploy: Deploy | null,
  target: string,
  reason: string | null,
  from: SlackActionSource,
  requestKey: string,
  deps: SlackInteractionDeps,
): Promise<SlackCommandResult> {
  const action = `slack.${verb}`;
  if (!op) return refuseSlackAction(deps, from, action, deploy?.id ?? target, notOperatorText(from.userId));
  if (!hasScope(op, 'deploy')) {
    return refuseSlackAction(deps, from, action, deploy?.id ?? target, scopeText('deploy'), op.name);
  }
  if (!deploy) {
    await auditSlackAction(deps, {
      actor: op.name,
      action,
      target,
      from,
      outcome: 'error',
      details: { error: 'no such deploy' },
    });
    return { text: `No active deploy found for \`${escapeMrkdwn(target)}\`.`, outcome: 'error' };
  }
  if (!mayActOn(op, deps.config.services[deploy.service])) {
    const text = `You may not act on *${escapeMrkdwn(deploy.service)}*.`;
    return refuseSlackAction(deps, from, action, deploy.id, text, op.name);
  }
  const why = reason ?? `${ASKED[verb]} from Slack by ${op.name}`;
  try {
    await deps.operations[verb](deploy.id, op.name, why);
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    await auditSlackAction(deps, {
      actor: op.name,
      action,
      target: deploy.id,
      from,
      outcome: 'error',
      details: { reason: why, error },
    });
    return { text: describeFailure(err, deps.logger), outcome: 'error' };
  }
  await auditSlackAction(deps, {
    actor: op.name,
    action,
    target: deploy.id,
    from,
    outcome: 'done',
    details: { reason: why },
  });
  const ref = await deps.store.kv.get<SlackMessageRef>(
    SLACK_MESSAGE_NS,
    slackMessageKey(deps.notifier, deploy.id),
  );
  if (ref) {
    const text = `:ballot_box_with_check: *${ASKED[verb]}* requested by <@${from.userId}> (releasebot user ${escapeMrkdwn(op.name)}): ${escapeMrkdwn(why)}`;
    await enqueueSlackAnswer(deps, deploy.id, `${requestKey}:thread`, {
      kind: 'slack.reply',
      deployId: deploy.id,
      channel: ref.channel,
      message: { text, blocks: [{ type: 'section', text: mrkdwn(text) }] },
      broadcast: false,
    });
  }
  const what = `${escapeMrkdwn(deploy.service)} ${escapeMrkdwn(deploy.version)} (${escapeMrkdwn(deploy.id)})`;
  return { text: `${what}: ${PAST[verb]} requested.`, outcome: 'done', target: deploy.id };
}

/** A pipeline refusal as its message and hint; anything else is logged and reported as an internal error. */
export function describeFailure(err: unknown, logger: Logger): string {
  if (isReleasebotError(err)) return `${escapeMrkdwn(err.message)} (${err.code}: ${escapeMrkdwn(err.hint)})`;
  logger.error({ err }, 'a Slack action failed');
  return 'Something went wrong inside releasebot; the error is in its log.';
}
