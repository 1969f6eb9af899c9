import type { Command } from 'commander';
import type { Scope } from '../../store/store.js';
import type { CommandContext } from '../command-context.js';
import { connect } from '../connect.js';

const list = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

/** `releasebot token create --name ci --scope deploy [--service webapp] [--team payments]` */
export function registerToken(program: Command, ctx: CommandContext): void {
  const token = program.command('token').description('API tokens');
  token
    .command('create')
    .description('create an API token; the secret is printed once (only its hash is stored)')
    .requiredOption('--name <name>', 'who or what uses it, e.g. ci or alice')
    .option('--scope <scope>', 'read, deploy or admin (repeatable)', list, [])
    .option('--service <name>', 'limit to these services (repeatable, comma-separated)', list, [])
    .option('--team <name>', 'limit to these teams (repeatable, comma-separated)', list, [])
    .option('--json', 'print JSON')
    .action(
      async (opts: { name: string; scope: string[]; service: string[]; team: string[]; json?: boolean }) => {
        const conn = await connect(ctx.io, ctx.logger, program.opts());
        try {
          const scopes = (opts.scope.length ? opts.scope : ['deploy']) as Scope[];
          const res = await conn.client.createToken({
            name: opts.name,
            scopes,
            services: opts.service,
            teams: opts.team,
          });
          if (opts.json) ctx.io.stdout.write(`${JSON.stringify(res, null, 2)}\n`);
          else {
            ctx.io.stdout.write(`${res.secret}\n`);
            ctx.io.stderr.write(
              `token ${res.token.id} "${res.token.name}" (${res.token.scopes.join(', ')}): store it now, it is not shown again\n`,
            );
          }
          ctx.exitCode = 0;
        } finally {
          await conn.client.close();
        }
      },
    );
}
