import type { BuildOutcome } from './play-build.js';

/** Stages where a bad build must be stopped: before 10% of traffic is exceeded. */
const EARLY_STAGES: readonly string[] = ['canary', 'ten'];

export interface ScenarioVerdict {
  ok: boolean;
  /** One line per build: what happened, what was expected. */
  lines: string[];
}

/**
 * Whether the scripted scenario played out as it should: good builds promoted; each bad build rolled back
 * automatically at the canary or 10% stage with a reason naming the check for its regression.
 */
export function checkScenario(outcomes: readonly BuildOutcome[], expectedBuilds: number): ScenarioVerdict {
  const lines: string[] = [];
  let ok = outcomes.length === expectedBuilds;
  for (const o of outcomes) {
    const bad = o.build.regression;
    const good = bad
      ? o.result === 'rolled_back' &&
        o.automatic &&
        EARLY_STAGES.includes(o.stage ?? '') &&
        o.reason.includes(bad.check)
      : o.result === 'promoted';
    ok &&= good;
    const expected = bad ? `rolled back at canary or ten by ${bad.check}` : 'promoted';
    lines.push(
      `${good ? '✓' : '✗'} ${o.build.version.padEnd(8)} ${describeOutcome(o).padEnd(44)} expected: ${expected}`,
    );
    if (o.result !== 'promoted' && o.reason) lines.push(`             ${o.reason}`);
  }
  if (outcomes.length < expectedBuilds)
    lines.push(`✗ only ${outcomes.length} of ${expectedBuilds} builds were played`);
  return { ok, lines };
}

/** `rolled back at canary after 3m`, `promoted after 21m`. */
export function describeOutcome(o: BuildOutcome): string {
  const after =
    o.startedAt !== null && o.decidedAt !== null
      ? ` after ${Math.round((o.decidedAt - o.startedAt) / 60_000)}m`
      : '';
  switch (o.result) {
    case 'promoted':
      return `promoted${after}`;
    case 'rolled_back':
      return `rolled back at ${o.stage ?? '?'}${after}${o.culprits.length ? ` (${o.culprits.join(', ')})` : ''}`;
    case 'paused':
      return `paused at ${o.stage ?? '?'}${after}`;
    default:
      return o.result.replace('_', ' ');
  }
}
