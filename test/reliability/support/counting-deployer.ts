import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../../src/webhooks/webhook-signature.js';
import type { WebhookDeployPayload } from '../../../src/deployers/webhook/webhook-deployer.js';

/** One action the receiver applied (the first delivery of its idempotency key). */
export interface AppliedAction extends WebhookDeployPayload {
  /** Order of application across the whole run. */
  seq: number;
}

/**
 * The deploy system a webhook deployer drives, as a test sees it: verifies each request's signature, counts every
 * delivery, applies each idempotency key once (the first delivery) and drops repeats, as the webhook contract asks
 * receivers to. `hold` keeps chosen requests unanswered until released (a deployer action in flight).
 */
export class CountingDeployer {
  readonly applied = new Map<string, AppliedAction>();
  /** Deliveries per key, repeats included. */
  readonly deliveries = new Map<string, number>();
  /** Requests refused for a bad signature (must stay 0). */
  badSignatures = 0;
  /** Requests whose Idempotency-Key header differs from the body's key (must stay 0). */
  keyMismatch = 0;
  /** Deliveries whose fencing token was lower than one already seen for the service (a deposed replica). */
  staleFence = 0;
  calls = 0;
  url = '';
  private readonly fences = new Map<string, number>();
  private readonly held: Array<{ match: (p: WebhookDeployPayload) => boolean; waiting: Array<() => void> }> =
    [];
  private readonly onArrive: Array<(p: WebhookDeployPayload) => void> = [];
  private server!: Server;
  private readonly open = new Set<ServerResponse>();

  private constructor(private readonly secret: string) {}

  static async start(secret: string): Promise<CountingDeployer> {
    const d = new CountingDeployer(secret);
    d.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => d.handle(Buffer.concat(chunks), req.headers, res));
    });
    await new Promise<void>((resolve) => d.server.listen(0, '127.0.0.1', resolve));
    d.url = `http://127.0.0.1:${(d.server.address() as AddressInfo).port}/deploy`;
    return d;
  }

  /** Deliveries beyond the first of a key: what the receiver dropped. */
  get repeats(): number {
    let n = 0;
    for (const count of this.deliveries.values()) n += count - 1;
    return n;
  }

  /** Requests matching `match` are not answered until the returned release() is called. */
  hold(match: (p: WebhookDeployPayload) => boolean): { release(): void } {
    const entry = { match, waiting: [] as Array<() => void> };
    this.held.push(entry);
    return {
      release: () => {
        this.held.splice(this.held.indexOf(entry), 1);
        for (const answer of entry.waiting.splice(0)) answer();
      },
    };
  }

  /** Resolves with the first request matching `match` as it arrives (before it is answered). */
  arrival(match: (p: WebhookDeployPayload) => boolean): Promise<WebhookDeployPayload> {
    return new Promise((resolve) => {
      const listener = (p: WebhookDeployPayload) => {
        if (!match(p)) return;
        this.onArrive.splice(this.onArrive.indexOf(listener), 1);
        resolve(p);
      };
      this.onArrive.push(listener);
    });
  }

  /** Applied actions of one deploy, in the order they were applied. */
  actionsOf(deployId: string): AppliedAction[] {
    return [...this.applied.values()].filter((a) => a.deployId === deployId).sort((a, b) => a.seq - b.seq);
  }

  close(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(
    body: Buffer,
    headers: Record<string, string | string[] | undefined>,
    res: ServerResponse,
  ): void {
    this.calls++;
    const signed = verifySignature({
      secret: this.secret,
      timestamp: String(headers['x-releasebot-timestamp'] ?? ''),
      signature: String(headers['x-releasebot-signature'] ?? ''),
      body,
    });
    if (!signed) {
      this.badSignatures++;
      res.writeHead(401).end();
      return;
    }
    const p = JSON.parse(body.toString('utf8')) as WebhookDeployPayload;
    const key = String(headers['idempotency-key']);
    if (key !== p.idempotencyKey) this.keyMismatch++;
    for (const l of [...this.onArrive]) l(p);
    this.deliveries.set(key, (this.deliveries.get(key) ?? 0) + 1);
    const highest = this.fences.get(p.service) ?? 0;
    if (p.fence < highest) this.staleFence++;
    else this.fences.set(p.service, p.fence);
    // Applied when it arrives, as a real system would start acting; the answer may be held back.
    if (!this.applied.has(key)) this.applied.set(key, { ...p, seq: this.applied.size });
    const answer = () => {
      this.open.delete(res);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    };
    const hold = this.held.find((h) => h.match(p));
    if (hold) {
      this.open.add(res);
      hold.waiting.push(answer);
    } else answer();
  }
}
