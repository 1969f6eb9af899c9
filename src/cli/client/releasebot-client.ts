import { ReleasebotError } from '../../errors/releasebot-error.js';
import type { ErrorCode } from '../../errors/error-catalogue.js';
import type { StoredEvent } from '../../events/lifecycle-event.js';
import type { Change, Deploy, DeployState } from '../../pipeline/deploy.js';
import type { DeployOperation, ServiceSummary } from '../../pipeline/deploy-service.js';
import type { ApiToken, EvaluationRecord, Hold, Scope } from '../../store/store.js';
import type { ImportRequest, ImportResult } from '../../safety/import-history.js';
import type { ApiIncident } from '../../safety/present-incident.js';
import type { ReportTable } from '../../safety/report-csv.js';
import type { Period } from '../../safety/report-period.js';
import type { SafetyReport } from '../../safety/safety-report.js';
import type { ApiRequest, ApiTransport } from './api-transport.js';

/** A deploy as the API returns it. */
export type ApiDeploy = Deploy & { stage: string | null; traffic: number; team: string | null };
export type ApiService = Omit<ServiceSummary, 'active'> & { active: ApiDeploy | null };

/** An incident's fields as the API takes them (times: ISO 8601, epoch ms, `now` or a duration ago). */
export interface IncidentBody {
  title?: string;
  severity?: 'high' | 'medium' | 'low';
  selected?: boolean;
  impactStart?: string;
  detectedAt?: string | null;
  mitigatedAt?: string | null;
  endedAt?: string | null;
  services?: string[];
  deploys?: string[];
  exposurePct?: number;
  remediation?: 'automatic' | 'manual';
  note?: string;
}

export interface SafetyReportParams {
  period?: Period;
  from?: string;
  to?: string;
  service?: string;
  team?: string;
}

/** Typed calls to the releasebot API, over whichever transport the CLI connected with. */
export class ReleasebotClient {
  constructor(readonly transport: ApiTransport) {}

  async call<T>(req: ApiRequest): Promise<T> {
    const res = await this.transport.send(req);
    if (res.status >= 200 && res.status < 300) return res.body as T;
    const err = (res.body as { error?: { code?: string; message?: string; details?: [] } } | null)?.error;
    if (err?.code)
      throw new ReleasebotError(err.code as ErrorCode, err.message ?? err.code, {
        details: err.details ?? [],
      });
    throw new ReleasebotError(
      'SERVER_NOT_REACHABLE',
      `${this.transport.description} answered ${res.status}: ${String(res.body).slice(0, 200)}`,
    );
  }

  createDeploy(body: {
    service: string;
    version: string;
    previousVersion?: string;
    changes?: Change[];
    trigger?: { kind: 'user' | 'ci' | 'api'; actor?: string };
    idempotencyKey?: string;
  }) {
    return this.call<{ created: boolean; deploy: ApiDeploy }>({
      method: 'POST',
      path: '/api/v1/deploys',
      body,
    });
  }

  deploy(id: string) {
    return this.call<{ deploy: ApiDeploy; events: StoredEvent[]; evaluations: EvaluationRecord[] }>({
      method: 'GET',
      path: `/api/v1/deploys/${encodeURIComponent(id)}`,
    });
  }

  deploys(q: { service?: string; team?: string; states?: DeployState[]; limit?: number } = {}) {
    return this.call<{ deploys: ApiDeploy[] }>({
      method: 'GET',
      path: '/api/v1/deploys',
      query: { service: q.service, team: q.team, state: q.states?.join(','), limit: q.limit },
    });
  }

  operate(op: DeployOperation, target: string, reason?: string) {
    return this.call<{ deploy: ApiDeploy }>({
      method: 'POST',
      path: `/api/v1/deploys/${encodeURIComponent(target)}/${op}`,
      body: reason ? { reason } : {},
    });
  }

  services() {
    return this.call<{ services: ApiService[] }>({ method: 'GET', path: '/api/v1/services' });
  }

  service(name: string) {
    return this.call<{ service: ApiService; deploys: ApiDeploy[] }>({
      method: 'GET',
      path: `/api/v1/services/${encodeURIComponent(name)}`,
    });
  }

  holds() {
    return this.call<{ holds: Hold[] }>({ method: 'GET', path: '/api/v1/holds' });
  }

  setHold(body: { scope: 'service' | 'team' | 'all'; target?: string; reason: string }) {
    return this.call<{ hold: Hold }>({ method: 'POST', path: '/api/v1/holds', body });
  }

  releaseHold(id: string) {
    return this.call<{ hold: Hold }>({ method: 'DELETE', path: `/api/v1/holds/${encodeURIComponent(id)}` });
  }

  createToken(body: { name: string; scopes: Scope[]; services?: string[]; teams?: string[] }) {
    return this.call<{ token: ApiToken; secret: string }>({ method: 'POST', path: '/api/v1/tokens', body });
  }

  incidents(
    q: {
      service?: string;
      team?: string;
      status?: 'open' | 'resolved';
      from?: string;
      to?: string;
      deploy?: string;
      limit?: number;
    } = {},
  ) {
    return this.call<{ incidents: ApiIncident[] }>({ method: 'GET', path: '/api/v1/incidents', query: q });
  }

  incident(id: string) {
    return this.call<{ incident: ApiIncident }>({
      method: 'GET',
      path: `/api/v1/incidents/${encodeURIComponent(id)}`,
    });
  }

  createIncident(body: IncidentBody & Pick<Required<IncidentBody>, 'title' | 'severity' | 'impactStart'>) {
    return this.call<{ incident: ApiIncident }>({ method: 'POST', path: '/api/v1/incidents', body });
  }

  updateIncident(id: string, body: IncidentBody) {
    return this.call<{ incident: ApiIncident }>({
      method: 'PATCH',
      path: `/api/v1/incidents/${encodeURIComponent(id)}`,
      body,
    });
  }

  resolveIncident(id: string, body: { endedAt?: string; note?: string } = {}) {
    return this.call<{ incident: ApiIncident }>({
      method: 'POST',
      path: `/api/v1/incidents/${encodeURIComponent(id)}/resolve`,
      body,
    });
  }

  importHistory(body: ImportRequest) {
    return this.call<ImportResult>({ method: 'POST', path: '/api/v1/incidents/import', body });
  }

  safetyReport(q: SafetyReportParams) {
    return this.call<SafetyReport>({
      method: 'GET',
      path: '/api/v1/reports/safety',
      query: { ...q, format: 'json' },
    });
  }

  /** The report as CSV text (`table`: periods, breakdown, dora or incidents). */
  safetyReportCsv(q: SafetyReportParams & { table?: ReportTable }) {
    return this.call<string>({
      method: 'GET',
      path: '/api/v1/reports/safety',
      query: { ...q, format: 'csv' },
    });
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
