import type { SampleSink } from './openmetrics-parser.js';

/**
 * Parsed samples held before they reach the store: parallel typed arrays (ref, t, v) and the label sets the refs
 * point to. Lets an ingest be checked whole before anything is stored, and a file be applied chunk by chunk.
 */
export class SampleBatch implements SampleSink {
  readonly labels: Record<string, string>[] = [];
  length = 0;
  refs = new Int32Array(1024);
  t = new Float64Array(1024);
  v = new Float64Array(1024);

  series(labels: Record<string, string>): number {
    return this.labels.push(labels) - 1;
  }

  sample(ref: number, t: number, v: number): void {
    if (this.length === this.refs.length) this.grow();
    this.refs[this.length] = ref;
    this.t[this.length] = t;
    this.v[this.length] = v;
    this.length++;
  }

  /** Forgets the samples, keeping label sets (refs stay valid across chunks of one file). */
  clearSamples(): void {
    this.length = 0;
  }

  private grow(): void {
    const n = this.refs.length * 2;
    const refs = new Int32Array(n);
    const t = new Float64Array(n);
    const v = new Float64Array(n);
    refs.set(this.refs);
    t.set(this.t);
    v.set(this.v);
    this.refs = refs;
    this.t = t;
    this.v = v;
  }
}
