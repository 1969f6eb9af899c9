import { isMap, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { PathSegment } from './config-path.js';
import { keyText } from './yaml-locate.js';

export interface DuplicateKey {
  segments: PathSegment[];
  /** Offset of the repeated key. */
  offset: number;
  message: string;
}

/**
 * Keys written twice in one map. YAML parsers differ on which one wins, so a repeat is always a mistake
 * worth pointing at (the later key is reported, with the line of the first).
 */
export function findDuplicateKeys(doc: Document, lineCounter: LineCounter): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  const visit = (node: unknown, segments: PathSegment[]): void => {
    if (isMap(node)) {
      const first = new Map<string, Node>();
      for (const pair of node.items) {
        const key = keyText(pair) ?? String(pair.key);
        const keyNode = pair.key as Node | null;
        const earlier = first.get(key);
        if (earlier && key !== '<<') {
          const line = lineCounter.linePos(earlier.range?.[0] ?? 0).line;
          found.push({
            segments: [...segments, key],
            offset: keyNode?.range?.[0] ?? 0,
            message: `duplicate key \`${key}\` (first written at line ${line}); keep only one`,
          });
        } else if (keyNode) {
          first.set(key, keyNode);
        }
        visit(pair.value, [...segments, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => visit(item, [...segments, i]));
    }
  };
  visit(doc.contents, []);
  return found;
}
