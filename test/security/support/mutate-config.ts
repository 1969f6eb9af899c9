import { INJECTIONS, NUMBERS_TEXT, type Rand } from './hostile-values.js';

/** A config text with one to three hostile mutations applied to the valid base. */
export function mutateConfig(r: Rand, base: string[]): string {
  let lines = [...base];
  const n = 1 + r.int(3);
  for (let k = 0; k < n; k++) {
    const i = 1 + r.int(Math.max(1, lines.length - 1));
    switch (r.int(16)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, lines[i] ?? 'x: 1');
        break;
      case 2:
        lines[i] = `${' '.repeat(r.int(7))}${(lines[i] ?? '').trim()}`;
        break;
      case 3:
        lines[i] = (lines[i] ?? '').replace(/ /, '\t');
        break;
      case 4:
        lines[i] = (lines[i] ?? '').replace(
          /: [^,}\n]+/,
          `: ${r.pick([...NUMBERS_TEXT, ...INJECTIONS.map((s) => JSON.stringify(s.slice(0, 200)))])}`,
        );
        break;
      case 5:
        lines.splice(
          i,
          0,
          `${r.pick(['__proto__', 'constructor', 'prototype', 'polluted'])}: { polluted: true }`,
        );
        break;
      case 6:
        lines.splice(i, 0, `deep: ${'['.repeat(1 + r.int(1000))}`);
        break;
      case 7:
        lines = [
          'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
          ...Array.from(
            { length: 9 },
            (_, j) =>
              `${String.fromCharCode(98 + j)}: &${String.fromCharCode(98 + j)} [${Array(9)
                .fill(`*${String.fromCharCode(97 + j)}`)
                .join(',')}]`,
          ),
          ...lines,
        ];
        break;
      case 8:
        lines[i] = (lines[i] ?? '') + ` \${${r.pick(['MISSING', 'PROM_TOKEN', '', 'A B', '__proto__'])}}`;
        break;
      case 9:
        lines[i] = Buffer.from([0xff, 0xfe, 0x00]).toString('latin1') + (lines[i] ?? '');
        break;
      case 10:
        lines = [
          r.pick([
            '',
            '# only a comment',
            '[]',
            '42',
            '"text"',
            'null',
            '{',
            'services:',
            'services: []',
            'services: {}',
            '---\n---',
            '\ufeff',
          ]),
          ...(r.chance(0.2) ? lines : []),
        ];
        break;
      case 11:
        lines[i] = (lines[i] ?? '').replace(
          /[a-z]+:/,
          (m) => `${m.slice(0, -1)}${r.pick(['x', 'Typo', '_', '-'])}:`,
        );
        break;
      case 12:
        lines[i] = (lines[i] ?? '').replace(
          /\d+(m|s|h)\b/,
          r.pick(['10 minutes', '-5m', '0s', '1e9h', 'm', '5mm', 'NaNs']),
        );
        break;
      case 13:
        lines.splice(
          i,
          0,
          `  ${r
            .pick(INJECTIONS)
            .replace(/[\n\r]/g, '')
            .slice(0, 80)}: ${JSON.stringify(r.pick(INJECTIONS).slice(0, 80))}`,
        );
        break;
      case 14:
        lines[i] = `${lines[i] ?? ''}${'x'.repeat(20_000)}`;
        break;
      default:
        lines.splice(
          i,
          0,
          `services: { ${r.pick(['web', '../x', 'a b', '', '__proto__'])}: ${r.pick(['1', '[]', 'null', '{ stages: [] }', '{ stages: [{ name: a, traffic: 200, bake: 1m }] }'])} }`,
        );
    }
  }
  return lines.join('\n');
}
