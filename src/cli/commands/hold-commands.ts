import type { Command } from 'commander';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { CommandContext } from '../command-context.js';
import { connect } from '../connect.js';
import { textTable as table } from '../../text/text-table.js';

/** `releasebot hold <service|team:NAME|all> --reason …`, `releasebot hold --list`, `releasebot release <hold-id>` */
export function registerHolds(program: Command, ctx: CommandContext): void {
  program
    .command('hold [target]')
    .description(
      'hold deploys of a service, a team (team:NAME) or everything (all): queued ones wait, running ones pause at the next stage',
    )
    .option('-r, --reason <text>', 'why (required to set a hold)')
    .option('--list', 'list active holds')
    .option('--json', 'print JSON')
    .action(async (target: string | undefined, opts: { reason?: string; list?: boolean; json?: boolean }) => {
      const conn = await connect(ctx.io, ctx.logger, program.opts());
      try {
        if (opts.list || !target) {
          const { holds } = await conn.client.holds();
          ctx.io.stdout.write(
            opts.json
              ? `${JSON.stringify(holds, null, 2)}\n`
              : `${table([['HOLD', 'SCOPE', 'TARGET', 'BY', 'REASON'], ...holds.map((h) => [h.id, h.scope, h.target ?? '*', h.actor, h.reason])])}\n`,
          );
        } else {
          if (!opts.reason) throw new ReleasebotError('REQUEST_INVALID', 'a hold needs --reason');
          const [scope, name] =
            target === 'all'
              ? (['all', undefined] as const)
              : target.startsWith('team:')
                ? (['team', target.slice(5)] as const)
                : (['service', target] as const);
          const { hold } = await conn.client.setHold({
            scope,
            ...(name ? { target: name } : {}),
            reason: opts.reason,
          });
          ctx.io.stdout.write(
            opts.json
              ? `${JSON.stringify(hold, null, 2)}\n`
              : `${hold.id}: holding ${scope === 'all' ? 'all deploys' : `${scope} ${name}`}\n`,
          );
        }
        ctx.exitCode = 0;
      } finally {
        await conn.client.close();
      }
    });

  program
    .command('release <hold-id>')
    .description('release a hold; deploys paused by it resume')
    .action(async (id: string) => {
      const conn = await connect(ctx.io, ctx.logger, program.opts());
      try {
        const { hold } = await conn.client.releaseHold(id);
        ctx.io.stdout.write(`${hold.id}: released\n`);
        ctx.exitCode = 0;
      } finally {
        await conn.client.close();
      }
    });
}
