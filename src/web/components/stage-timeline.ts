import type { ResolvedService } from '../../config/resolved-config.js';
import type { DeployDetailsAnswer } from '../api-types.js';
import { h } from '../dom.js';
import { formatDuration, formatTime, isoTime } from '../format.js';
import { serverNow } from '../server-clock.js';

export interface StageSpan {
  name: string;
  traffic: number;
  plannedMs: number;
  start: number | null;
  /** null while the stage runs, or when it was never reached. */
  end: number | null;
  status: 'done' | 'current' | 'stopped' | 'not reached';
}

/** When each stage started and ended, from the deploy's `stage:advanced` events; stages never reached included. */
export function stageSpans(d: DeployDetailsAnswer, stages: ResolvedService['stages']): StageSpan[] {
  const starts = new Map<string, number>();
  for (const e of d.events)
    if (e.event.type === 'stage:advanced' && !starts.has(e.event.to)) starts.set(e.event.to, e.at);
  const dep = d.deploy;
  return stages.map((s, i): StageSpan => {
    const base = { name: s.name, traffic: s.traffic, plannedMs: s.bakeMs };
    const start = starts.get(s.name) ?? null;
    if (start === null) return { ...base, start: null, end: null, status: 'not reached' };
    const next = stages
      .slice(i + 1)
      .map((n) => starts.get(n.name))
      .find((t) => t !== undefined);
    if (next !== undefined) return { ...base, start, end: next, status: 'done' };
    if (dep.endedAt !== null)
      return { ...base, start, end: dep.endedAt, status: dep.state === 'promoted' ? 'done' : 'stopped' };
    return { ...base, start, end: null, status: 'current' };
  });
}

/** The stage timeline: one block per stage, its width the time spent (planned bake for stages not reached). */
export function stageTimeline(
  d: DeployDetailsAnswer,
  stages: ResolvedService['stages'],
  now = serverNow(),
): HTMLElement {
  const spans = stageSpans(d, stages);
  const length = (s: StageSpan) => (s.start === null ? s.plannedMs : (s.end ?? now) - s.start);
  const total = spans.reduce((a, s) => a + Math.max(length(s), 1), 0);
  const bar = h(
    'div',
    { class: 'timeline-bar', role: 'presentation' },
    spans.map((s) => {
      const seg = h(
        'span',
        { class: `segment seg-${s.status.replace(' ', '-')}`, title: `${s.name}: ${s.status}` },
        s.name,
      );
      seg.style.flexGrow = String(Math.max(length(s), 1) / total);
      return seg;
    }),
  );
  const list = h(
    'ol',
    { class: 'stages' },
    spans.map((s) =>
      h(
        'li',
        { class: `stage stage-${s.status.replace(' ', '-')}`, 'data-stage': s.name, 'data-status': s.status },
        h('span', { class: 'stage-name' }, s.name),
        h('span', { class: 'stage-traffic' }, `${s.traffic}%`),
        h(
          'span',
          { class: 'stage-time', title: isoTime(s.start) },
          s.start === null
            ? `not reached (bake ${formatDuration(s.plannedMs)})`
            : `${formatTime(s.start)} → ${s.end === null ? 'now' : formatTime(s.end)}`,
        ),
        s.start !== null
          ? h(
              'span',
              { class: 'stage-duration' },
              `${formatDuration(length(s))} of ${formatDuration(s.plannedMs)}`,
            )
          : null,
        h('span', { class: 'stage-status' }, s.status),
      ),
    ),
  );
  return h('div', { class: 'timeline' }, bar, list);
}
