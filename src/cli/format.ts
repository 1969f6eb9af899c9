import { formatDuration } from '../time/duration.js';
import type { ApiDeploy } from './client/releasebot-client.js';

export function ago(at: number | null, now: number): string {
  if (at === null) return '-';
  const d = now - at;
  return d < 1000 ? 'now' : `${formatDuration(Math.floor(d / 1000) * 1000)} ago`;
}

/** `webapp v1.4.2 running canary 1%` */
export function deployLine(d: ApiDeploy): string {
  const where = d.stage ? ` ${d.stage} ${d.traffic}%` : '';
  const why = d.reason && d.state !== 'running' ? ` — ${d.reason}` : '';
  return `${d.service} ${d.version} ${d.state}${where}${why}`;
}
