import type { Command } from 'commander';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { Change } from '../../pipeline/deploy.js';
import { parseChange } from '../../pipeline/parse-change.js';
import type { CommandContext } from '../command-context.js';
import type { ApiDeploy, ReleasebotClient } from '../client/releasebot-client.js';
import { connect } from '../connect.js';
import { deployChangesFromGit } from '../deploy-changes.js';
import { deployLine } from '../format.js';

/** `--wait` exit codes: what a CI step needs to know. */
export const WAIT_EXIT = { promoted: 0, rolled_back: 2, paused: 3, error: 1 } as const;

interface DeployOpts {
  change?: string[];
  previous?: string;
  key?: string;
  wait?: boolean;
  json?: boolean;
  pollMs?: string;
  /** False with --no-git. */
  git?: boolean;
}

/** `releasebot deploy <service> <version> [--change '#1234:Fix login (alice)']... [--wait]` */
export function registerDeploy(program: Command, ctx: CommandContext): void {
  program
    .command('deploy <service> <version>')
    .description('queue a deploy; with --wait, follow it: exit 0 promoted, 2 rolled back, 3 paused, 1 error')
    .option('--change <change...>', 'a change it carries, "ID[:TITLE] [(AUTHOR)] [<URL>]"; repeatable')
    .option('--previous <version>', 'the version it replaces (default: the last promoted one)')
    .option(
      '--key <idempotency-key>',
      'repeat-safe key (e.g. the CI run id): the same key never queues twice',
    )
    .option('--no-git', 'without --change, do not read the changes from `git log <previous>..<version>`')
    .option('--wait', 'follow the deploy until it is promoted, rolled back or paused')
    .option('--json', 'print the deploy as JSON')
    .action(async (service: string, version: string, opts: DeployOpts) => {
      const { io } = ctx;
      const g = program.opts();
      const changes: Change[] = (opts.change ?? []).map((c, i) => parseChange(c, `--change #${i + 1}`));
      const conn = await connect(io, ctx.logger, g);
      try {
        if (!changes.length && opts.git !== false) {
          changes.push(
            ...(await deployChangesFromGit(conn.client, io, {
              service,
              version,
              ...(opts.previous ? { previous: opts.previous } : {}),
            })),
          );
        }
        const ci = !!io.env.CI;
        const { deploy, created } = await conn.client.createDeploy({
          service,
          version,
          ...(opts.previous ? { previousVersion: opts.previous } : {}),
          changes,
          trigger: {
            kind: ci ? 'ci' : 'user',
            actor: io.env.GITHUB_ACTOR ?? io.env.GITLAB_USER_LOGIN ?? io.env.USER ?? 'cli',
          },
          ...(opts.key ? { idempotencyKey: opts.key } : {}),
        });
        if (!opts.json)
          io.stderr.write(`${created ? 'queued' : 'already queued'} ${deploy.id}: ${deployLine(deploy)}\n`);
        if (!opts.wait) {
          if (opts.json) io.stdout.write(`${JSON.stringify(deploy, null, 2)}\n`);
          else if (conn.runtime)
            io.stderr.write(
              'no releasebot server is running here: it starts when `releasebot serve` runs (or use --wait)\n',
            );
          ctx.exitCode = 0;
          return;
        }
        await conn.startEngine?.();
        const final = await follow(
          conn.client,
          deploy,
          (d) => !opts.json && io.stderr.write(`${stamp()} ${deployLine(d)}\n`),
          Number(opts.pollMs ?? 1000),
        );
        if (opts.json) io.stdout.write(`${JSON.stringify(final, null, 2)}\n`);
        else io.stdout.write(`${deployLine(final)}\n`);
        ctx.exitCode = exitFor(final);
      } finally {
        await conn.client.close();
      }
    });
}

function stamp(): string {
  return new Date().toISOString().slice(11, 19);
}

/** Polls the deploy until it settles; a superseded build follows the deploy that carries its changes. */
export async function follow(
  client: ReleasebotClient,
  start: ApiDeploy,
  onChange: (d: ApiDeploy) => void,
  pollMs: number,
): Promise<ApiDeploy> {
  let id = start.id;
  let last = '';
  for (;;) {
    const { deploy } = await client.deploy(id);
    const sig = `${deploy.state}|${deploy.stageIndex}|${deploy.traffic}|${deploy.reason}`;
    if (sig !== last) {
      onChange(deploy);
      last = sig;
    }
    if (deploy.state === 'superseded') {
      const by = /superseded by (\S+)/.exec(deploy.reason ?? '')?.[1];
      if (!by) return deploy;
      id = by;
      continue;
    }
    if (['promoted', 'rolled_back', 'paused', 'failed', 'aborted'].includes(deploy.state)) return deploy;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function exitFor(d: ApiDeploy): number {
  if (d.state === 'promoted') return WAIT_EXIT.promoted;
  if (d.state === 'rolled_back') return WAIT_EXIT.rolled_back;
  if (d.state === 'paused') return WAIT_EXIT.paused;
  return WAIT_EXIT.error;
}

export function requireOne<T>(list: T[], what: string): T {
  if (!list.length) throw new ReleasebotError('DEPLOY_UNKNOWN', `no ${what}`);
  return list[0];
}
