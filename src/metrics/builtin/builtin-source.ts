import { createReadStream } from 'node:fs';
import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { Logger } from '../../logging/logger.js';
import type { Clock } from '../../time/clock.js';
import type { MetricSource, RangeQuery, Series, SyncReader } from '../metric-source.js';
import { MetricsDirectory } from './metrics-directory.js';
import { OpenMetricsParser, type ExpositionFormat } from './openmetrics-parser.js';
import { SampleBatch } from './sample-batch.js';
import { parseSelector, type Selector } from './selector.js';
import { FailedQuery, PreparedQuery } from './prepared-query.js';
import { AppendResult, SeriesStore, type StoreStats } from './series-store.js';

export interface BuiltinSourceOptions {
  clock: Clock;
  logger: Logger;
  /** ms of history kept, counted back from the newest sample. `Infinity` keeps everything (replay). */
  retention: number;
  /** Directory the series persist in; memory only when absent. */
  dir?: string;
  /** Log bytes after which the directory is compacted into a snapshot. */
  compactBytes?: number;
  /** Samples per sealed chunk (memory/read trade-off; the default suits per-minute data). */
  chunkSize?: number;
}

export interface IngestOptions {
  /** ms; the time given to samples without a timestamp. Defaults to the clock. */
  now?: number;
  /** Named in parse errors. */
  file?: string;
  /** `prometheus` (timestamps in ms, the default for pushes) or `openmetrics` (timestamps in seconds). */
  format?: ExpositionFormat;
  /** ms; samples stamped later than this are rejected as `future` (clock skew, bad exporters). */
  notAfter?: number;
}

export interface IngestResult {
  /** Distinct series in the input. */
  series: number;
  /** Samples stored (new, or replacing one with the same timestamp). */
  samples: number;
  rejected: { outOfOrder: number; tooOld: number; future: number };
}

export interface BuiltinSourceStats extends StoreStats {
  /** Samples rejected because stamped too far ahead of the clock. */
  future: number;
}

interface QueryEntry {
  selector: Selector;
  generation: number;
  ids: number[];
}

const READ_CHUNK = 4 * 1024 * 1024;
// A check reads ~6 selectors (3 cohorts of its metric and of the traffic): 100k covers 1,000 deploys x 20 checks.
const MAX_CACHED_QUERIES = 100_000;

/**
 * The embedded metric source: OpenMetrics/Prometheus text in (HTTP pushes, files), PromQL instant-vector selectors
 * out, over a SeriesStore that optionally persists to a directory. Range reads return raw samples; `step` is ignored.
 */
export class BuiltinSource implements MetricSource {
  readonly name = 'builtin';
  private readonly queries = new Map<string, QueryEntry>();
  private future = 0;

  private constructor(
    readonly store: SeriesStore,
    private readonly dir: MetricsDirectory | null,
    private readonly opts: BuiltinSourceOptions,
  ) {}

  /** Creates the source, loading `dir` when given (METRICS_STORE if it cannot be read). */
  static async open(opts: BuiltinSourceOptions): Promise<BuiltinSource> {
    const store = new SeriesStore({ retention: opts.retention, chunkSize: opts.chunkSize });
    const dir = opts.dir
      ? await MetricsDirectory.open(store, {
          dir: opts.dir,
          logger: opts.logger,
          compactBytes: opts.compactBytes,
        })
      : null;
    return new BuiltinSource(store, dir, opts);
  }

  /** Samples with start <= t <= end of every series the selector matches; series without samples there are left out. */
  async queryRange(q: RangeQuery, signal?: AbortSignal): Promise<Series[]> {
    signal?.throwIfAborted();
    return this.select(q.query, q.start, q.end);
  }

  prepareSync(query: string): SyncReader {
    let q: QueryEntry;
    try {
      q = this.entry(query);
    } catch (e) {
      return new FailedQuery(e);
    }
    return new PreparedQuery(this.store, () => this.idsOf(q));
  }

  /**
   * The synchronous form of queryRange, for the evaluation hot path: start and end inclusive, ms. Sample arrays may
   * be views into the store: read them before the next ingest and never modify them. QUERY_INVALID on a bad query.
   */
  select(query: string, start: number, end: number): Series[] {
    return this.store.readSeries(this.idsOf(this.entry(query)), start, end);
  }

  /**
   * Ingests a text exposition (a push). All or nothing: a malformed line rejects the whole body with METRICS_PARSE.
   * Samples out of order, outside retention or in the future are counted in the result, not errors.
   */
  async ingestExposition(body: string | Uint8Array, opts: IngestOptions = {}): Promise<IngestResult> {
    const now = opts.now ?? this.opts.clock.now();
    const batch = new SampleBatch();
    const parser = new OpenMetricsParser(batch, {
      format: opts.format ?? 'prometheus',
      file: opts.file ?? 'push body',
      defaultTimestamp: now,
    });
    parser.write(typeof body === 'string' ? Buffer.from(body) : body);
    parser.end();
    const result = emptyResult(batch.labels.length);
    await this.apply(batch, new Int32Array(batch.labels.length).fill(-1), opts.notAfter ?? Infinity, result);
    return result;
  }

  /**
   * Loads an OpenMetrics file with timestamps (seconds), streaming: what precedes a malformed line is kept, and the
   * error (METRICS_PARSE) names file, line and column. INPUT_NOT_FOUND when the file cannot be read.
   */
  async loadOpenMetricsFile(path: string): Promise<IngestResult> {
    const batch = new SampleBatch();
    const parser = new OpenMetricsParser(batch, { format: 'openmetrics', file: path });
    const ids = new Int32Array(0);
    const state = { ids };
    const result = emptyResult(0);
    const stream = createReadStream(path, { highWaterMark: READ_CHUNK });
    try {
      for await (const chunk of stream) {
        parser.write(chunk as Buffer);
        await this.flushFileBatch(batch, state, result);
      }
    } catch (e) {
      if (e instanceof ReleasebotError) throw e;
      const err = e as NodeJS.ErrnoException;
      const code =
        err.code === 'ENOENT' || err.code === 'EISDIR' || err.code === 'EACCES'
          ? 'INPUT_NOT_FOUND'
          : 'INTERNAL';
      throw new ReleasebotError(code, `cannot read metrics file ${path}: ${err.message}`, { cause: e });
    } finally {
      stream.destroy();
    }
    parser.end();
    await this.flushFileBatch(batch, state, result);
    result.series = batch.labels.length;
    this.opts.logger.debug({ path, ...result, lines: parser.lines }, 'metrics file loaded');
    return result;
  }

  stats(): BuiltinSourceStats {
    return { ...this.store.stats(), future: this.future };
  }

  /** Writes a snapshot and starts a fresh log (no-op in memory). */
  async compact(): Promise<void> {
    await this.dir?.compact();
  }

  async close(): Promise<void> {
    await this.dir?.close();
  }

  private async flushFileBatch(
    batch: SampleBatch,
    state: { ids: Int32Array },
    result: IngestResult,
  ): Promise<void> {
    if (state.ids.length < batch.labels.length) {
      const ids = new Int32Array(batch.labels.length).fill(-1);
      ids.set(state.ids);
      state.ids = ids;
    }
    await this.apply(batch, state.ids, Infinity, result);
    batch.clearSamples();
  }

  /** Stores the batch's samples; `ids` maps batch refs to store ids (-1 until first used). */
  private async apply(
    batch: SampleBatch,
    ids: Int32Array,
    notAfter: number,
    result: IngestResult,
  ): Promise<void> {
    const n = batch.length;
    const logIds = this.dir ? new Uint32Array(n) : null;
    const logT = this.dir ? new Float64Array(n) : null;
    const logV = this.dir ? new Float64Array(n) : null;
    let logged = 0;
    const { refs, t, v } = batch;
    for (let i = 0; i < n; i++) {
      if (t[i] > notAfter) {
        result.rejected.future++;
        this.future++;
        continue;
      }
      const ref = refs[i];
      let id = ids[ref];
      if (id < 0 || !this.store.has(id)) id = ids[ref] = this.store.seriesId(batch.labels[ref]);
      const r = this.store.append(id, t[i], v[i]);
      if (r === AppendResult.OutOfOrder) result.rejected.outOfOrder++;
      else if (r === AppendResult.TooOld) result.rejected.tooOld++;
      else {
        result.samples++;
        if (logIds && logT && logV) {
          logIds[logged] = id;
          logT[logged] = t[i];
          logV[logged] = v[i];
          logged++;
        }
      }
    }
    // Logged before reclaiming, which may retire the ids just written.
    const written = this.dir?.write(
      logIds as Uint32Array,
      logT as Float64Array,
      logV as Float64Array,
      logged,
    );
    if (this.store.reclaimDue()) this.store.reclaim();
    await written;
  }

  /** The parsed query, cached (QUERY_INVALID when it does not parse). */
  private entry(query: string): QueryEntry {
    let q = this.queries.get(query);
    if (!q) {
      if (this.queries.size >= MAX_CACHED_QUERIES) this.queries.clear();
      q = { selector: parseSelector(query), generation: -1, ids: [] };
      this.queries.set(query, q);
    }
    return q;
  }

  /** The series the query selects, looked up again only when series were added or removed. */
  private idsOf(q: QueryEntry): number[] {
    if (q.generation !== this.store.generation) {
      q.ids = this.store.select(q.selector.matchers);
      q.generation = this.store.generation;
    }
    return q.ids;
  }
}

const emptyResult = (series: number): IngestResult => ({
  series,
  samples: 0,
  rejected: { outOfOrder: 0, tooOld: 0, future: 0 },
});
