import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the Kubernetes API server, the one thing these tests cannot run here: the few endpoints the
 * kubernetes deployer uses (GET and JSON-Patch PATCH of apps/v1 Deployments and their `scale` subresource), over
 * in-memory Deployments. A Deployment's status follows its spec at once (pods ready), unless it is `stuck`, which
 * models pods that never become available. Every request is recorded.
 */
export interface FakeDeployment {
  name: string;
  namespace: string;
  replicas: number;
  containers: Array<{ name: string; image: string }>;
  generation: number;
  /** New pods never become available. */
  stuck?: boolean;
  status: {
    observedGeneration: number;
    replicas: number;
    updatedReplicas: number;
    availableReplicas: number;
  };
}

export interface RecordedRequest {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: unknown;
}

type PatchOp = { op: string; path: string; value?: unknown };

export class FakeKubernetesApi {
  readonly requests: RecordedRequest[] = [];
  readonly deployments = new Map<string, FakeDeployment>();
  private server: Server | null = null;

  add(
    namespace: string,
    name: string,
    replicas: number,
    containers: Array<{ name: string; image: string }>,
  ): FakeDeployment {
    const d: FakeDeployment = {
      name,
      namespace,
      replicas,
      containers,
      generation: 1,
      status: { observedGeneration: 1, replicas, updatedReplicas: replicas, availableReplicas: replicas },
    };
    this.deployments.set(`${namespace}/${name}`, d);
    return d;
  }

  /** The changes requests made, as `verb namespace/name value`, in order. */
  changes(): string[] {
    return this.requests
      .filter((r) => r.method === 'PATCH')
      .map((r) => {
        const [, ns, name, sub] = /namespaces\/([^/]+)\/deployments\/([^/]+)(\/scale)?$/.exec(r.path) ?? [];
        const replace = (r.body as PatchOp[]).find((o) => o.op === 'replace');
        return `${sub ? 'scale' : 'image'} ${ns}/${name} ${String(replace?.value)}`;
      });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const path = (req.url ?? '').split('?')[0];
    const body = text ? (JSON.parse(text) as unknown) : undefined;
    this.requests.push({
      method: req.method ?? '',
      path,
      contentType: req.headers['content-type'],
      authorization: req.headers.authorization,
      body,
    });
    const m = /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/deployments\/([^/]+)(\/scale)?$/.exec(path);
    if (!m)
      return send(
        res,
        404,
        status(404, `the server could not find the requested resource (${req.method} ${path})`),
      );
    const d = this.deployments.get(`${m[1]}/${m[2]}`);
    if (!d) return send(res, 404, status(404, `deployments.apps "${m[2]}" not found`));
    const scale = !!m[3];
    if (req.method === 'GET') return send(res, 200, scale ? scaleOf(d) : deploymentOf(d));
    if (req.method !== 'PATCH') return send(res, 405, status(405, 'method not allowed'));
    if (req.headers['content-type'] !== 'application/json-patch+json') {
      return send(res, 415, status(415, `unsupported patch type ${req.headers['content-type']}`));
    }
    const doc = scale ? scaleOf(d) : deploymentOf(d);
    for (const op of body as PatchOp[]) {
      const current = pointer(doc, op.path);
      if (op.op === 'test' && current !== op.value)
        return send(res, 422, status(422, `the server rejected our request: test of ${op.path} failed`));
      if (op.op === 'replace') {
        if (current === undefined) return send(res, 422, status(422, `replace of ${op.path}: no such path`));
        setPointer(doc, op.path, op.value);
      }
    }
    if (scale) d.replicas = (doc as ReturnType<typeof scaleOf>).spec.replicas;
    else
      d.containers = (doc as ReturnType<typeof deploymentOf>).spec.template.spec.containers.map((c) => ({
        ...c,
      }));
    d.generation++;
    // Pods start at once, or (stuck) are created but never become available.
    const available = d.stuck ? Math.min(d.status.availableReplicas, d.replicas) : d.replicas;
    d.status = {
      observedGeneration: d.generation,
      replicas: d.replicas,
      updatedReplicas: d.replicas,
      availableReplicas: available,
    };
    return send(res, 200, scale ? scaleOf(d) : deploymentOf(d));
  }
}

function deploymentOf(d: FakeDeployment) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: d.name, namespace: d.namespace, generation: d.generation },
    spec: { replicas: d.replicas, template: { spec: { containers: d.containers.map((c) => ({ ...c })) } } },
    status: { ...d.status },
  };
}

function scaleOf(d: FakeDeployment) {
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: d.name, namespace: d.namespace },
    spec: { replicas: d.replicas },
    status: { replicas: d.status.replicas },
  };
}

function status(code: number, message: string) {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function pointer(doc: unknown, path: string): unknown {
  let v = doc;
  for (const key of path.split('/').slice(1))
    v = v === null || typeof v !== 'object' ? undefined : (v as Record<string, unknown>)[key];
  return v;
}

function setPointer(doc: unknown, path: string, value: unknown): void {
  const keys = path.split('/').slice(1);
  const parent = pointer(doc, `/${keys.slice(0, -1).join('/')}`.replace(/\/$/, '')) as Record<
    string,
    unknown
  >;
  parent[keys.at(-1)!] = value;
}
