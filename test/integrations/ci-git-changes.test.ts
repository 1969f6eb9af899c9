import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitChanges } from '../../src/cli/git-changes.js';
import { runCli } from '../../src/cli/main.js';
import { TempGitRepo } from './support/temp-git-repo.js';

const env = { PATH: process.env.PATH, HOME: tmpdir() };

describe('changes from git log', () => {
  let repo: TempGitRepo;
  let bump: string;
  beforeAll(() => {
    repo = new TempGitRepo();
    repo.commit('Initial commit', 'carol');
    repo.git('tag', 'v1');
    repo.commit('Fix login (#1234)', 'alice');
    bump = repo.commit('Bump deps', 'bob');
    // A pull request merged with a merge commit: its own commits stay off the first-parent line.
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('wip: search box', 'dave');
    repo.commit('search: tests', 'dave');
    repo.git('checkout', '-q', 'main');
    repo.git(
      'merge',
      '-q',
      '--no-ff',
      'feature',
      '-m',
      'Merge pull request #77 from acme/feature',
      '-m',
      'Add search',
    );
    repo.git('tag', 'v2');
  });
  afterAll(() => repo.remove());

  it('lists the first-parent commits between the versions, newest first, with pull request ids', async () => {
    const got = await gitChanges({ cwd: repo.dir, from: 'v1', to: 'v2', env });
    expect(got).toEqual({
      changes: [
        { id: '#77', title: 'Add search', author: 'ci' },
        { id: bump, title: 'Bump deps', author: 'bob' },
        { id: '#1234', title: 'Fix login', author: 'alice' },
      ],
    });
  });

  it('works with commit hashes and caps long ranges with a note', async () => {
    const head = repo.git('rev-parse', 'HEAD');
    const got = await gitChanges({ cwd: repo.dir, from: 'v1', to: head, env, max: 2 });
    expect(got.changes?.map((c) => c.id)).toEqual(['#77', bump]);
    expect(got.note).toBe('3 commits since v1; the newest 2 are listed');
  });

  it('says why it read nothing: unknown version, no previous version, not a checkout', async () => {
    expect(await gitChanges({ cwd: repo.dir, from: 'v0', to: 'v2', env })).toEqual({
      changes: null,
      note: 'git does not know "v0" here (a shallow clone? fetch with depth 0), so no changes were read from git',
    });
    expect((await gitChanges({ cwd: repo.dir, from: null, to: 'v2', env })).note).toMatch(
      /no previous version/,
    );
    const plain = mkdtempSync(join(tmpdir(), 'releasebot-nogit-'));
    try {
      expect((await gitChanges({ cwd: plain, from: 'v1', to: 'v2', env })).note).toBe(
        `${plain} is not a git checkout, so no changes were read from git`,
      );
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('a version that is not a shell word stays one argument', async () => {
    const got = await gitChanges({ cwd: repo.dir, from: 'v1', to: 'v2; touch pwned', env });
    expect(got.changes).toBeNull();
    expect(got.note).toMatch(/git does not know "v2; touch pwned"/);
  });

  describe('`releasebot deploy` without --change', () => {
    async function cli(args: string[]) {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (c) => (out += String(c)));
      stderr.on('data', (c) => (err += String(c)));
      const code = await runCli(args, { stdout, stderr, stdin: Readable.from([]), env, cwd: repo.dir });
      return { code, out, err };
    }
    beforeAll(() => {
      writeFileSync(
        join(repo.dir, 'releasebot.yaml'),
        'store: { url: "memory:" }\nservices:\n  webapp:\n    stages: [{ name: all, traffic: 100, bake: 1m }]\n',
      );
    });

    it('fills the deploy changes from git log <previous>..<version>', async () => {
      const { code, out, err } = await cli(['deploy', 'webapp', 'v2', '--previous', 'v1', '--json']);
      expect(code).toBe(0);
      expect(err).toContain('3 change(s) from git log v1..v2');
      expect(JSON.parse(out)).toMatchObject({
        version: 'v2',
        previousVersion: 'v1',
        changes: [{ id: '#77' }, { id: bump }, { id: '#1234', author: 'alice' }],
      });
    });

    it('notes why there are none when no version was promoted before, and leaves --change alone', async () => {
      const first = await cli(['deploy', 'webapp', 'v2', '--json']);
      expect(first.err).toContain('note: no previous version to compare with');
      expect(JSON.parse(first.out).changes).toEqual([]);
      const given = await cli([
        'deploy',
        'webapp',
        'v2',
        '--previous',
        'v1',
        '--change',
        '#9:Hotfix (erin)',
        '--json',
      ]);
      expect(given.err).not.toContain('git');
      expect(JSON.parse(given.out).changes).toEqual([{ id: '#9', title: 'Hotfix', author: 'erin' }]);
    });
  });
});
