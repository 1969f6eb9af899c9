import type { Deploy } from '../../pipeline/deploy.js';
import type { ServiceStatus } from './deploy-operations.js';
import { escapeMrkdwn } from './slack-mrkdwn.js';

/** `/releasebot status` as a few mrkdwn lines: the active deploy, the queue, the latest ends. */
export function renderServiceStatus(s: ServiceStatus): string {
  const lines = [`*${escapeMrkdwn(s.service)}*`];
  if (s.active) {
    const a = s.active;
    const why = a.reason ? `: ${escapeMrkdwn(a.reason)}` : '';
    const stage = a.stageIndex >= 0 ? `, stage ${a.stageIndex + 1}` : '';
    lines.push(`Active: ${v(a)} ${a.state.replace('_', ' ')}${stage}${why}`);
  } else {
    lines.push('No deploy in progress.');
  }
  if (s.queued.length) lines.push(`Queued: ${s.queued.map(v).join(', ')}`);
  if (s.recent.length)
    lines.push(
      `Recent: ${s.recent
        .slice(0, 5)
        .map((d) => `${v(d)} ${d.state.replace('_', ' ')}`)
        .join(', ')}`,
    );
  return lines.join('\n');
}

const v = (d: Deploy): string => `${escapeMrkdwn(d.version)} (\`${escapeMrkdwn(d.id)}\`)`;
