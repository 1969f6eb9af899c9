// Where deploybench and NAB live: beside this checkout (../shared/…) unless $DEPLOYBENCH_ROOT / $NAB_ROOT say
// otherwise; and deploybench's own modules, loaded from there.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const DEPLOYBENCH = process.env.DEPLOYBENCH_ROOT ?? path.resolve(root, '../shared/deploybench');
export const NAB = process.env.NAB_ROOT ?? path.resolve(root, '../shared/nab');
export const lib = await import(pathToFileURL(path.join(DEPLOYBENCH, 'lib.mjs')).href);
export const judges = await import(pathToFileURL(path.join(DEPLOYBENCH, 'judges.mjs')).href);
