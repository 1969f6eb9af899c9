import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from 'yaml';
import type { PathSegment } from './config-path.js';

/** Where a key path lands in a parsed YAML document. */
export interface YamlLocation {
  /** The value node at the path; for a path that does not exist, the deepest node that does (the parent map). */
  node: Node | null;
  /** The key node of the last step, when the path exists and ends at a map key. */
  key: Node | null;
  /** Whether the whole path exists in the document. */
  exact: boolean;
}

/** Source position, 1-based as editors show it. */
export interface YamlPosition {
  line: number;
  column: number;
}

type Where = 'value' | 'key';

function resolve(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

/** A map key as text; the YAML 1.1 merge key (a symbol when merges are on) reads as `<<`. */
export function keyText(pair: Pair): string | undefined {
  const key = pair.key;
  if (!isScalar(key) || key.value === null) return undefined;
  return typeof key.value === 'symbol' ? '<<' : String(key.value);
}

/** The pair for `key` in a map, looking through `<<` merge keys as YAML 1.1 merges do (own keys win). */
function findPair(doc: Document, map: unknown, key: string, depth = 0): Pair | undefined {
  const m = resolve(doc, map);
  if (!isMap(m) || depth > 10) return undefined;
  // The last of repeated keys, as that is the one the parsed data holds.
  const own = m.items.findLast((p) => keyText(p) === key);
  if (own) return own;
  for (const p of m.items) {
    if (keyText(p) !== '<<') continue;
    const v = resolve(doc, p.value);
    const sources = isSeq(v) ? v.items : [v];
    for (const s of sources) {
      const found = findPair(doc, s, key, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** Follows `segments` from the document root as far as the document goes. */
export function locate(doc: Document, segments: readonly PathSegment[]): YamlLocation {
  let node = resolve(doc, doc.contents) as Node | null;
  let key: Node | null = null;
  for (const seg of segments) {
    const current = resolve(doc, node);
    let next: unknown;
    let nextKey: Node | null = null;
    if (isMap(current)) {
      const pair = findPair(doc, current, String(seg));
      if (!pair) return { node, key: null, exact: false };
      next = pair.value;
      nextKey = (pair.key as Node | null) ?? null;
    } else if (isSeq(current) && typeof seg === 'number' && seg < current.items.length) {
      next = current.items[seg];
    } else {
      return { node, key: null, exact: false };
    }
    if (next === null || next === undefined) {
      // `key:` with nothing after it: the key is the only place to point at.
      return { node: null, key: nextKey, exact: true };
    }
    node = resolve(doc, next) as Node;
    key = nextKey;
  }
  return { node, key, exact: true };
}

/**
 * The offset to point at: the value (or the key when asked, or when the value is empty), and for a path that
 * does not exist the parent map. Empty documents point at the start.
 */
export function offsetOf(loc: YamlLocation, where: Where): number {
  const valueEmpty = !loc.node || (isScalar(loc.node) && loc.node.value === null && rangeEmpty(loc.node));
  if (loc.exact && loc.key?.range && (where === 'key' || valueEmpty)) return loc.key.range[0];
  return loc.node?.range?.[0] ?? 0;
}

function rangeEmpty(node: Node): boolean {
  return !node.range || node.range[0] === node.range[1];
}

export function positionAt(lineCounter: LineCounter, offset: number): YamlPosition {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Splits a dotted path such as `services.web.v2.stages[1].bake` into segments, using the document to tell a
 * key that contains dots (`web.v2`) from two keys. Parts of the path the document lacks are split at dots.
 */
export function segmentsOf(doc: Document, path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let rest = path;
  let node: unknown = doc.contents;
  while (rest.length) {
    const index = /^\[(\d+)\]/.exec(rest);
    if (index) {
      const i = Number(index[1]);
      segments.push(i);
      const seq = resolve(doc, node);
      node = isSeq(seq) ? seq.items[i] : undefined;
      rest = rest.slice(index[0].length);
    } else {
      if (rest.startsWith('.')) rest = rest.slice(1);
      const key = longestKey(doc, node, rest) ?? /^[^.[]*/.exec(rest)![0];
      segments.push(key);
      node = findPair(doc, node, key)?.value;
      rest = rest.slice(key.length);
    }
  }
  return segments;
}

function longestKey(doc: Document, node: unknown, rest: string): string | undefined {
  const map = resolve(doc, node);
  if (!isMap(map)) return undefined;
  let best: string | undefined;
  for (const pair of map.items) {
    const k = keyText(pair);
    if (k === undefined || !rest.startsWith(k)) continue;
    const after = rest.charAt(k.length);
    if ((after === '' || after === '.' || after === '[') && (!best || k.length > best.length)) best = k;
  }
  return best;
}
