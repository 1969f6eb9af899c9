import { shellQuote } from '../deployers/command/render-command.js';
import type { Change } from '../pipeline/deploy.js';
import { runProcess } from '../process/run-process.js';

export interface GitChangesOptions {
  /** The checkout to read (the CI job's working directory). */
  cwd: string;
  /** The version deployed now (a commit, tag or branch). */
  to: string;
  /** The version it replaces; none means there is nothing to compare with. */
  from: string | null;
  /** PATH and HOME for git; nothing else is inherited. */
  env: Record<string, string | undefined>;
  /** Most changes to list (the API takes up to 1000). */
  max?: number;
  timeoutMs?: number;
}

/** The commits between two versions as changes, or why they could not be read (printed as a note). */
export type GitChanges = { changes: Change[]; note?: string } | { changes: null; note: string };

const FIELD = '\x1f';
const RECORD = '\x1e';
const PR_SUFFIX = /\s*\(#(\d+)\)\s*$/;
const MERGE_PR = /^Merge pull request #(\d+)\b/;

/**
 * The changes a deploy carries, from `git log <from>..<to>` on the first-parent line (one entry per merged pull
 * request or direct commit): the pull request number as the id when the subject names one (`Fix login (#1234)`,
 * `Merge pull request #1234 from …`), else the short commit hash; the subject as the title (for merge commits the
 * pull request's title from the message body); the author. Never throws: outside a checkout, or when git does not
 * know either version (a shallow clone, an image tag that is not a git ref), it says so instead.
 */
export async function gitChanges(o: GitChangesOptions): Promise<GitChanges> {
  if (!o.from)
    return { changes: null, note: 'no previous version to compare with, so no changes were read from git' };
  const git = (args: string) =>
    runProcess({
      command: `git ${args}`,
      cwd: o.cwd,
      env: { PATH: o.env.PATH, HOME: o.env.HOME, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
      timeoutMs: o.timeoutMs ?? 10_000,
      maxOutputBytes: 4 * 1024 * 1024,
    });
  const inside = await git('rev-parse --is-inside-work-tree');
  if (inside.exitCode !== 0)
    return { changes: null, note: `${o.cwd} is not a git checkout, so no changes were read from git` };
  for (const ref of [o.from, o.to]) {
    const known = await git(`rev-parse --verify --quiet ${shellQuote(`${ref}^{commit}`)}`);
    if (known.exitCode !== 0) {
      return {
        changes: null,
        note: `git does not know "${ref}" here (a shallow clone? fetch with depth 0), so no changes were read from git`,
      };
    }
  }
  const format = ['%h', '%an', '%s', '%b'].join('%x1f') + '%x1e';
  const log = await git(
    `log --first-parent --no-color --format=${shellQuote(format)} ${shellQuote(`${o.from}..${o.to}`)}`,
  );
  if (log.exitCode !== 0) return { changes: null, note: `git log failed: ${log.output.trim().slice(-300)}` };
  const all = parseLog(log.output);
  const max = o.max ?? 1000;
  if (all.length > max)
    return {
      changes: all.slice(0, max),
      note: `${all.length} commits since ${o.from}; the newest ${max} are listed`,
    };
  return { changes: all };
}

function parseLog(output: string): Change[] {
  const seen = new Set<string>();
  const changes: Change[] = [];
  for (const record of output.split(RECORD)) {
    const [sha, author, subject, body] = record.replace(/^\n/, '').split(FIELD);
    if (!sha || subject === undefined) continue;
    const merge = MERGE_PR.exec(subject);
    const pr = merge?.[1] ?? PR_SUFFIX.exec(subject)?.[1];
    const title = merge ? body?.trim().split('\n')[0]?.trim() || subject : subject.replace(PR_SUFFIX, '');
    const id = pr ? `#${pr}` : sha;
    if (seen.has(id)) continue;
    seen.add(id);
    changes.push({ id, ...(title ? { title } : {}), ...(author ? { author } : {}) });
  }
  return changes;
}
