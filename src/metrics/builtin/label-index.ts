import type { Matcher } from './selector.js';

/** Postings per label name and value, to find the series a selector matches without scanning them all. */
export class LabelIndex {
  private readonly postings = new Map<string, Map<string, Set<number>>>();

  add(id: number, labels: Readonly<Record<string, string>>): void {
    for (const [name, value] of Object.entries(labels)) {
      let values = this.postings.get(name);
      if (!values) this.postings.set(name, (values = new Map()));
      let ids = values.get(value);
      if (!ids) values.set(value, (ids = new Set()));
      ids.add(id);
    }
  }

  remove(id: number, labels: Readonly<Record<string, string>>): void {
    for (const [name, value] of Object.entries(labels)) {
      const values = this.postings.get(name);
      const ids = values?.get(value);
      if (!values || !ids) continue;
      ids.delete(id);
      if (ids.size === 0) values.delete(value);
      if (values.size === 0) this.postings.delete(name);
    }
  }

  /**
   * Ids (ascending) of the series all matchers accept; a missing label counts as the empty string, as in PromQL.
   * At least one matcher must reject the empty string (the selector parser ensures it).
   */
  select(matchers: readonly Matcher[], labelsOf: (id: number) => Readonly<Record<string, string>>): number[] {
    const narrowing = matchers.filter((m) => !m.matches('')).sort((a, b) => rank(a) - rank(b));
    const rest = matchers.filter((m) => m.matches(''));
    let candidates: Set<number> | null = null;
    for (const m of narrowing) {
      const values = this.postings.get(m.name);
      if (!values) return [];
      let ids: Set<number>;
      if (m.op === '=') ids = values.get(m.value) ?? new Set();
      else {
        ids = new Set();
        for (const [value, set] of values) if (m.matches(value)) for (const id of set) ids.add(id);
      }
      candidates = candidates ? intersect(candidates, ids) : ids;
      if (candidates.size === 0) return [];
    }
    const out: number[] = [];
    for (const id of candidates ?? []) {
      const labels = labelsOf(id);
      if (rest.every((m) => m.matches(labels[m.name] ?? ''))) out.push(id);
    }
    return out.sort((a, b) => a - b);
  }
}

// Equality first: it is a single lookup and usually the smallest set.
const rank = (m: Matcher): number => (m.op === '=' ? 0 : 1);

function intersect(a: Set<number>, b: Set<number>): Set<number> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const out = new Set<number>();
  for (const id of small) if (large.has(id)) out.add(id);
  return out;
}
