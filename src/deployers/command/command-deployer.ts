import type { CommandDeployerConfig } from '../../config/deployer-schema.js';
import type { Env } from '../../config/interpolate-env.js';
import { deployEnv, deployVars } from '../deploy-vars.js';
import type { Deployer, DeployerCall, DeployerResult } from '../deployer.js';
import { renderCommand } from './render-command.js';
import { describeExit, runProcess } from '../../process/run-process.js';

export interface CommandDeployerDeps {
  /** Environment the commands inherit (PATH, credentials); the config's `env` and `RELEASEBOT_*` go on top. */
  env?: Env;
  /** Directory to run in when the config names none. */
  cwd?: string;
  /** SIGTERM-to-SIGKILL grace on timeout. */
  killGraceMs?: number;
}

/**
 * Runs a shell command per action. Placeholders are filled shell-quoted, the same values are in `RELEASEBOT_*`
 * variables. Exit code 0 is success; anything else (or a timeout, which kills the process group) is a failure
 * reported with the output's last 8 KiB. Never throws.
 */
export class CommandDeployer implements Deployer {
  readonly type = 'command';

  constructor(
    private readonly config: CommandDeployerConfig,
    private readonly deps: CommandDeployerDeps = {},
  ) {}

  shift(call: DeployerCall): Promise<DeployerResult> {
    return this.run(this.config.stage, call);
  }

  rollback(call: DeployerCall): Promise<DeployerResult> {
    return this.run(this.config.rollback, call);
  }

  promote(call: DeployerCall): Promise<DeployerResult> {
    if (!this.config.promote)
      return Promise.resolve({ ok: true, output: 'no promote command configured', durationMs: 0 });
    return this.run(this.config.promote, call);
  }

  private async run(template: string, call: DeployerCall): Promise<DeployerResult> {
    try {
      const vars = deployVars(call);
      const result = await runProcess({
        command: renderCommand(template, vars),
        shell: this.config.shell,
        ...((this.config.cwd ?? this.deps.cwd) ? { cwd: this.config.cwd ?? this.deps.cwd } : {}),
        env: { ...(this.deps.env ?? process.env), ...this.config.env, ...deployEnv(vars, call.fence) },
        timeoutMs: this.config.timeout,
        ...(call.signal ? { signal: call.signal } : {}),
        ...(this.deps.killGraceMs !== undefined ? { killGraceMs: this.deps.killGraceMs } : {}),
      });
      const ok = result.exitCode === 0 && !result.timedOut && !result.aborted;
      const output = ok
        ? result.output
        : appendLine(result.output, `[releasebot] ${describeExit(result, this.config.timeout)}`);
      return { ok, output, durationMs: result.durationMs, ...(result.timedOut ? { timedOut: true } : {}) };
    } catch (e) {
      return {
        ok: false,
        output: `[releasebot] command deployer failed: ${(e as Error).message}`,
        durationMs: 0,
      };
    }
  }
}

function appendLine(text: string, line: string): string {
  return text && !text.endsWith('\n') ? `${text}\n${line}` : `${text}${line}`;
}
