// Records of the append-only metrics log: `u32 length | u32 crc32(payload) | payload`. A record whose length runs
// past the end of the file or whose checksum fails marks the end of the usable log (a write torn by a crash).
import { crc32 } from 'node:zlib';
import type { Labels } from './series-store.js';

const SERIES = 1;
const SAMPLES = 2;
const SAMPLE_BYTES = 20; // u32 id, f64 t, f64 v; byte order of the machine (little-endian everywhere Node runs)

export type LogRecord =
  | { kind: 'series'; id: number; labels: Labels }
  | { kind: 'samples'; ids: Uint32Array; t: Float64Array; v: Float64Array };

export function encodeSeriesRecord(id: number, labels: Labels): Buffer {
  const json = Buffer.from(JSON.stringify(labels));
  const payload = Buffer.alloc(5 + json.length);
  payload[0] = SERIES;
  payload.writeUInt32LE(id, 1);
  payload.set(json, 5);
  return frame(payload);
}

/** Samples as columns (ids, then times, then values) so that encoding and decoding are bulk copies. */
export function encodeSamplesRecord(ids: Uint32Array, t: Float64Array, v: Float64Array, n: number): Buffer {
  const payload = Buffer.alloc(5 + n * SAMPLE_BYTES);
  payload[0] = SAMPLES;
  payload.writeUInt32LE(n, 1);
  payload.set(bytes(ids, n), 5);
  payload.set(bytes(t, n), 5 + n * 4);
  payload.set(bytes(v, n), 5 + n * 12);
  return frame(payload);
}

const bytes = (a: Uint32Array | Float64Array, n: number): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, n * a.BYTES_PER_ELEMENT);

function frame(payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([head, payload]);
}

/** Reads records in order; returns how many bytes from the start were whole, valid records. */
export function readRecords(buf: Buffer, onRecord: (r: LogRecord) => void): number {
  let p = 0;
  while (p + 8 <= buf.length) {
    const len = buf.readUInt32LE(p);
    const end = p + 8 + len;
    if (len === 0 || end > buf.length) break;
    const payload = buf.subarray(p + 8, end);
    if (crc32(payload) !== buf.readUInt32LE(p + 4)) break;
    const record = decode(payload);
    if (!record) break;
    onRecord(record);
    p = end;
  }
  return p;
}

function decode(payload: Buffer): LogRecord | undefined {
  if (payload[0] === SERIES && payload.length >= 5) {
    return {
      kind: 'series',
      id: payload.readUInt32LE(1),
      labels: JSON.parse(payload.toString('utf8', 5)) as Labels,
    };
  }
  if (payload[0] !== SAMPLES || payload.length < 5) return undefined;
  const n = payload.readUInt32LE(1);
  if (payload.length !== 5 + n * SAMPLE_BYTES) return undefined;
  const ids = new Uint32Array(n);
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  // Copies, because the columns are not aligned for typed-array views into the payload.
  bytes(ids, n).set(payload.subarray(5, 5 + n * 4));
  bytes(t, n).set(payload.subarray(5 + n * 4, 5 + n * 12));
  bytes(v, n).set(payload.subarray(5 + n * 12));
  return { kind: 'samples', ids, t, v };
}
