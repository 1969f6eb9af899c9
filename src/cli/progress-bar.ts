import type { Writable } from 'node:stream';

/** A one-line progress bar with done/total and an ETA, redrawn in place; only for terminals. */
export function progressBar(
  out: Writable & { isTTY?: boolean; columns?: number },
  label: string,
  now: () => number = Date.now,
) {
  const started = now();
  let last = 0;
  return {
    update(done: number, total: number): void {
      if (!out.isTTY) return;
      const t = now();
      if (done < total && t - last < 100) return;
      last = t;
      const width = Math.max(10, Math.min(40, (out.columns ?? 80) - 50));
      const filled = total ? Math.round((done / total) * width) : width;
      const eta = done ? ((t - started) / done) * (total - done) : 0;
      out.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ETA ${Math.ceil(eta / 1000)}s `,
      );
      if (done >= total) out.write('\n');
    },
  };
}
