import type { Readable, Writable } from 'node:stream';

/** Everything a command touches outside itself, passed in so commands run the same in tests. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  stdin: Readable;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** A command's result: the process exit code. */
export type ExitCode = number;

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}
