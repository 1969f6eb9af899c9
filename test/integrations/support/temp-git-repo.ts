import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away git repository under the OS temp directory (never the project's own checkout). */
export class TempGitRepo {
  readonly dir = mkdtempSync(join(tmpdir(), 'releasebot-git-'));
  private n = 0;

  constructor() {
    this.git('init', '-q', '-b', 'main');
  }

  git(...args: string[]): string {
    return execFileSync('git', ['-C', this.dir, ...args], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: this.dir,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_COMMITTER_NAME: 'ci',
        GIT_COMMITTER_EMAIL: 'ci@example.com',
        GIT_AUTHOR_NAME: 'ci',
        GIT_AUTHOR_EMAIL: 'ci@example.com',
      },
    }).trim();
  }

  /** A commit by `author` changing one file; returns its short hash. */
  commit(message: string, author: string): string {
    writeFileSync(join(this.dir, `file-${this.n++}.txt`), message);
    this.git('add', '.');
    this.git('commit', '-q', '-m', message, '--author', `${author} <${author}@example.com>`);
    return this.git('rev-parse', '--short', 'HEAD');
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
