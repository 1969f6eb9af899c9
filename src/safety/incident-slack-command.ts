import { ReleasebotError } from '../errors/releasebot-error.js';
import type { SlackCommand, SlackCommandContext, SlackCommandResult } from '../notify/slack/slack-command.js';
import { escapeMrkdwn } from '../notify/slack/slack-mrkdwn.js';
import { formatDuration } from '../time/duration.js';
import type { Incident } from './incident.js';
import { REMEDIATIONS, SEVERITIES } from './incident.js';
import type { IncidentPatch, IncidentService, ServiceGuard } from './incident-service.js';
import { ttdOf, ttrOf } from './response-times.js';

const USAGE =
  'incident open <service> <high|medium|low> <title…> [start=25m] [deploy=<id>] · incident update <id> key=value… · ' +
  'incident resolve <id> [note…] · incident list [service] · incident show <id>';

/** `key=value` words (times, ids, numbers) apart from the free text (title, note). */
function split(args: readonly string[]): { words: string[]; opts: Map<string, string[]> } {
  const words: string[] = [];
  const opts = new Map<string, string[]>();
  for (const a of args) {
    const m = /^([a-z]+)=(.+)$/i.exec(a);
    if (m) opts.set(m[1].toLowerCase(), [...(opts.get(m[1].toLowerCase()) ?? []), m[2]]);
    else words.push(a);
  }
  return { words, opts };
}

const KEYS = [
  'title',
  'severity',
  'selected',
  'start',
  'detected',
  'mitigated',
  'ended',
  'deploy',
  'service',
  'exposure',
  'remediation',
  'note',
];

/** The fields `key=value` words set; `none` clears a time. */
function patchOf(opts: Map<string, string[]>): IncidentPatch {
  const unknown = [...opts.keys()].filter((k) => !KEYS.includes(k));
  if (unknown.length)
    throw new ReleasebotError(
      'REQUEST_INVALID',
      `unknown field ${unknown.join(', ')}; use ${KEYS.join(', ')}`,
    );
  const one = (k: string) => opts.get(k)?.at(-1);
  const time = (k: string) => (one(k) === undefined ? undefined : one(k) === 'none' ? null : one(k));
  const patch: IncidentPatch = {};
  const severity = one('severity');
  if (severity !== undefined) {
    if (!SEVERITIES.includes(severity as never))
      throw new ReleasebotError('REQUEST_INVALID', `severity must be ${SEVERITIES.join(', ')}`);
    patch.severity = severity as Incident['severity'];
  }
  const remediation = one('remediation');
  if (remediation !== undefined) {
    if (!REMEDIATIONS.includes(remediation as never))
      throw new ReleasebotError('REQUEST_INVALID', `remediation must be ${REMEDIATIONS.join(' or ')}`);
    patch.remediation = remediation as Incident['remediation'];
  }
  if (one('selected') !== undefined) patch.selected = /^(yes|true|1|y)$/i.test(one('selected')!);
  if (one('exposure') !== undefined) patch.exposurePct = Number(one('exposure')!.replace(/%$/, ''));
  if (one('title') !== undefined) patch.title = one('title')!.replace(/_/g, ' ');
  if (one('note') !== undefined) patch.note = one('note')!.replace(/_/g, ' ');
  const start = time('start');
  if (start) patch.impactStart = start;
  for (const [k, f] of [
    ['detected', 'detectedAt'],
    ['mitigated', 'mitigatedAt'],
    ['ended', 'endedAt'],
  ] as const) {
    const t = time(k);
    if (t !== undefined) patch[f] = t;
  }
  if (opts.has('deploy')) patch.deployIds = opts.get('deploy')!;
  if (opts.has('service')) patch.services = opts.get('service')!;
  return patch;
}

const when = (t: number | null) =>
  t === null ? '—' : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')}Z`;
const dur = (ms: number | null) => (ms === null ? '—' : formatDuration(Math.round(ms / 1000) * 1000));

function describe(i: Incident): string {
  const status = i.endedAt === null ? 'open' : 'resolved';
  return (
    `*${escapeMrkdwn(i.id)}* ${status} · ${i.severity}${i.severity === 'medium' && i.selected ? ' (selected)' : ''} · ` +
    `${escapeMrkdwn(i.services.join(', '))} — ${escapeMrkdwn(i.title)}\n` +
    `impact from ${when(i.impactStart)} · TTD ${dur(ttdOf(i))} · TTR ${dur(ttrOf(i))} (${i.remediation}) · exposure ${Number(i.exposurePct.toFixed(2))}%` +
    (i.deployIds.length ? ` · deploys ${escapeMrkdwn(i.deployIds.join(', '))}` : '')
  );
}

/**
 * `/releasebot incident …` for the Slack handler (register it as `commands: { incident: incidentSlackCommand(svc) }`).
 * open, update and resolve check the operator's service limits; the actor is the operator's releasebot name.
 * Free words are the title (open) or a note (resolve); `key=value` words set fields, times as the API reads them.
 */
export function incidentSlackCommand(incidents: IncidentService): SlackCommand {
  return {
    scope: 'deploy',
    usage: USAGE,
    async run(ctx: SlackCommandContext): Promise<SlackCommandResult> {
      const [verb = 'help', ...rest] = ctx.args;
      const actor = ctx.operator.name;
      const guard: ServiceGuard = (services) => {
        const refused = services.filter((s) => !ctx.mayActOn(s));
        if (refused.length)
          throw new ReleasebotError('AUTH_FORBIDDEN', `you may not act on ${refused.join(', ')}`);
      };
      switch (verb.toLowerCase()) {
        case 'open':
        case 'create': {
          const { words, opts } = split(rest);
          const [service, severity, ...title] = words;
          if (!service || !severity || !title.length) return { text: `Usage: ${USAGE}`, outcome: 'refused' };
          const patch = patchOf(opts);
          const i = await incidents.createIncident(
            {
              ...patch,
              title: title.join(' '),
              severity: severity.toLowerCase() as Incident['severity'],
              impactStart: patch.impactStart ?? 'now',
              detectedAt: patch.detectedAt ?? 'now',
              services: [service, ...(patch.services ?? [])],
            },
            actor,
            guard,
          );
          return { text: `Opened ${describe(i)}`, inChannel: true, target: i.id };
        }
        case 'update': {
          const [id, ...more] = rest;
          const { words, opts } = split(more);
          if (!id || words.length)
            return {
              text: `Usage: incident update <id> key=value… (keys: ${KEYS.join(', ')})`,
              outcome: 'refused',
            };
          const i = await incidents.updateIncident(id, patchOf(opts), actor, guard);
          return { text: `Updated ${describe(i)}`, target: i.id };
        }
        case 'resolve': {
          const [id, ...note] = rest;
          if (!id) return { text: 'Usage: incident resolve <id> [note…]', outcome: 'refused' };
          const i = await incidents.resolveIncident(
            id,
            note.length ? { note: note.join(' ') } : {},
            actor,
            guard,
          );
          return { text: `Resolved ${describe(i)}`, inChannel: true, target: i.id };
        }
        case 'list': {
          const [service] = rest;
          const list = (
            await incidents.listIncidents({ open: true, ...(service ? { service } : {}), limit: 10 })
          ).filter((i) => i.services.some((s) => ctx.mayActOn(s)));
          return {
            text: list.length ? list.map(describe).join('\n') : 'No open incidents.',
            ...(service ? { target: service } : {}),
          };
        }
        case 'show': {
          const i = await incidents.getIncident(rest[0] ?? '');
          if (!i.services.some((s) => ctx.mayActOn(s)))
            throw new ReleasebotError('AUTH_FORBIDDEN', `you may not see ${i.id}`);
          return { text: describe(i), target: i.id };
        }
        default:
          return { text: `Usage: ${USAGE}` };
      }
    },
  };
}
