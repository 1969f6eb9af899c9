/** How much output a deployer or gate keeps: enough for the error at the end, small enough for a Slack message. */
export const OUTPUT_LIMIT_BYTES = 8 * 1024;

/** Keeps the last `limit` bytes of a stream of chunks, counting what it dropped. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly limit = OUTPUT_LIMIT_BYTES) {}

  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.chunks.push(buf);
    this.size += buf.length;
    while (this.size - this.chunks[0].length >= this.limit) {
      const first = this.chunks.shift()!;
      this.size -= first.length;
      this.dropped += first.length;
    }
  }

  /** The kept text; when output was dropped, starts with a note saying how much. */
  text(): string {
    let buf = Buffer.concat(this.chunks);
    let dropped = this.dropped;
    if (buf.length > this.limit) {
      dropped += buf.length - this.limit;
      buf = buf.subarray(buf.length - this.limit);
    }
    // A cut may split a UTF-8 character; drop its orphaned continuation bytes.
    let start = 0;
    if (dropped) while (start < buf.length && start < 4 && (buf[start] & 0xc0) === 0x80) start++;
    const text = buf.subarray(start).toString('utf8');
    return dropped ? `[... ${dropped + start} earlier bytes not kept]\n${text}` : text;
  }
}

/** The last `limit` bytes of a text. */
export function tailText(text: string, limit = OUTPUT_LIMIT_BYTES): string {
  const tail = new OutputTail(limit);
  tail.push(text);
  return tail.text();
}
