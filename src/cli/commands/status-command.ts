import type { Command } from 'commander';
import { formatDuration } from '../../time/duration.js';
import type { CommandContext } from '../command-context.js';
import { connect } from '../connect.js';
import { textTable as table } from '../../text/text-table.js';
import { ago, deployLine } from '../format.js';
import type { ReleasebotClient } from '../client/releasebot-client.js';

/** A target names a service when the server knows one by that name; otherwise it is a deploy id. */
async function isService(client: ReleasebotClient, target: string): Promise<boolean> {
  const { services } = await client.services();
  return services.some((s) => s.name === target);
}

/** `releasebot status [service|deploy-id] [--json]` */
export function registerStatus(program: Command, ctx: CommandContext): void {
  program
    .command('status [target]')
    .description('services and their deploys; a service for its recent deploys; a deploy id for its timeline')
    .option('--json', 'print JSON')
    .action(async (target: string | undefined, opts: { json?: boolean }) => {
      const { io } = ctx;
      const conn = await connect(io, ctx.logger, program.opts());
      const now = Date.now();
      const out = (o: unknown, text: () => string) =>
        io.stdout.write(opts.json ? `${JSON.stringify(o, null, 2)}\n` : `${text()}\n`);
      try {
        if (!target) {
          const { services } = await conn.client.services();
          out(services, () =>
            table([
              ['SERVICE', 'TEAM', 'VERSION', 'DEPLOY', 'QUEUED', 'HOLD'],
              ...services.map((s) => [
                s.name,
                s.team ?? '-',
                s.currentVersion ?? '-',
                s.active ? deployLine(s.active) : 'idle',
                String(s.queued),
                s.hold ? `${s.hold.reason} (${s.hold.actor})` : '-',
              ]),
            ]),
          );
        } else if (await isService(conn.client, target)) {
          const { service, deploys } = await conn.client.service(target);
          out({ service, deploys }, () =>
            [
              `${service.name}  team ${service.team ?? '-'}  version ${service.currentVersion ?? '-'}  queue ${service.queue}`,
              `stages: ${service.stages.map((s) => `${s.name} ${s.traffic}% ${formatDuration(s.bakeMs)}`).join(' → ')}`,
              `checks: ${service.checks.join(', ') || '(none)'}`,
              service.hold ? `HOLD: ${service.hold.reason} (${service.hold.actor})` : '',
              '',
              table([
                ['DEPLOY', 'VERSION', 'STATE', 'STAGE', 'CREATED', 'REASON'],
                ...deploys.map((d) => [
                  d.id,
                  d.version,
                  d.state,
                  d.stage ?? '-',
                  ago(d.createdAt, now),
                  d.reason ?? '',
                ]),
              ]),
            ]
              .filter((l) => l !== '')
              .join('\n'),
          );
        } else {
          const details = await conn.client.deploy(target);
          const d = details.deploy;
          out(details, () =>
            [
              `${d.id}  ${deployLine(d)}`,
              `changes: ${d.changes.map((c) => `${c.id}${c.title ? ` ${c.title}` : ''}${c.author ? ` (${c.author})` : ''}`).join('; ') || '-'}`,
              '',
              ...details.events.map(
                (e) => `${new Date(e.at).toISOString().slice(0, 19)}Z  ${e.event.type.padEnd(20)} ${e.actor}`,
              ),
            ].join('\n'),
          );
        }
        ctx.exitCode = 0;
      } finally {
        await conn.client.close();
      }
    });
}
