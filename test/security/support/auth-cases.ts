import { randomBytes } from 'node:crypto';
import type { Scope } from '../../../src/store/store.js';

export interface Req {
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}
export interface Fixtures {
  deployId: string;
  holdId: () => Promise<string>;
  tokenId: () => Promise<string>;
  incidentId: string;
}
export interface Case {
  /** How the route authenticates: a bearer token, a token in Flagger's webhook metadata, or Slack's signature. */
  auth: 'bearer' | 'flagger' | 'slack';
  needs: Scope;
  /** The service the request acts on, when a token limited to another service must be refused. */
  service?: string;
  request(f: Fixtures, token?: string): Promise<Req> | Req;
}

export const flaggerBody = (token?: string) => ({
  name: 'web',
  namespace: 'prod',
  phase: 'Progressing',
  checksum: 'abc123',
  metadata: { ...(token ? { token } : {}) },
});
export const incident = { title: 'checkout errors', severity: 'high', impactStart: '2h', services: ['web'] };

/** Every mutating operation and how to call it. A route missing here fails the test: add it with its auth. */
export const CASES: Record<string, Case> = {
  'POST /api/v1/deploys': {
    auth: 'bearer',
    needs: 'deploy',
    service: 'web',
    request: () => ({
      method: 'POST',
      url: '/api/v1/deploys',
      payload: { service: 'web', version: `v${randomBytes(3).toString('hex')}` },
    }),
  },
  'POST /api/v1/deploys/{id}/{op}': {
    auth: 'bearer',
    needs: 'deploy',
    service: 'web',
    request: (f) => ({
      method: 'POST',
      url: `/api/v1/deploys/${f.deployId}/abort`,
      payload: { reason: 'test' },
    }),
  },
  'POST /api/v1/holds': {
    auth: 'bearer',
    needs: 'deploy',
    service: 'web',
    request: () => ({
      method: 'POST',
      url: '/api/v1/holds',
      payload: { scope: 'service', target: 'web', reason: 'freeze' },
    }),
  },
  'DELETE /api/v1/holds/{id}': {
    auth: 'bearer',
    needs: 'deploy',
    service: 'web',
    request: async (f) => ({ method: 'DELETE', url: `/api/v1/holds/${await f.holdId()}` }),
  },
  'POST /api/v1/tokens': {
    auth: 'bearer',
    needs: 'admin',
    request: () => ({ method: 'POST', url: '/api/v1/tokens', payload: { name: 'new', scopes: ['read'] } }),
  },
  'DELETE /api/v1/tokens/{id}': {
    auth: 'bearer',
    needs: 'admin',
    request: async (f) => ({ method: 'DELETE', url: `/api/v1/tokens/${await f.tokenId()}` }),
  },
  'POST /api/v1/metrics': {
    auth: 'bearer',
    needs: 'deploy',
    request: () => ({
      method: 'POST',
      url: '/api/v1/metrics',
      payload: 'up{service="web"} 1\n',
      headers: { 'content-type': 'text/plain' },
    }),
  },
  'POST /api/v1/incidents': {
    auth: 'bearer',
    needs: 'deploy',
    service: 'web',
    request: () => ({ method: 'POST', url: '/api/v1/incidents', payload: incident }),
  },
  'POST /api/v1/incidents/import': {
    auth: 'bearer',
    needs: 'admin',
    request: () => ({
      method: 'POST',
      url: '/api/v1/incidents/import',
      payload: { deploys: [], incidents: [] },
    }),
  },
  'PATCH /api/v1/incidents/{id}': {
    auth: 'bearer',
    needs: 'deploy',
    service: 'web',
    request: (f) => ({ method: 'PATCH', url: `/api/v1/incidents/${f.incidentId}`, payload: { note: 'x' } }),
  },
  'POST /api/v1/incidents/{id}/resolve': {
    auth: 'bearer',
    needs: 'deploy',
    service: 'web',
    request: (f) => ({ method: 'POST', url: `/api/v1/incidents/${f.incidentId}/resolve`, payload: {} }),
  },
  // A GET with a side effect: Argo's web metric creates and moves the deploy it judges.
  'GET /api/v1/integrations/argo/verdict': {
    auth: 'bearer',
    needs: 'deploy',
    service: 'web',
    request: () => ({ method: 'GET', url: '/api/v1/integrations/argo/verdict?rollout=web&revision=abc' }),
  },
  'POST /api/v1/integrations/argo/verdict': {
    auth: 'bearer',
    needs: 'deploy',
    service: 'web',
    request: () => ({ method: 'POST', url: '/api/v1/integrations/argo/verdict?rollout=web&revision=abc' }),
  },
  'POST /api/v1/integrations/flagger/confirm-traffic-increase': {
    auth: 'flagger',
    needs: 'deploy',
    service: 'web',
    request: (_f, t) => ({
      method: 'POST',
      url: '/api/v1/integrations/flagger/confirm-traffic-increase',
      payload: flaggerBody(t),
    }),
  },
  'POST /api/v1/integrations/flagger/confirm-promotion': {
    auth: 'flagger',
    needs: 'deploy',
    service: 'web',
    request: (_f, t) => ({
      method: 'POST',
      url: '/api/v1/integrations/flagger/confirm-promotion',
      payload: flaggerBody(t),
    }),
  },
  'POST /api/v1/integrations/flagger/rollback': {
    auth: 'flagger',
    needs: 'deploy',
    service: 'web',
    request: (_f, t) => ({
      method: 'POST',
      url: '/api/v1/integrations/flagger/rollback',
      payload: flaggerBody(t),
    }),
  },
  'POST /api/v1/integrations/flagger/event': {
    auth: 'flagger',
    needs: 'deploy',
    service: 'web',
    request: (_f, t) => ({
      method: 'POST',
      url: '/api/v1/integrations/flagger/event',
      payload: flaggerBody(t),
    }),
  },
  'POST /slack/interactions': {
    auth: 'slack',
    needs: 'deploy',
    request: () => ({
      method: 'POST',
      url: '/slack/interactions',
      payload: `payload=${encodeURIComponent(JSON.stringify({ type: 'view_closed', user: { id: 'U1' } }))}`,
    }),
  },
  'POST /slack/commands': {
    auth: 'slack',
    needs: 'deploy',
    request: () => ({
      method: 'POST',
      url: '/slack/commands',
      payload: 'command=%2Freleasebot&text=help&user_id=U1',
    }),
  },
};

/** Operations that change state: every non-GET method, plus GETs declared above as having side effects. */
export function mutatingOperations(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  const ops: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) {
      const op = `${method.toUpperCase()} ${path}`;
      if (!['get', 'head', 'options'].includes(method) || CASES[op]) ops.push(op);
    }
  }
  return ops.sort();
}
