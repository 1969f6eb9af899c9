/** A named time in an expected order; null or undefined when not set. */
export interface OrderedTime {
  field: string;
  at: number | null | undefined;
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/**
 * Checks times that must not decrease in the order given (unset ones skipped): each is compared with the latest set
 * one before it. Returns one problem per time that comes too early, naming both.
 */
export function timeOrderProblems(times: readonly OrderedTime[]): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  let prev: { field: string; at: number } | null = null;
  for (const t of times) {
    if (t.at === null || t.at === undefined) continue;
    if (prev && t.at < prev.at) {
      problems.push({
        field: t.field,
        message: `${t.field} ${iso(t.at)} is before ${prev.field} ${iso(prev.at)}`,
      });
    } else prev = { field: t.field, at: t.at };
  }
  return problems;
}
