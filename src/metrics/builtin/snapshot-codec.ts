// The snapshot file: every series with its sealed chunks, written as they are held in memory so that saving and
// loading are copies, not re-encodings. Byte order is the machine's (little-endian on every platform Node ships for).
import { crc32 } from 'node:zlib';
import type { IntArray, SealedChunk } from './sealed-chunk.js';
import type { Labels } from './series-store.js';

const MAGIC = 'RBMETRIC';
const VERSION = 1;
const HEADER = 24; // magic 8, version 4, generation 4, crc 4, series count 4

export interface SnapshotSeries {
  id: number;
  labels: Labels;
  chunks: SealedChunk[];
}

export interface Snapshot {
  /** The first log generation not contained in the snapshot. */
  generation: number;
  series: SnapshotSeries[];
}

const bytesOf = (a: ArrayBufferView | null): Uint8Array =>
  a ? new Uint8Array(a.buffer, a.byteOffset, a.byteLength) : new Uint8Array(0);

export function encodeSnapshot(snap: Snapshot): Buffer {
  const labelBytes = snap.series.map((s) => Buffer.from(JSON.stringify(s.labels)));
  let size = HEADER;
  snap.series.forEach((s, i) => {
    size += 12 + labelBytes[i].length;
    for (const c of s.chunks)
      size += 47 + bytesOf(c.tOffsets ?? c.tRaw).length + bytesOf(c.vInts ?? c.vRaw).length;
  });
  const buf = Buffer.alloc(size);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(VERSION, 8);
  buf.writeUInt32LE(snap.generation, 12);
  buf.writeUInt32LE(snap.series.length, 20);
  let p = HEADER;
  snap.series.forEach((s, i) => {
    p = buf.writeUInt32LE(s.id, p);
    p = buf.writeUInt32LE(labelBytes[i].length, p);
    buf.set(labelBytes[i], p);
    p += labelBytes[i].length;
    p = buf.writeUInt32LE(s.chunks.length, p);
    for (const c of s.chunks) {
      p = buf.writeUInt32LE(c.count, p);
      p = buf.writeDoubleLE(c.minT, p);
      p = buf.writeDoubleLE(c.maxT, p);
      p = buf.writeDoubleLE(c.step, p);
      p = buf.writeUInt8(c.tOffsets ? 1 : c.tRaw ? 2 : 0, p);
      p = buf.writeDoubleLE(c.vScale, p);
      p = buf.writeDoubleLE(c.vBase, p);
      p = buf.writeUInt8(
        c.vRaw
          ? 0
          : (c.vInts as IntArray).BYTES_PER_ELEMENT === 1
            ? 1
            : (c.vInts as IntArray).BYTES_PER_ELEMENT === 2
              ? 2
              : 3,
        p,
      );
      p = buf.writeUInt8(c.vDelta ? 1 : 0, p);
      for (const a of [c.tOffsets ?? c.tRaw, c.vInts ?? c.vRaw]) {
        const b = bytesOf(a);
        buf.set(b, p);
        p += b.length;
      }
    }
  });
  buf.writeUInt32LE(crc32(buf.subarray(HEADER)), 16);
  return buf;
}

/** Decodes a snapshot; throws an Error saying what is wrong when the bytes are not a whole, intact snapshot. */
export function decodeSnapshot(buf: Buffer): Snapshot {
  if (buf.length < HEADER || buf.toString('latin1', 0, 8) !== MAGIC)
    throw new Error('not a releasebot metrics snapshot');
  const version = buf.readUInt32LE(8);
  if (version !== VERSION) throw new Error(`unsupported snapshot version ${version}`);
  if (crc32(buf.subarray(HEADER)) !== buf.readUInt32LE(16))
    throw new Error('checksum mismatch (damaged or truncated file)');
  const generation = buf.readUInt32LE(12);
  const count = buf.readUInt32LE(20);
  const series: SnapshotSeries[] = [];
  let p = HEADER;
  for (let i = 0; i < count; i++) {
    const id = buf.readUInt32LE(p);
    const len = buf.readUInt32LE(p + 4);
    const labels = JSON.parse(buf.toString('utf8', p + 8, p + 8 + len)) as Labels;
    p += 8 + len;
    const nChunks = buf.readUInt32LE(p);
    p += 4;
    const chunks: SealedChunk[] = [];
    for (let k = 0; k < nChunks; k++) {
      const n = buf.readUInt32LE(p);
      const minT = buf.readDoubleLE(p + 4);
      const maxT = buf.readDoubleLE(p + 12);
      const step = buf.readDoubleLE(p + 20);
      const tKind = buf[p + 28];
      const vScale = buf.readDoubleLE(p + 29);
      const vBase = buf.readDoubleLE(p + 37);
      const vKind = buf[p + 45];
      const vDelta = buf[p + 46] === 1;
      p += 47;
      const tOffsets = tKind === 1 ? copy(new Int32Array(n), buf, p) : null;
      const tRaw = tKind === 2 ? copy(new Float64Array(n), buf, p) : null;
      p += (tOffsets ?? tRaw)?.byteLength ?? 0;
      const vInts =
        vKind === 1
          ? new Int8Array(n)
          : vKind === 2
            ? new Int16Array(n)
            : vKind === 3
              ? new Int32Array(n)
              : null;
      const vRaw = vKind === 0 ? new Float64Array(n) : null;
      const v = (vInts ?? vRaw) as ArrayBufferView;
      copy(v, buf, p);
      p += v.byteLength;
      chunks.push({ count: n, minT, maxT, step, tOffsets, tRaw, vScale, vInts, vDelta, vBase, vRaw });
    }
    series.push({ id, labels, chunks });
  }
  return { generation, series };
}

function copy<T extends ArrayBufferView>(to: T, from: Buffer, at: number): T {
  new Uint8Array(to.buffer, to.byteOffset, to.byteLength).set(from.subarray(at, at + to.byteLength));
  return to;
}
