import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  truncate,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { Logger } from '../../logging/logger.js';
import { encodeSamplesRecord, encodeSeriesRecord, readRecords } from './log-records.js';
import type { SeriesStore } from './series-store.js';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.js';

export interface MetricsDirectoryOptions {
  dir: string;
  logger: Logger;
  /** Compact (snapshot + fresh log) once the log grows past this many bytes. */
  compactBytes?: number;
}

const SNAPSHOT = 'snapshot.bin';
const LOG_RE = /^wal-(\d{8})\.log$/;
const logName = (gen: number): string => `wal-${String(gen).padStart(8, '0')}.log`;

/**
 * Persistence of a SeriesStore in one directory: `snapshot.bin` (every series, written whole and renamed into
 * place) plus `wal-<generation>.log` files of records appended since. A snapshot of generation G holds everything
 * in logs older than G. Opening loads the snapshot, replays the newer logs and drops a torn last record. Writes
 * are serialised; replaying a sample twice is harmless (equal timestamps replace), which keeps compaction simple.
 * One process per directory.
 */
export class MetricsDirectory {
  private chain: Promise<unknown> = Promise.resolve();
  private handle: FileHandle | null = null;
  private generation = 1;
  private logBytes = 0;
  /** Series whose labels are in the snapshot or the current log. */
  private known = new Set<number>();
  private readonly compactBytes: number;

  private constructor(
    private readonly store: SeriesStore,
    private readonly opts: MetricsDirectoryOptions,
  ) {
    this.compactBytes = opts.compactBytes ?? 64 * 1024 * 1024;
  }

  /** Loads the directory (created when missing) into the empty `store`. Throws METRICS_STORE when unreadable. */
  static async open(store: SeriesStore, opts: MetricsDirectoryOptions): Promise<MetricsDirectory> {
    const d = new MetricsDirectory(store, opts);
    try {
      await d.load();
    } catch (e) {
      await d.handle?.close();
      if (e instanceof ReleasebotError) throw e;
      throw new ReleasebotError(
        'METRICS_STORE',
        `cannot open the metrics directory ${opts.dir}: ${(e as Error).message}`,
        { cause: e },
      );
    }
    return d;
  }

  /** Logs samples already applied to the store (with the labels of series new to the log). */
  write(ids: Uint32Array, t: Float64Array, v: Float64Array, n: number): Promise<void> {
    if (n === 0) return this.chain.then(() => undefined);
    const parts: Buffer[] = [];
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (!this.known.has(id)) {
        this.known.add(id);
        parts.push(encodeSeriesRecord(id, this.store.labelsOf(id)));
      }
    }
    parts.push(encodeSamplesRecord(ids, t, v, n));
    const buf = Buffer.concat(parts);
    return this.enqueue(async () => {
      await this.requireHandle().appendFile(buf);
      this.logBytes += buf.length;
      if (this.logBytes >= this.compactBytes) await this.compactNow();
    });
  }

  /** Writes a snapshot of the whole store and starts a new, empty log. */
  compact(): Promise<void> {
    return this.enqueue(() => this.compactNow());
  }

  /** Waits for queued writes and closes the log. */
  async close(): Promise<void> {
    await this.enqueue(async () => {
      await this.handle?.sync();
      await this.handle?.close();
      this.handle = null;
    });
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task).catch((e: unknown) => {
      throw e instanceof ReleasebotError
        ? e
        : new ReleasebotError(
            'METRICS_STORE',
            `writing the metrics directory ${this.opts.dir} failed: ${(e as Error).message}`,
            { cause: e },
          );
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private requireHandle(): FileHandle {
    if (!this.handle) throw new Error('the metrics directory is closed');
    return this.handle;
  }

  private async load(): Promise<void> {
    const { dir, logger } = this.opts;
    await mkdir(dir, { recursive: true });
    const snapPath = join(dir, SNAPSHOT);
    const snapBytes = await readFile(snapPath).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    if (snapBytes) {
      let snap;
      try {
        snap = decodeSnapshot(snapBytes);
      } catch (e) {
        throw new ReleasebotError('METRICS_STORE', `${snapPath}: ${(e as Error).message}`, { cause: e });
      }
      this.generation = snap.generation;
      for (const s of snap.series) {
        this.store.restoreSeries(s.id, s.labels);
        this.store.restoreChunks(s.id, s.chunks);
        this.known.add(s.id);
      }
    }
    const logs = (await readdir(dir))
      .map((f) => LOG_RE.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    let replayed = 0;
    for (const gen of logs) {
      const path = join(dir, logName(gen));
      if (gen < this.generation) {
        await rm(path, { force: true }); // left by a compaction interrupted after its snapshot was in place
        continue;
      }
      this.generation = gen;
      replayed += await this.replay(path);
    }
    this.store.reclaim();
    this.handle = await open(join(dir, logName(this.generation)), 'a');
    this.logBytes = (await this.handle.stat()).size;
    logger.debug(
      { dir, series: this.store.stats().series, replayedBytes: replayed },
      'metrics directory loaded',
    );
    if (this.logBytes >= this.compactBytes) await this.compactNow();
  }

  private async replay(path: string): Promise<number> {
    const buf = await readFile(path);
    const valid = readRecords(buf, (r) => {
      if (r.kind === 'series') {
        if (this.store.restoreSeries(r.id, r.labels)) this.known.add(r.id);
        else
          this.opts.logger.warn(
            { path, id: r.id },
            'metrics log defines a series id twice; keeping the first',
          );
        return;
      }
      for (let i = 0; i < r.ids.length; i++)
        if (this.store.has(r.ids[i])) this.store.append(r.ids[i], r.t[i], r.v[i]);
    });
    if (valid < buf.length) {
      const dropped = buf.length - valid;
      // A crash while appending leaves a partial last record; more than that is kept aside for inspection.
      if (dropped > 1 << 16) await writeFile(`${path}.dropped-at-${valid}`, buf.subarray(valid));
      this.opts.logger.warn(
        { path, validBytes: valid, droppedBytes: dropped },
        'metrics log ends in a torn or damaged record; dropped it',
      );
      await truncate(path, valid);
    }
    return valid;
  }

  private async compactNow(): Promise<void> {
    const { dir } = this.opts;
    const next = this.generation + 1;
    await this.handle?.close();
    this.handle = await open(join(dir, logName(next)), 'a');
    this.store.reclaim();
    // Sealed chunks are immutable and dump() copies the open heads, so this is the state at this instant.
    const series = [...this.store.dump()];
    this.known = new Set(series.map((s) => s.id));
    const old = this.generation;
    this.generation = next;
    this.logBytes = 0;
    const tmp = join(dir, `${SNAPSHOT}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(encodeSnapshot({ generation: next, series }));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, SNAPSHOT));
    const dh = await open(dir, 'r');
    await dh.sync().finally(() => dh.close());
    for (const f of await readdir(dir)) {
      const m = LOG_RE.exec(f);
      if (m && Number(m[1]) <= old) await rm(join(dir, f), { force: true });
    }
  }
}
