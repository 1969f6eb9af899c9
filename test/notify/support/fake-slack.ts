import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake Slack received: the Web API method (or `response_url`), its arguments, and the auth. */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  authorization: string | undefined;
  /** The status the fake answered with. */
  status: number;
}

interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * A local HTTP server standing in for Slack's Web API (`<url>api/<method>`, form-encoded as the official client
 * sends it, JSON-valued fields decoded) and for response_url posts (`<url>respond/...`). It answers like Slack
 * (`{ ok, channel, ts }`) unless a failure was scripted for the next calls.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private readonly script: Scripted[] = [];
  private server!: Server;
  private tsCounter = 0;
  private readonly channelIds = new Map<string, string>();
  apiUrl = '';
  origin = '';

  static async start(): Promise<FakeSlack> {
    const f = new FakeSlack();
    f.server = createServer((req, res) => {
      void f.handle(req).then(({ status, headers, body }) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', resolve));
    const { port } = f.server.address() as AddressInfo;
    f.origin = `http://127.0.0.1:${port}`;
    f.apiUrl = `${f.origin}/api/`;
    return f;
  }

  /** The next `times` requests get this answer instead of success. */
  failNext(answer: Scripted, times = 1): void {
    for (let i = 0; i < times; i++) this.script.push(answer);
  }

  /** The channel id the fake gives a channel name (as Slack returns ids, not names). */
  channelId(name: string): string {
    let id = this.channelIds.get(name);
    if (!id) {
      id = `C${String(this.channelIds.size + 1).padStart(8, '0')}`;
      this.channelIds.set(name, id);
    }
    return id;
  }

  /** Successful calls only, in arrival order. */
  get succeeded(): SlackCall[] {
    return this.calls.filter((c) => c.status === 200);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<Scripted> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', this.origin);
    const isRespond = url.pathname.startsWith('/respond/');
    const method = isRespond ? 'response_url' : url.pathname.replace(/^\/api\//, '');
    const args = isRespond ? (JSON.parse(raw) as Record<string, unknown>) : decodeForm(raw);
    const answer = this.script.shift() ?? this.success(method, args);
    this.calls.push({ method, args, authorization: req.headers.authorization, status: answer.status });
    return answer;
  }

  private success(method: string, args: Record<string, unknown>): Scripted {
    if (method === 'response_url') return { status: 200, body: 'ok' };
    const channel = String(args.channel ?? '');
    const id = /^[CG][0-9A-Z]{8}$/.test(channel) ? channel : this.channelId(channel);
    if (method === 'chat.update') return { status: 200, body: { ok: true, channel: id, ts: args.ts } };
    this.tsCounter++;
    return {
      status: 200,
      body: { ok: true, channel: id, ts: `1700000000.${String(this.tsCounter).padStart(6, '0')}` },
    };
  }
}

function decodeForm(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
