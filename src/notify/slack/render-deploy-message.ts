import type { DeployState } from '../../pipeline/deploy.js';
import type { DeployRef, LifecycleEvent } from '../../events/lifecycle-event.js';
import { formatNumber } from '../format-evidence.js';
import { oneLine } from '../one-line.js';
import type { ServiceRoute } from '../service-route.js';
import { clip, mrkdwn, plain, type Block, type ButtonElement, type SlackMessage } from './block-kit.js';
import { SLACK_ACTION_IDS } from './slack-action-ids.js';
import { authorMarkup, escapeMrkdwn, link } from './slack-mrkdwn.js';

const STATE: Record<DeployState, { emoji: string; label: string }> = {
  queued: { emoji: ':hourglass_flowing_sand:', label: 'Queued' },
  running: { emoji: ':large_blue_circle:', label: 'Running' },
  paused: { emoji: ':double_vertical_bar:', label: 'Paused' },
  rolling_back: { emoji: ':rewind:', label: 'Rolling back' },
  promoted: { emoji: ':white_check_mark:', label: 'Promoted' },
  rolled_back: { emoji: ':leftwards_arrow_with_hook:', label: 'Rolled back' },
  aborted: { emoji: ':no_entry_sign:', label: 'Aborted' },
  failed: { emoji: ':x:', label: 'Failed' },
  superseded: { emoji: ':fast_forward:', label: 'Superseded' },
};

const MAX_CHANGES = 10;

export interface DeployMessageInput {
  event: LifecycleEvent & { deploy: DeployRef };
  route: ServiceRoute;
  deployUrl: string | null;
  users?: Record<string, string>;
}

/**
 * The one message per deploy, re-rendered from the latest event and updated in place: what is shipping (version,
 * changes and their authors), where it is (stage, traffic), why it stopped, and the buttons that fit its state.
 */
export function renderDeployMessage({ event, route, deployUrl, users }: DeployMessageInput): SlackMessage {
  const d = event.deploy;
  const s = STATE[d.state];
  const blocks: Block[] = [
    { type: 'header', text: plain(`${d.service} ${d.version}`) },
    { type: 'section', text: mrkdwn(`${s.emoji} ${statusLine(event)}`) },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Service*\n${escapeMrkdwn(d.service)}${route.team ? ` (${escapeMrkdwn(route.team)})` : ''}`),
        mrkdwn(
          `*Version*\n${d.previousVersion ? `${escapeMrkdwn(d.previousVersion)} → ` : ''}${escapeMrkdwn(d.version)}`,
        ),
        mrkdwn(`*Stage*\n${stageText(d, route)}`),
        mrkdwn(`*Traffic*\n${formatNumber(d.traffic)}%`),
      ],
    },
  ];
  if (d.changes.length) {
    const lines = d.changes.slice(0, MAX_CHANGES).map((c) => {
      const label = c.title ? `${c.id} ${c.title}` : c.id;
      return `• ${link(c.url, label)}${c.author ? ` by ${authorMarkup(c.author, users)}` : ''}`;
    });
    if (d.changes.length > MAX_CHANGES) lines.push(`…and ${d.changes.length - MAX_CHANGES} more`);
    blocks.push({ type: 'section', text: mrkdwn(`*Changes*\n${lines.join('\n')}`) });
  }
  const context = [deployUrl ? link(deployUrl, `Open deploy ${d.id}`) : `Deploy ${escapeMrkdwn(d.id)}`];
  if (route.stages.length) context.push(`Stages: ${route.stages.map((st) => stageStep(st, d)).join(' → ')}`);
  blocks.push({ type: 'context', elements: context.map(mrkdwn) });
  const buttons = buttonsFor(d);
  if (buttons.length) blocks.push({ type: 'actions', block_id: 'releasebot.deploy', elements: buttons });
  const stage = d.stage ? `, ${d.stage} (${formatNumber(d.traffic)}%)` : '';
  return { text: clip(`${d.service} ${d.version}: ${s.label.toLowerCase()}${stage}`, 3000), blocks };
}

/** Why the deploy is where it is: the event's reason for stops and ends, the state otherwise. */
function statusLine(event: DeployMessageInput['event']): string {
  const d = event.deploy;
  const label = `*${STATE[d.state].label}*`;
  switch (event.type) {
    case 'deploy:paused':
      return `${label} (${event.kind}): ${escapeMrkdwn(oneLine(event.reason, 300))}`;
    case 'deploy:rolling_back':
    case 'deploy:aborted':
    case 'deploy:failed':
      return `${label}: ${escapeMrkdwn(oneLine(event.reason, 300))}`;
    case 'deploy:rolled_back':
      return `${label} to ${escapeMrkdwn(d.previousVersion ?? 'the previous version')}: ${escapeMrkdwn(oneLine(event.reason, 300))}`;
    case 'deploy:superseded':
      return `${label} by ${escapeMrkdwn(event.by)}`;
    default:
      return d.stage ? `${label} in stage *${escapeMrkdwn(d.stage)}*` : label;
  }
}

function stageText(d: DeployRef, route: ServiceRoute): string {
  if (!d.stage) return d.state === 'queued' ? 'not started' : '–';
  const of = route.stages.length ? ` (${d.stageIndex + 1}/${route.stages.length})` : '';
  return `${escapeMrkdwn(d.stage)}${of}`;
}

function stageStep(st: { name: string; traffic: number }, d: DeployRef): string {
  const text = `${escapeMrkdwn(st.name)} ${formatNumber(st.traffic)}%`;
  return st.name === d.stage ? `*${text}*` : text;
}

/** Pause while running, Resume while paused, Roll back while either; nothing once it ended or is rolling back. */
function buttonsFor(d: DeployRef): ButtonElement[] {
  const out: ButtonElement[] = [];
  if (d.state === 'running') out.push(button('pause', 'Pause', d.id));
  if (d.state === 'paused') out.push({ ...button('resume', 'Resume', d.id), style: 'primary' });
  if (d.state === 'running' || d.state === 'paused') {
    out.push({
      ...button('rollback', 'Roll back', d.id),
      style: 'danger',
      confirm: {
        title: plain('Roll back?'),
        text: mrkdwn(
          `Roll ${escapeMrkdwn(d.service)} back from ${escapeMrkdwn(d.version)} to ${escapeMrkdwn(d.previousVersion ?? 'the previous version')}?`,
        ),
        confirm: plain('Roll back'),
        deny: plain('Cancel'),
        style: 'danger',
      },
    });
  }
  return out;
}

function button(action: keyof typeof SLACK_ACTION_IDS, label: string, deployId: string): ButtonElement {
  return { type: 'button', action_id: SLACK_ACTION_IDS[action], text: plain(label), value: deployId };
}
