import type { Deploy } from '../../pipeline/deploy.js';
import type { SlackSlashCommand } from './parse-slack-request.js';
import { auditSlackAction, notOperatorText, refuseSlackAction, scopeText } from './record-slack-action.js';
import { renderServiceStatus } from './render-service-status.js';
import { describeFailure, runDeployAction } from './run-deploy-action.js';
import type { SlackButtonAction } from './slack-action-ids.js';
import type { SlackCommandResult } from './slack-command.js';
import type { SlackInteractionDeps } from './slack-interaction-deps.js';
import { escapeMrkdwn } from './slack-mrkdwn.js';
import { hasScope, mayActOn } from './slack-operator.js';

const DEPLOY_VERBS: readonly string[] = ['pause', 'resume', 'rollback'] satisfies SlackButtonAction[];

/** `/releasebot <sub-command> …`: help, status, pause, resume, rollback, and the sub-commands other rooms add. */
export async function runSlashCommand(
  cmd: SlackSlashCommand,
  requestKey: string,
  deps: SlackInteractionDeps,
): Promise<SlackCommandResult> {
  const [sub = 'help', ...args] = cmd.text.split(/\s+/).filter(Boolean);
  const name = sub.toLowerCase();
  if (name === 'help') return { text: helpText(deps) };
  const extra = deps.commands?.[name];
  if (!extra && name !== 'status' && !DEPLOY_VERBS.includes(name)) {
    return { text: `Unknown command \`${escapeMrkdwn(name)}\`.\n${helpText(deps)}` };
  }
  const op = deps.slack.operators?.[cmd.userId];
  const action = `slack.${name}`;
  if (!op) return refuseSlackAction(deps, cmd, action, args[0] ?? null, notOperatorText(cmd.userId));

  if (extra) {
    if (!hasScope(op, extra.scope))
      return refuseSlackAction(deps, cmd, action, args[0] ?? null, scopeText(extra.scope));
    let result: SlackCommandResult;
    try {
      result = await extra.run({
        args,
        slackUserId: cmd.userId,
        slackUserName: cmd.userName,
        operator: op,
        channelId: cmd.channelId,
        mayActOn: (service) => mayActOn(op, deps.config.services[service]),
      });
    } catch (err) {
      result = { text: describeFailure(err, deps.logger), outcome: 'error' };
    }
    const target = result.target ?? args[0] ?? null;
    await auditSlackAction(deps, {
      actor: op.name,
      action,
      target,
      from: cmd,
      outcome: result.outcome ?? 'done',
      details: { text: cmd.text },
    });
    return result;
  }

  const target = args[0];
  if (!target) {
    const usage = `${cmd.command} ${name} <service${name === 'status' ? '' : '|deploy id'}>`;
    return { text: `Usage: \`${escapeMrkdwn(usage)}\`` };
  }
  if (name === 'status') {
    const svc = deps.config.services[target];
    if (!svc) return { text: `Unknown service \`${escapeMrkdwn(target)}\`.` };
    if (!hasScope(op, 'read') || !mayActOn(op, svc)) {
      return refuseSlackAction(
        deps,
        cmd,
        action,
        target,
        `You may not see *${escapeMrkdwn(target)}*.`,
        op.name,
      );
    }
    try {
      const status = await deps.operations.status(target);
      await auditSlackAction(deps, { actor: op.name, action, target, from: cmd, outcome: 'done' });
      return { text: renderServiceStatus(status) };
    } catch (err) {
      return { text: describeFailure(err, deps.logger), outcome: 'error' };
    }
  }
  const deploy = await resolveTarget(target, deps);
  const reason = args.slice(1).join(' ') || null;
  return runDeployAction(name as SlackButtonAction, op, deploy, target, reason, cmd, requestKey, deps);
}

/** A service name means its active deploy; anything else is taken as a deploy id. */
async function resolveTarget(target: string, deps: SlackInteractionDeps): Promise<Deploy | null> {
  if (deps.config.services[target]) return (await deps.operations.status(target)).active;
  return deps.store.deploys.get(target);
}

function helpText(deps: SlackInteractionDeps): string {
  const lines: Array<[string, string?]> = [
    ['status <service>', 'the active, queued and latest deploys'],
    ['pause <service|deploy> [reason]'],
    ['resume <service|deploy> [reason]'],
    ['rollback <service|deploy> [reason]'],
    ...Object.values(deps.commands ?? {}).map((c): [string] => [c.usage]),
  ];
  // Escaped even inside code spans: Slack reads `<…>` as a link or mention anywhere.
  return lines
    .map(([usage, what]) => `\`/releasebot ${escapeMrkdwn(usage)}\`${what ? `: ${what}` : ''}`)
    .join('\n');
}
