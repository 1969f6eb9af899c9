import type { Command } from 'commander';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { ApiIncident } from '../../safety/present-incident.js';
import { formatDuration } from '../../time/duration.js';
import type { IncidentBody } from '../client/releasebot-client.js';
import type { CommandContext } from '../command-context.js';
import { connect } from '../connect.js';
import { textTable as table } from '../../text/text-table.js';

interface FieldOptions {
  title?: string;
  severity?: string;
  service: string[];
  deploy: string[];
  start?: string;
  detected?: string;
  mitigated?: string;
  ended?: string;
  exposure?: string;
  selected?: boolean;
  remediation?: string;
  note?: string;
  json?: boolean;
}

const collect = (v: string, prev: string[]) => [...prev, v];
const when = (t: number | null) =>
  t === null ? '-' : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')}Z`;
const minutes = (ms: number | null) => (ms === null ? '-' : formatDuration(Math.round(ms / 1000) * 1000));

/** The fields given on the command line, as the API takes them; `none` clears a time on update. */
function bodyOf(o: FieldOptions): IncidentBody {
  const time = (v: string | undefined) => (v === undefined ? undefined : v === 'none' ? null : v);
  const severity = o.severity as IncidentBody['severity'];
  const remediation = o.remediation as IncidentBody['remediation'];
  let exposurePct: number | undefined;
  if (o.exposure !== undefined) {
    exposurePct = Number(o.exposure.replace(/%$/, ''));
    if (!Number.isFinite(exposurePct))
      throw new ReleasebotError('REQUEST_INVALID', `--exposure: "${o.exposure}" is not a percent`);
  }
  const entries: Array<[keyof IncidentBody, unknown]> = [
    ['title', o.title],
    ['severity', severity],
    ['selected', o.selected],
    ['impactStart', o.start],
    ['detectedAt', time(o.detected)],
    ['mitigatedAt', time(o.mitigated)],
    ['endedAt', time(o.ended)],
    ['services', o.service.length ? o.service : undefined],
    ['deploys', o.deploy.length ? o.deploy : undefined],
    ['exposurePct', exposurePct],
    ['remediation', remediation],
    ['note', o.note],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as IncidentBody;
}

function fieldOptions(cmd: Command): Command {
  return cmd
    .option('-t, --title <text>', 'one line: what customers saw')
    .option('-s, --severity <level>', 'high, medium or low')
    .option(
      '--service <name>',
      'affected service (repeat for several; default: the linked deploys’ services)',
      collect,
      [],
    )
    .option('--deploy <id>', 'linked deploy: the change that triggered it (repeatable)', collect, [])
    .option(
      '--start <time>',
      'when customer impact began (ISO 8601, epoch ms, now, or a duration ago such as 25m)',
    )
    .option('--detected <time>', 'when it was detected')
    .option('--mitigated <time>', 'when the remediation took effect (customer impact stopped)')
    .option('--ended <time>', 'when it ended (resolves it)')
    .option('--exposure <percent>', 'share of traffic exposed, percent (default 100)')
    .option('--selected', 'count this medium incident in customer-impact hours')
    .option('--no-selected', 'do not count this medium incident')
    .option('--remediation <kind>', 'automatic or manual (default manual)')
    .option('--note <text>', 'what happened, follow-ups')
    .option('--json', 'print JSON');
}

function line(i: ApiIncident): string {
  return `${i.id}: ${i.status} ${i.severity} ${i.services.join(',')} — ${i.title}`;
}

function details(i: ApiIncident): string {
  return [
    line(i),
    `impact    ${when(i.impactStart)} → ${when(i.mitigatedAt ?? i.endedAt)}  exposure ${i.exposurePct}%`,
    `detected  ${when(i.detectedAt)} (TTD ${minutes(i.ttdMs)})  mitigated ${when(i.mitigatedAt)} (TTR ${minutes(i.ttrMs)}, ${i.remediation})`,
    `counts    ${i.counted ? 'yes' : 'no'}${i.changeTriggered ? `  deploys ${i.deployIds.join(', ')}` : '  (not change-triggered)'}`,
    ...(i.note ? ['', i.note] : []),
  ].join('\n');
}

/** `releasebot incident list|show|create|update|resolve …` */
export function registerIncident(program: Command, ctx: CommandContext): void {
  const incident = program
    .command('incident')
    .description('customer-impact incidents: list, show, create, update, resolve');
  const run = async (fn: (client: Awaited<ReturnType<typeof connect>>['client']) => Promise<string>) => {
    const conn = await connect(ctx.io, ctx.logger, program.opts());
    try {
      ctx.io.stdout.write(`${await fn(conn.client)}\n`);
      ctx.exitCode = 0;
    } finally {
      await conn.client.close();
    }
  };
  const print = (json: boolean | undefined, value: unknown, text: string) =>
    json ? JSON.stringify(value, null, 2) : text;

  incident
    .command('list')
    .description('incidents, newest impact first')
    .option('--service <name>', 'only this service')
    .option('--team <name>', 'only this team’s services')
    .option('--open', 'only open ones (not ended)')
    .option('--resolved', 'only resolved ones')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print JSON')
    .action(
      (o: {
        service?: string;
        team?: string;
        open?: boolean;
        resolved?: boolean;
        limit: string;
        json?: boolean;
      }) =>
        run(async (client) => {
          const status = o.open ? ('open' as const) : o.resolved ? ('resolved' as const) : undefined;
          const { incidents } = await client.incidents({
            service: o.service,
            team: o.team,
            status,
            limit: Number(o.limit),
          });
          return print(
            o.json,
            incidents,
            table([
              ['INCIDENT', 'STATUS', 'SEVERITY', 'SERVICES', 'IMPACT START', 'TTD', 'TTR', 'COUNTS', 'TITLE'],
              ...incidents.map((i) => [
                i.id,
                i.status,
                i.severity,
                i.services.join(','),
                when(i.impactStart),
                minutes(i.ttdMs),
                minutes(i.ttrMs),
                i.counted ? 'yes' : 'no',
                i.title,
              ]),
            ]),
          );
        }),
    );

  incident
    .command('show <id>')
    .description('one incident with its times')
    .option('--json', 'print JSON')
    .action((id: string, o: { json?: boolean }) =>
      run(async (client) => {
        const { incident: i } = await client.incident(id);
        return print(o.json, i, details(i));
      }),
    );

  fieldOptions(
    incident
      .command('create')
      .alias('open')
      .description('record an incident (needs --title, --severity and --start)'),
  ).action((o: FieldOptions) =>
    run(async (client) => {
      const body = bodyOf(o);
      if (!body.title || !body.severity || !body.impactStart) {
        throw new ReleasebotError('REQUEST_INVALID', 'an incident needs --title, --severity and --start');
      }
      const { incident: i } = await client.createIncident({
        ...body,
        title: body.title,
        severity: body.severity,
        impactStart: body.impactStart,
      });
      return print(o.json, i, details(i));
    }),
  );

  fieldOptions(
    incident.command('update <id>').description('change an incident’s fields (a time of `none` clears it)'),
  ).action((id: string, o: FieldOptions) =>
    run(async (client) => {
      const body = bodyOf(o);
      if (!Object.keys(body).length)
        throw new ReleasebotError('REQUEST_INVALID', 'nothing to change: give at least one field option');
      const { incident: i } = await client.updateIncident(id, body);
      return print(o.json, i, details(i));
    }),
  );

  incident
    .command('resolve <id>')
    .description('end an incident (now, or --ended)')
    .option('--ended <time>', 'when it ended (default now)')
    .option('--note <text>', 'appended to its note')
    .option('--json', 'print JSON')
    .action((id: string, o: { ended?: string; note?: string; json?: boolean }) =>
      run(async (client) => {
        const { incident: i } = await client.resolveIncident(id, {
          ...(o.ended ? { endedAt: o.ended } : {}),
          ...(o.note ? { note: o.note } : {}),
        });
        return print(o.json, i, line(i));
      }),
    );
}
