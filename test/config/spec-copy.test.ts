import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPLAY_SPEC_CONFIG } from '../support/replay-spec-config.js';

const SPEC = fileURLToPath(new URL('../../../shared/spec/replay.md', import.meta.url));
const present = existsSync(SPEC);
if (!present) console.warn(`spec-copy: skipped, ${SPEC} is not beside this checkout`);

describe('the replay spec', () => {
  it.skipIf(!present)('has the minimal config the tests keep a copy of', () => {
    const minimal = /```yaml\n([\s\S]*?)```/.exec(readFileSync(SPEC, 'utf8'))![1];
    expect(REPLAY_SPEC_CONFIG).toBe(minimal);
  });
});
