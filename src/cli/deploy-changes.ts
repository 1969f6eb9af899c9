import type { Change } from '../pipeline/deploy.js';
import type { CliIo } from './cli-io.js';
import type { ReleasebotClient } from './client/releasebot-client.js';
import { gitChanges } from './git-changes.js';

/**
 * The changes of `releasebot deploy` without `--change`: `git log` from the version it replaces (`--previous`, else
 * the service's last promoted version) to the new one, in the working directory. Says on stderr what it did, or
 * why it read nothing; never fails the deploy.
 */
export async function deployChangesFromGit(
  client: ReleasebotClient,
  io: CliIo,
  req: { service: string; version: string; previous?: string },
): Promise<Change[]> {
  const from =
    req.previous ??
    (await client.service(req.service).then(
      (r) => r.service.currentVersion,
      () => null,
    ));
  const got = await gitChanges({ cwd: io.cwd, from, to: req.version, env: io.env });
  if (got.changes && !got.note)
    io.stderr.write(`${got.changes.length} change(s) from git log ${from}..${req.version}\n`);
  if (got.note) io.stderr.write(`note: ${got.note}\n`);
  return got.changes ?? [];
}
