import type { SlackButtonPress, SlackSlashCommand } from './parse-slack-request.js';
import type { SlackCommandResult } from './slack-command.js';
import type { SlackInteractionDeps } from './slack-interaction-deps.js';
import type { SlackPayload } from './slack-payload.js';

export type SlackActionSource = SlackButtonPress | SlackSlashCommand;

/** Writes one Slack action to the audit log: who (releasebot identity and Slack user), what, on what, and how it ended. */
export async function auditSlackAction(
  deps: SlackInteractionDeps,
  entry: {
    actor: string;
    action: string;
    target: string | null;
    from: SlackActionSource;
    outcome: 'done' | 'refused' | 'error';
    details?: Record<string, unknown>;
  },
): Promise<void> {
  const { from } = entry;
  await deps.store.audit.record({
    at: deps.clock.now(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    details: {
      via: from.kind === 'action' ? 'button' : 'command',
      outcome: entry.outcome,
      slackUserId: from.userId,
      slackUserName: from.userName,
      slackTeamId: from.teamId,
      ...entry.details,
    },
  });
}

/** Audits and logs a refusal; the text goes back to the user only. Unknown users are audited as `slack:<id>`. */
export async function refuseSlackAction(
  deps: SlackInteractionDeps,
  from: SlackActionSource,
  action: string,
  target: string | null,
  text: string,
  actor?: string,
): Promise<SlackCommandResult> {
  await auditSlackAction(deps, {
    actor: actor ?? `slack:${from.userId}`,
    action,
    target,
    from,
    outcome: 'refused',
  });
  deps.logger.warn({ slackUserId: from.userId, action, target }, 'refused a Slack action');
  return { text, outcome: 'refused' };
}

/**
 * Puts an answer in the outbox of the Slack notifier (a thread reply, or a private response_url message) and wakes
 * the pump: it goes out in order with the deploy's other messages, and is retried like them.
 */
export async function enqueueSlackAnswer(
  deps: SlackInteractionDeps,
  deployId: string | null,
  key: string,
  payload: SlackPayload,
): Promise<void> {
  await deps.store.outbox.enqueue([
    {
      notifier: deps.notifier,
      dedupKey: `${deps.notifier}:slack-request:${key}`,
      deployId,
      payload,
      availableAt: deps.clock.now(),
    },
  ]);
  deps.wake?.();
}

export const notOperatorText = (userId: string): string =>
  `You are not a releasebot operator. An admin can add your Slack user \`${userId}\` under \`operators:\` of the Slack notifier.`;
export const scopeText = (scope: string): string => `You need the \`${scope}\` scope for that.`;
