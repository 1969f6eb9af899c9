import { AppsV1Api, KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import type { KubernetesDeployerConfig } from '../../config/deployer-schema.js';
import { tailText } from '../../process/output-tail.js';
import { formatDuration } from '../../time/duration.js';
import { deployVars } from '../deploy-vars.js';
import type { Deployer, DeployerCall, DeployerResult } from '../deployer.js';
import { deploymentPending } from './deployment-ready.js';
import { fillTemplate } from './fill-template.js';
import { splitReplicas } from './split-replicas.js';

/** Waits `ms`. */
export type Sleep = (ms: number) => Promise<void>;

export interface KubernetesDeployerDeps {
  /** Cluster access; default loaded from the config's `kubeconfig`/`context`, else the usual places. */
  kubeConfig?: KubeConfig;
  sleep?: Sleep;
  /** Between readiness checks, ms (default 2 s). */
  pollMs?: number;
  /** Reads elapsed time for the readiness timeout (default performance.now). */
  now?: () => number;
}

/** The Kubernetes API rejected a call or could not be reached: reported in the action's output. */
class ApiFailure extends Error {}

/** A Deployment did not become ready in time. */
class NotReady extends Error {}

/** Loads cluster access: the file named in the config, else $KUBECONFIG, ~/.kube/config or in-cluster. */
export function loadKubeConfig(config: Pick<KubernetesDeployerConfig, 'kubeconfig' | 'context'>): KubeConfig {
  const kc = new KubeConfig();
  if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
  else kc.loadFromDefault();
  if (config.context) kc.setCurrentContext(config.context);
  return kc;
}

/**
 * Shifts traffic between two Deployments behind one Service by their pod counts, through the Kubernetes API.
 * Every action sets absolute replica counts and images, so repeating it (a retry after a crash) changes nothing.
 * Capacity never drops: the side gaining pods is scaled and waited for before the other side shrinks. Never
 * throws: API errors and readiness timeouts are failed results with what was done so far.
 */
export class KubernetesDeployer implements Deployer {
  readonly type = 'kubernetes';
  private api: AppsV1Api | null = null;

  constructor(
    private readonly config: KubernetesDeployerConfig,
    private readonly deps: KubernetesDeployerDeps = {},
  ) {}

  /** Canary to `traffic` percent of the pods (with the new image), then the stable Deployment down to the rest. */
  shift(call: DeployerCall): Promise<DeployerResult> {
    const { canary, stable } = splitReplicas(this.config.replicas, call.traffic);
    return this.run(async (log) => {
      if (canary > 0) await this.setImage(this.config.canary, this.image(call), log);
      await this.scaleAndWait(this.config.canary, canary, log);
      await this.scaleAndWait(this.config.stable, stable, log);
      log(
        `canary has ${canary} of ${this.config.replicas} pods (${Math.round((100 * canary) / this.config.replicas)}% of traffic)`,
      );
    });
  }

  /** Stable Deployment back to all pods, then the canary to 0. */
  rollback(_call?: DeployerCall): Promise<DeployerResult> {
    return this.run(async (log) => {
      await this.scaleAndWait(this.config.stable, this.config.replicas, log);
      await this.scaleAndWait(this.config.canary, 0, log);
    });
  }

  /** Stable Deployment rolled to the new image at all pods, then the canary to 0: the next deploy starts clean. */
  promote(call: DeployerCall): Promise<DeployerResult> {
    return this.run(async (log) => {
      await this.setImage(this.config.stable, this.image(call), log);
      await this.scaleAndWait(this.config.stable, this.config.replicas, log);
      await this.scaleAndWait(this.config.canary, 0, log);
    });
  }

  private image(call: DeployerCall): string {
    return fillTemplate(this.config.image, deployVars(call));
  }

  private async run(body: (log: (line: string) => void) => Promise<void>): Promise<DeployerResult> {
    const started = performance.now();
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    let ok = true;
    let timedOut = false;
    try {
      await body(log);
    } catch (e) {
      ok = false;
      timedOut = e instanceof NotReady;
      lines.push(e instanceof ApiFailure || e instanceof NotReady ? e.message : `kubernetes: ${String(e)}`);
    }
    return {
      ok,
      output: tailText(lines.join('\n')),
      durationMs: Math.round(performance.now() - started),
      ...(timedOut ? { timedOut } : {}),
    };
  }

  private client(): AppsV1Api {
    if (!this.api) {
      try {
        this.api = (this.deps.kubeConfig ?? loadKubeConfig(this.config)).makeApiClient(AppsV1Api);
      } catch (e) {
        throw new ApiFailure(`cannot load the kubeconfig: ${(e as Error).message}`);
      }
    }
    return this.api;
  }

  private where(name: string): string {
    return `${this.config.namespace}/${name}`;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw new ApiFailure(`${what} failed: ${describeApiError(e)}`);
    }
  }

  private async read(name: string): Promise<V1Deployment> {
    return this.call(`reading deployment ${this.where(name)}`, () =>
      this.client().readNamespacedDeployment({ name, namespace: this.config.namespace }),
    );
  }

  /** Sets the image of the configured container (JSON Patch, guarded by a test of the container's name). */
  private async setImage(name: string, image: string, log: (line: string) => void): Promise<void> {
    const d = await this.read(name);
    const containers = d.spec?.template.spec?.containers ?? [];
    const index = this.config.container ? containers.findIndex((c) => c.name === this.config.container) : 0;
    const container = containers[index];
    if (!container) {
      throw new ApiFailure(
        `deployment ${this.where(name)} has no container ${this.config.container ? `"${this.config.container}"` : 'at all'}`,
      );
    }
    if (container.image === image) return;
    const path = `/spec/template/spec/containers/${index}`;
    await this.call(`setting the image of ${this.where(name)}`, () =>
      this.client().patchNamespacedDeployment({
        name,
        namespace: this.config.namespace,
        body: [
          { op: 'test', path: `${path}/name`, value: container.name },
          { op: 'replace', path: `${path}/image`, value: image },
        ],
      }),
    );
    log(`set ${this.where(name)} container ${container.name} to ${image}`);
  }

  private async scaleAndWait(name: string, replicas: number, log: (line: string) => void): Promise<void> {
    await this.call(`scaling ${this.where(name)} to ${replicas}`, () =>
      this.client().patchNamespacedDeploymentScale({
        name,
        namespace: this.config.namespace,
        body: [{ op: 'replace', path: '/spec/replicas', value: replicas }],
      }),
    );
    log(`scaled ${this.where(name)} to ${replicas}`);
    await this.waitReady(name, replicas);
  }

  private async waitReady(name: string, replicas: number): Promise<void> {
    const now = this.deps.now ?? (() => performance.now());
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const deadline = now() + this.config.timeout;
    for (;;) {
      const pending = deploymentPending(await this.read(name), replicas);
      if (pending === null) return;
      if (now() >= deadline) {
        throw new NotReady(
          `deployment ${this.where(name)} not ready after ${formatDuration(this.config.timeout)}: ${pending}`,
        );
      }
      await sleep(this.deps.pollMs ?? 2000);
    }
  }
}

/** The API server's message (a Status object's `message`), else the HTTP code or the network error. */
function describeApiError(e: unknown): string {
  const err = e as { code?: number; body?: unknown; message?: string; cause?: { code?: string } };
  let body: unknown = err.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // Not JSON: the text itself is the best description.
    }
  }
  const message =
    (body as { message?: string } | undefined)?.message ?? (typeof body === 'string' ? body : undefined);
  if (err.code && message) return `HTTP ${err.code}: ${message}`;
  if (err.code) return `HTTP ${err.code}`;
  return err.cause?.code ? `${err.message} (${err.cause.code})` : (err.message ?? String(e));
}
