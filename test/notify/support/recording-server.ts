import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A local HTTP receiver (webhook endpoint, PagerDuty's Events API): records requests, answers as scripted. */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  private readonly script: Answer[] = [];
  private server!: Server;
  url = '';

  constructor(private readonly fallback: Answer = { status: 200, body: '{}' }) {}

  static async start(fallback?: Answer): Promise<RecordingServer> {
    const s = new RecordingServer(fallback);
    s.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = s.script.shift() ?? s.fallback;
        s.requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          status: answer.status,
        });
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  failNext(answer: Answer, times = 1): void {
    for (let i = 0; i < times; i++) this.script.push(answer);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
