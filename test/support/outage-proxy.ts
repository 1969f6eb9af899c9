import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the proxy treats requests: `up` forwards them (and drops the connection when the upstream does not answer,
 * as a dead server would), `down` drops every connection, `error` answers 500 with `errorBody`.
 */
export type OutageMode = 'up' | 'down' | 'error';

/**
 * An HTTP forwarder in front of a real dependency (Prometheus, a fake Slack) whose availability a test switches:
 * an outage without stopping the dependency, or a dependency that answers with errors.
 */
export class OutageProxy {
  mode: OutageMode = 'up';
  /** Requests that arrived, by the mode they met. */
  readonly seen: Record<OutageMode, number> = { up: 0, down: 0, error: 0 };
  url = '';
  private server!: Server;

  private constructor(
    private readonly upstream: URL,
    private readonly errorBody: string,
  ) {}

  static async start(
    upstream: string,
    errorBody = '{"status":"error","errorType":"internal","error":"injected"}',
  ): Promise<OutageProxy> {
    const p = new OutageProxy(new URL(upstream), errorBody);
    p.server = createServer((req, res) => {
      const mode = p.mode;
      p.seen[mode]++;
      if (mode === 'down') return void req.socket.destroy();
      if (mode === 'error') {
        req.resume();
        return void res.writeHead(500, { 'content-type': 'application/json' }).end(p.errorBody);
      }
      const out = request(
        {
          host: p.upstream.hostname,
          port: p.upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: p.upstream.host },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.on('error', () => req.socket.destroy());
      req.pipe(out);
    });
    await new Promise<void>((resolve) => p.server.listen(0, '127.0.0.1', resolve));
    p.url = `http://127.0.0.1:${(p.server.address() as AddressInfo).port}`;
    return p;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
