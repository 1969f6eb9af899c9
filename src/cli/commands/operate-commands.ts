import type { Command } from 'commander';
import type { DeployOperation } from '../../pipeline/deploy-service.js';
import type { CommandContext } from '../command-context.js';
import { connect } from '../connect.js';
import { deployLine } from '../format.js';

const OPERATIONS: Array<[DeployOperation, string]> = [
  ['pause', 'pause a running deploy (it stays at its current traffic)'],
  ['resume', 'resume a paused deploy'],
  ['rollback', 'send all traffic back to the previous version'],
  ['abort', 'stop a deploy without changing traffic (queued or paused ones, usually)'],
  ['advance', 'end the current stage now and move on to the next one (audited)'],
  ['promote', 'skip the remaining stages and finish now (audited)'],
];

/** `releasebot pause|resume|rollback|abort|promote <deploy-id|service> [--reason …]` */
export function registerOperations(program: Command, ctx: CommandContext): void {
  for (const [op, description] of OPERATIONS) {
    program
      .command(`${op} <target>`)
      .description(`${description}; <target> is a deploy id or a service (its current deploy)`)
      .option('-r, --reason <text>', 'why (kept in the audit trail and shown to the team)')
      .option('--json', 'print the deploy as JSON')
      .action(async (target: string, opts: { reason?: string; json?: boolean }) => {
        const conn = await connect(ctx.io, ctx.logger, program.opts());
        try {
          const { deploy } = await conn.client.operate(op, target, opts.reason);
          ctx.io.stdout.write(
            opts.json ? `${JSON.stringify(deploy, null, 2)}\n` : `${deploy.id}: ${deployLine(deploy)}\n`,
          );
          if (conn.runtime && (op === 'rollback' || op === 'promote' || op === 'resume')) {
            ctx.io.stderr.write('the deployer runs when `releasebot serve` picks this up\n');
          }
          ctx.exitCode = 0;
        } finally {
          await conn.client.close();
        }
      });
  }
}
