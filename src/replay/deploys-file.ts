import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ReleasebotError } from '../errors/releasebot-error.js';

const deploysFileSchema = z
  .object({
    service: z.string().min(1),
    deploys: z.array(
      z
        .object({
          id: z.string().min(1).max(200),
          version: z.string().min(1).max(200),
          startedAt: z.union([z.iso.datetime({ offset: true }), z.number().finite()]),
          changes: z
            .array(z.union([z.string().min(1), z.object({ id: z.string().min(1) }).loose()]))
            .optional(),
        })
        .loose(),
    ),
  })
  .loose();

export interface ReplayDeploy {
  id: string;
  version: string;
  /** ms */
  startedAt: number;
  changes: Array<{ id: string; title?: string; author?: string; url?: string }>;
}

export interface DeploysFile {
  service: string;
  deploys: ReplayDeploy[];
}

/** Reads deploys.json of spec/replay.md; errors name the file, and the line for JSON syntax errors. */
export function readDeploysFile(path: string): DeploysFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ReleasebotError(
      'INPUT_NOT_FOUND',
      `${path}: cannot read the deploys file (${(cause as Error).message})`,
      { cause },
    );
  }
  return parseDeploysFile(text, path);
}

export function parseDeploysFile(text: string, file: string): DeploysFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const pos = /position (\d+)/.exec((cause as Error).message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new ReleasebotError(
      'INPUT_INVALID',
      `${file}${line ? `:${line}` : ''}: not valid JSON: ${(cause as Error).message}`,
      {
        cause,
        details: [{ file, ...(line ? { line } : {}), message: (cause as Error).message }],
      },
    );
  }
  const r = deploysFileSchema.safeParse(json);
  if (!r.success) {
    const details = r.error.issues.map((i) => ({ file, path: i.path.join('.'), message: i.message }));
    throw new ReleasebotError(
      'INPUT_INVALID',
      `${file}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      { details },
    );
  }
  const seen = new Set<string>();
  const deploys = r.data.deploys.map((d, i) => {
    if (seen.has(d.id))
      throw new ReleasebotError('INPUT_INVALID', `${file}: deploys[${i}].id: duplicate deploy id "${d.id}"`);
    seen.add(d.id);
    const startedAt = typeof d.startedAt === 'number' ? d.startedAt * 1000 : Date.parse(d.startedAt);
    return {
      id: d.id,
      version: d.version,
      startedAt,
      changes: (d.changes ?? []).map((c) => (typeof c === 'string' ? { id: c } : { id: String(c.id) })),
    };
  });
  deploys.sort((a, b) => a.startedAt - b.startedAt);
  return { service: r.data.service, deploys };
}
