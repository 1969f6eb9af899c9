import type { ResolvedConfig } from '../config/resolved-config.js';
import { ReleasebotError } from '../errors/releasebot-error.js';
import { newId } from '../pipeline/new-id.js';
import type { IncidentFilter, Store } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import { checkIncident, checkServices, toTime, type TimeInput } from './check-incident.js';
import { importHistory, type ImportRequest, type ImportResult } from './import-history.js';
import type { Incident, Remediation, Severity } from './incident.js';

export interface IncidentInput {
  title: string;
  severity: Severity;
  /** Count a medium incident in customer-impact hours. */
  selected?: boolean;
  impactStart: TimeInput;
  detectedAt?: TimeInput | null;
  mitigatedAt?: TimeInput | null;
  endedAt?: TimeInput | null;
  /** Default: the services of the linked deploys. */
  services?: string[];
  deployIds?: string[];
  /** Default 100. */
  exposurePct?: number;
  /** Default manual. */
  remediation?: Remediation;
  note?: string;
}

/** Fields to change; null clears an optional time. */
export type IncidentPatch = Partial<IncidentInput>;

export interface IncidentListFilter {
  service?: string;
  team?: string;
  open?: boolean;
  from?: TimeInput;
  to?: TimeInput;
  deployId?: string;
  limit?: number;
}

export interface IncidentServiceDeps {
  store: Pick<Store, 'incidents' | 'audit'>;
  config: Pick<ResolvedConfig, 'services'>;
  clock: Clock;
}

/**
 * Called with the services a change touches (before and after it) before anything is written; throws to refuse.
 * The API passes its token check, Slack its operator's limits.
 */
export type ServiceGuard = (services: readonly string[]) => void;

const MAX_CAS_RETRIES = 8;
const OPTIONAL_TIMES = ['detectedAt', 'mitigatedAt', 'endedAt'] as const;

/**
 * Creating, changing and resolving incidents: the one place the API, the CLI and Slack go through. Checks the
 * services and linked deploys exist and the times are in order; every change is audited with its actor.
 */
export class IncidentService {
  constructor(private readonly deps: IncidentServiceDeps) {}

  async createIncident(input: IncidentInput, actor: string, guard?: ServiceGuard): Promise<Incident> {
    const now = this.deps.clock.now();
    const draft: Incident = {
      id: newId('i', now),
      title: '',
      severity: 'high',
      selected: false,
      impactStart: 0,
      detectedAt: null,
      mitigatedAt: null,
      endedAt: null,
      services: [],
      deployIds: [],
      exposurePct: 100,
      remediation: 'manual',
      source: 'manual',
      note: '',
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
      revision: 0,
    };
    const next = await this.apply(draft, input, now);
    guard?.(next.services);
    const incident = await this.store().create(next);
    await this.audit(actor, 'incident.create', incident, {
      severity: incident.severity,
      services: incident.services,
    });
    return incident;
  }

  async updateIncident(
    id: string,
    patch: IncidentPatch,
    actor: string,
    guard?: ServiceGuard,
  ): Promise<Incident> {
    const now = this.deps.clock.now();
    const updated = await this.casLoop(id, guard, (current) => this.apply(current, patch, now));
    await this.audit(actor, 'incident.update', updated, { fields: Object.keys(patch) });
    return updated;
  }

  /** Ends the incident (default now) and appends `note`; resolving a resolved incident again changes nothing. */
  async resolveIncident(
    id: string,
    opts: { endedAt?: TimeInput; note?: string },
    actor: string,
    guard?: ServiceGuard,
  ): Promise<Incident> {
    const now = this.deps.clock.now();
    const current = await this.getIncident(id);
    guard?.(current.services);
    if (current.endedAt !== null && opts.endedAt === undefined && !opts.note) return current;
    const resolved = await this.casLoop(id, guard, (c) => {
      const note = opts.note?.trim()
        ? [c.note, `Resolved by ${actor}: ${opts.note.trim()}`].filter(Boolean).join('\n\n')
        : c.note;
      return this.apply(c, { endedAt: opts.endedAt ?? c.endedAt ?? now, note }, now);
    });
    await this.audit(actor, 'incident.resolve', resolved, { endedAt: resolved.endedAt });
    return resolved;
  }

  async getIncident(id: string): Promise<Incident> {
    const i = await this.store().get(id);
    if (!i) throw new ReleasebotError('INCIDENT_UNKNOWN', `no incident with id "${id}"`);
    return i;
  }

  /** Newest impact first. */
  async listIncidents(f: IncidentListFilter = {}): Promise<Incident[]> {
    const now = this.deps.clock.now();
    if (f.service) checkServices([f.service], Object.keys(this.deps.config.services));
    let services = f.service ? [f.service] : undefined;
    if (f.team) {
      const team = Object.values(this.deps.config.services)
        .filter((s) => s.team === f.team)
        .map((s) => s.name);
      services = services ? services.filter((s) => team.includes(s)) : team;
      if (!services.length) return [];
    }
    const filter: IncidentFilter = {
      ...(services ? { services } : {}),
      ...(f.open !== undefined ? { open: f.open } : {}),
      ...(f.from !== undefined ? { from: toTime(f.from, 'from', now) } : {}),
      ...(f.to !== undefined ? { to: toTime(f.to, 'to', now) } : {}),
      ...(f.deployId ? { deployIds: [f.deployId] } : {}),
      limit: f.limit ?? 100,
    };
    return this.store().list(filter);
  }

  /** Backfill: past deploys and incidents from CSV/JSON, all or nothing (see importHistory). */
  importRecords(req: ImportRequest, actor: string): Promise<ImportResult> {
    return importHistory(
      {
        store: this.deps.store,
        now: this.deps.clock.now(),
        actor,
        services: Object.keys(this.deps.config.services),
      },
      req,
    );
  }

  private store() {
    return this.deps.store.incidents;
  }

  /** Re-reads and re-applies on a concurrent change, like deploy operations. */
  private async casLoop(
    id: string,
    guard: ServiceGuard | undefined,
    change: (current: Incident) => Promise<Incident>,
  ): Promise<Incident> {
    for (let attempt = 0; attempt < MAX_CAS_RETRIES; attempt++) {
      const current = await this.getIncident(id);
      const next = await change(current);
      guard?.([...new Set([...current.services, ...next.services])]);
      const stored = await this.store().update(next);
      if (stored) return stored;
    }
    throw new ReleasebotError(
      'INCIDENT_CONFLICT',
      `incident ${id} kept changing; the change was not applied`,
    );
  }

  /** `base` with `input` applied and checked. */
  private async apply(base: Incident, input: IncidentPatch, now: number): Promise<Incident> {
    const next: Incident = { ...base, updatedAt: now };
    if (input.title !== undefined) next.title = input.title.trim();
    if (input.severity !== undefined) next.severity = input.severity;
    if (input.selected !== undefined) next.selected = input.selected;
    if (input.exposurePct !== undefined) next.exposurePct = input.exposurePct;
    if (input.remediation !== undefined) next.remediation = input.remediation;
    if (input.note !== undefined) next.note = input.note.trim();
    if (input.impactStart !== undefined) next.impactStart = toTime(input.impactStart, 'impactStart', now);
    for (const f of OPTIONAL_TIMES) {
      const v = input[f];
      if (v !== undefined) next[f] = v === null ? null : toTime(v, f, now);
    }
    if (input.deployIds !== undefined) next.deployIds = [...new Set(input.deployIds)].sort();
    if (input.services !== undefined) next.services = [...new Set(input.services)];
    if (input.deployIds !== undefined || input.services !== undefined) {
      const linked = await this.store().existingDeploys(next.deployIds);
      const missing = next.deployIds.filter((id) => !linked.some((d) => d.id === id));
      if (missing.length)
        throw new ReleasebotError(
          'DEPLOY_UNKNOWN',
          `no deploy with id ${missing.map((m) => `"${m}"`).join(', ')}`,
        );
      if (input.services === undefined || !input.services.length) {
        next.services = [...new Set([...next.services, ...linked.map((d) => d.service)])];
      }
    }
    checkIncident(next, Object.keys(this.deps.config.services));
    return next;
  }

  private async audit(
    actor: string,
    action: string,
    i: Incident,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.store.audit.record({ at: this.deps.clock.now(), actor, action, target: i.id, details });
  }
}
