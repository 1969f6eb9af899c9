import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployerSchema, kubernetesDeployerSchema } from '../../src/config/deployer-schema.js';
import { createDeployer } from '../../src/deployers/create-deployer.js';
import type { DeployerCall } from '../../src/deployers/deployer.js';
import { deploymentPending } from '../../src/deployers/kubernetes/deployment-ready.js';
import { KubernetesDeployer } from '../../src/deployers/kubernetes/kubernetes-deployer.js';
import { splitReplicas } from '../../src/deployers/kubernetes/split-replicas.js';
import { deployerCall } from './deployer-call.js';
import { FakeKubernetesApi } from './kubernetes-fake-api.js';

// No Kubernetes cluster can run here: these tests drive the real @kubernetes/client-node client against a fake API
// server (kubernetes-fake-api.ts) that implements the endpoints the deployer uses. What a real cluster adds (pods
// starting, the Service spreading requests) is outside them.

const TOKEN = 'kube-token-1';
const CONFIG = {
  type: 'kubernetes',
  namespace: 'shop',
  stable: 'webapp',
  canary: 'webapp-canary',
  replicas: 10,
  image: 'registry.example.com/webapp:{{version}}',
  container: 'app',
};

function kubeConfig(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'test', server, skipTLSVerify: true }],
    users: [{ name: 'releasebot', token: TOKEN }],
    contexts: [{ name: 'test', cluster: 'test', user: 'releasebot' }],
    currentContext: 'test',
  });
  return kc;
}

const at = (traffic: number): DeployerCall => ({ ...deployerCall({ version: 'v2' }), traffic });

describe('kubernetes deployer', () => {
  let api: FakeKubernetesApi;
  let server: string;
  let deployer: KubernetesDeployer;
  beforeEach(async () => {
    api = new FakeKubernetesApi();
    api.add('shop', 'webapp', 10, [
      { name: 'sidecar', image: 'envoy:1' },
      { name: 'app', image: 'registry.example.com/webapp:v1' },
    ]);
    api.add('shop', 'webapp-canary', 0, [
      { name: 'sidecar', image: 'envoy:1' },
      { name: 'app', image: 'registry.example.com/webapp:v1' },
    ]);
    server = await api.start();
    deployer = new KubernetesDeployer(kubernetesDeployerSchema.parse(CONFIG), {
      kubeConfig: kubeConfig(server),
      pollMs: 1,
    });
  });
  afterEach(async () => api.stop());

  it('shifts by pods: the canary gets the new image and its share first, then the stable side shrinks', async () => {
    const r = await deployer.shift(at(10));
    expect(r).toMatchObject({ ok: true });
    expect(api.changes()).toEqual([
      'image shop/webapp-canary registry.example.com/webapp:v2',
      'scale shop/webapp-canary 1',
      'scale shop/webapp 9',
    ]);
    expect(r.output).toContain('canary has 1 of 10 pods (10% of traffic)');
    // The image goes to the named container only, guarded by a test of its name.
    expect(api.requests.find((q) => q.method === 'PATCH')).toMatchObject({
      contentType: 'application/json-patch+json',
      authorization: `Bearer ${TOKEN}`,
      body: [
        { op: 'test', path: '/spec/template/spec/containers/1/name', value: 'app' },
        {
          op: 'replace',
          path: '/spec/template/spec/containers/1/image',
          value: 'registry.example.com/webapp:v2',
        },
      ],
    });
    expect(api.deployments.get('shop/webapp-canary')!.containers[0].image).toBe('envoy:1');
  });

  it('repeating an action (a retry after a crash) sets the same counts and no new image', async () => {
    await deployer.shift(at(50));
    const before = api.changes().length;
    expect(await deployer.shift(at(50))).toMatchObject({ ok: true });
    expect(api.changes().slice(before)).toEqual(['scale shop/webapp-canary 5', 'scale shop/webapp 5']);
  });

  it('rolls back: the stable Deployment to all pods first, then the canary to none', async () => {
    await deployer.shift(at(50));
    const before = api.changes().length;
    expect(await deployer.rollback(at(0))).toMatchObject({ ok: true });
    expect(api.changes().slice(before)).toEqual(['scale shop/webapp 10', 'scale shop/webapp-canary 0']);
    expect(api.deployments.get('shop/webapp')!.containers[1].image).toBe('registry.example.com/webapp:v1');
  });

  it('promotes: the stable Deployment runs the new image at all pods, the canary goes to none', async () => {
    await deployer.shift(at(100));
    expect(api.deployments.get('shop/webapp')!.replicas).toBe(0);
    const before = api.changes().length;
    expect(await deployer.promote(at(100))).toMatchObject({ ok: true });
    expect(api.changes().slice(before)).toEqual([
      'image shop/webapp registry.example.com/webapp:v2',
      'scale shop/webapp 10',
      'scale shop/webapp-canary 0',
    ]);
  });

  it('fails (timed out) when the canary never becomes available, before shrinking the stable side', async () => {
    api.deployments.get('shop/webapp-canary')!.stuck = true;
    const slow = new KubernetesDeployer(kubernetesDeployerSchema.parse({ ...CONFIG, timeout: '50ms' }), {
      kubeConfig: kubeConfig(server),
      pollMs: 5,
    });
    const r = await slow.shift(at(10));
    expect(r).toMatchObject({ ok: false, timedOut: true });
    expect(r.output).toContain('deployment shop/webapp-canary not ready after 50ms: 0 of 1 pods available');
    expect(api.deployments.get('shop/webapp')!.replicas).toBe(10);
  });

  it("reports the API server's refusal instead of throwing", async () => {
    const missing = new KubernetesDeployer(kubernetesDeployerSchema.parse({ ...CONFIG, canary: 'nope' }), {
      kubeConfig: kubeConfig(server),
      pollMs: 1,
    });
    const r = await missing.shift(at(10));
    expect(r.ok).toBe(false);
    expect(r.output).toContain(
      'reading deployment shop/nope failed: HTTP 404: deployments.apps "nope" not found',
    );
    const noContainer = new KubernetesDeployer(
      kubernetesDeployerSchema.parse({ ...CONFIG, container: 'web' }),
      { kubeConfig: kubeConfig(server) },
    );
    expect((await noContainer.shift(at(10))).output).toContain(
      'deployment shop/webapp-canary has no container "web"',
    );
    const down = new KubernetesDeployer(kubernetesDeployerSchema.parse(CONFIG), {
      kubeConfig: kubeConfig('http://127.0.0.1:1'),
    });
    expect(await down.rollback(at(0))).toMatchObject({
      ok: false,
      output: expect.stringContaining('scaling shop/webapp to 10 failed'),
    });
  });

  it('is built from releasebot.yaml, reading the kubeconfig file it names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'releasebot-kube-'));
    try {
      const file = join(dir, 'kubeconfig');
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          `clusters: [{ name: test, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]`,
          `users: [{ name: rb, user: { token: ${TOKEN} } }]`,
          'contexts: [{ name: other, context: { cluster: test, user: nobody } }, { name: test, context: { cluster: test, user: rb } }]',
          'current-context: other',
        ].join('\n'),
      );
      const config = deployerSchema.parse({ ...CONFIG, kubeconfig: file, context: 'test' });
      const d = createDeployer(config);
      expect(d.type).toBe('kubernetes');
      expect(await d.shift(at(30))).toMatchObject({ ok: true });
      expect(api.deployments.get('shop/webapp-canary')!.replicas).toBe(3);
      expect(api.requests.every((q) => q.authorization === `Bearer ${TOKEN}`)).toBe(true);
      const broken = createDeployer(deployerSchema.parse({ ...CONFIG, kubeconfig: join(dir, 'missing') }));
      expect(await broken.shift(at(30))).toMatchObject({
        ok: false,
        output: expect.stringContaining('cannot load the kubeconfig'),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kubernetes deployer parts', () => {
  it('splits pods by traffic, keeping one on each side while both serve', () => {
    expect(splitReplicas(10, 0)).toEqual({ canary: 0, stable: 10 });
    expect(splitReplicas(10, 1)).toEqual({ canary: 1, stable: 9 });
    expect(splitReplicas(10, 25)).toEqual({ canary: 3, stable: 7 });
    expect(splitReplicas(10, 99)).toEqual({ canary: 9, stable: 1 });
    expect(splitReplicas(10, 100)).toEqual({ canary: 10, stable: 0 });
    expect(splitReplicas(1, 50)).toEqual({ canary: 1, stable: 0 });
  });

  it('reads a Deployment as rolled out like kubectl rollout status', () => {
    const d = (status: Record<string, number>, generation = 2) => ({ metadata: { generation }, status });
    expect(deploymentPending(d({ observedGeneration: 1 }), 3)).toBe(
      'waiting for the controller to see the change',
    );
    expect(
      deploymentPending(
        d({ observedGeneration: 2, updatedReplicas: 1, replicas: 3, availableReplicas: 3 }),
        3,
      ),
    ).toBe('1 of 3 pods updated');
    expect(
      deploymentPending(
        d({ observedGeneration: 2, updatedReplicas: 3, replicas: 5, availableReplicas: 3 }),
        3,
      ),
    ).toBe('2 old pods still terminating');
    expect(
      deploymentPending(
        d({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 }),
        3,
      ),
    ).toBe('2 of 3 pods available');
    expect(
      deploymentPending(
        d({ observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }),
        3,
      ),
    ).toBeNull();
    expect(deploymentPending(d({ observedGeneration: 2 }), 0)).toBeNull();
  });

  it('validates its config: Kubernetes names, placeholders, a default timeout', () => {
    expect(kubernetesDeployerSchema.parse(CONFIG).timeout).toBe(300_000);
    expect(kubernetesDeployerSchema.safeParse({ ...CONFIG, canary: 'Web_App' }).success).toBe(false);
    expect(kubernetesDeployerSchema.safeParse({ ...CONFIG, image: 'web:{{verison}}' }).success).toBe(false);
    expect(kubernetesDeployerSchema.safeParse({ ...CONFIG, replicas: 0 }).success).toBe(false);
  });
});
