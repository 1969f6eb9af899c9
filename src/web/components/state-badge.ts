import type { DeployState } from '../api-types.js';
import { h } from '../dom.js';

const LABEL: Record<DeployState, string> = {
  queued: 'queued',
  running: 'running',
  paused: 'paused',
  rolling_back: 'rolling back',
  promoted: 'promoted',
  rolled_back: 'rolled back',
  aborted: 'aborted',
  failed: 'failed',
  superseded: 'superseded',
};

export const ALL_STATES = Object.keys(LABEL) as DeployState[];

export function stateLabel(s: DeployState): string {
  return LABEL[s] ?? s;
}

/** A deploy's state as a coloured badge; the colour class is the state itself. */
export function stateBadge(s: DeployState): HTMLElement {
  return h('span', { class: `badge state-${s}`, 'data-state': s }, stateLabel(s));
}

/** A traffic share as a small bar with its percentage. */
export function trafficBar(percent: number): HTMLElement {
  const fill = h('span', { class: 'traffic-fill' });
  // CSSOM, not a style attribute: the CSP forbids inline style attributes, not property writes.
  fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
  return h(
    'span',
    { class: 'traffic', title: `${percent}% of traffic on the new version` },
    h('span', { class: 'traffic-track' }, fill),
    `${percent}%`,
  );
}
