import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { ImportRequest } from '../../safety/import-history.js';
import type { ImportKind } from '../../safety/import-rows.js';
import type { CommandContext } from '../command-context.js';
import { connect } from '../connect.js';

const KINDS: readonly ImportKind[] = ['deploys', 'incidents'];

/** A file's contents added to the request: CSV as text (the server parses it), JSON as records. */
function addFile(req: ImportRequest, path: string, name: string, kind: ImportKind | undefined): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ReleasebotError('INPUT_NOT_FOUND', `cannot read ${name}: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (!name.toLowerCase().endsWith('.json')) {
    (req.csv ??= []).push({ name, text, ...(kind ? { kind } : {}) });
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ReleasebotError('IMPORT_MALFORMED', `${name} is not valid JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
  // An array is one kind of record (from --kind, else the file name); an object holds `deploys` and/or `incidents`.
  if (Array.isArray(value)) {
    const k = kind ?? (/deploy/i.test(name) ? 'deploys' : 'incidents');
    (req[k] ??= []).push(...value);
    return;
  }
  const obj = (value ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !KINDS.includes(k as ImportKind));
  if (unknown.length || typeof value !== 'object') {
    throw new ReleasebotError(
      'IMPORT_MALFORMED',
      `${name}: expected an array of records or {"deploys": [...], "incidents": [...]}`,
    );
  }
  for (const k of KINDS) if (Array.isArray(obj[k])) (req[k] ??= []).push(...(obj[k] as unknown[]));
}

/** `releasebot import <files...> [--kind deploys|incidents] [--dry-run]` */
export function registerImport(program: Command, ctx: CommandContext): void {
  program
    .command('import <files...>')
    .description(
      'backfill past deploys and incidents from CSV or JSON files, all or nothing (see docs/safety.md)',
    )
    .option('--kind <kind>', 'what the files hold when it cannot be told: deploys or incidents')
    .option('--dry-run', 'check the files without importing')
    .option('--json', 'print the result as JSON')
    .action(async (files: string[], o: { kind?: string; dryRun?: boolean; json?: boolean }) => {
      if (o.kind && !KINDS.includes(o.kind as ImportKind))
        throw new ReleasebotError('REQUEST_INVALID', `--kind must be deploys or incidents`);
      const req: ImportRequest = o.dryRun ? { dryRun: true } : {};
      for (const f of files)
        addFile(req, resolve(ctx.io.cwd, f), basename(f), o.kind as ImportKind | undefined);
      const conn = await connect(ctx.io, ctx.logger, program.opts());
      try {
        const r = await conn.client.importHistory(req);
        ctx.io.stdout.write(
          o.json
            ? `${JSON.stringify(r, null, 2)}\n`
            : `${r.dryRun ? 'checked (nothing written)' : 'imported'}: ${r.deploys} deploy${r.deploys === 1 ? '' : 's'}, ${r.incidents} incident${r.incidents === 1 ? '' : 's'}\n`,
        );
        ctx.exitCode = 0;
      } finally {
        await conn.client.close();
      }
    });
}
