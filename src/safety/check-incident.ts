import { unknownServiceMessage } from '../config/find-service.js';
import { ReleasebotError } from '../errors/releasebot-error.js';
import type { Incident } from './incident.js';
import { REMEDIATIONS, SEVERITIES } from './incident.js';
import { parseTimeArg } from './parse-time-arg.js';
import { timeOrderProblems } from './time-order.js';

/** A time as people give it: epoch ms, or text for parseTimeArg (ISO 8601, `now`, `15m` = 15 minutes ago). */
export type TimeInput = number | string;

const TIME_FIELDS = ['impactStart', 'detectedAt', 'mitigatedAt', 'endedAt'] as const;

/** Throws SERVICE_UNKNOWN (with a suggestion) for the first service not in the configuration. */
export function checkServices(services: readonly string[], known: readonly string[]): void {
  for (const s of services) {
    if (known.includes(s)) continue;
    throw new ReleasebotError('SERVICE_UNKNOWN', unknownServiceMessage(s, known));
  }
}

/** A TimeInput in ms; REQUEST_INVALID naming `field` when it is not a time. */
export function toTime(v: TimeInput, field: string, now: number): number {
  const t = typeof v === 'number' ? (Number.isInteger(v) && v >= 0 ? v : undefined) : parseTimeArg(v, now);
  if (t === undefined) {
    const message = `"${v}" is not a time; use ISO 8601, epoch ms, "now" or a duration ago such as 15m`;
    throw new ReleasebotError('REQUEST_INVALID', `${field}: ${message}`, {
      details: [{ path: field, message }],
    });
  }
  return t;
}

/** Throws unless the incident is complete and consistent: a title, known values and services, times in order. */
export function checkIncident(i: Incident, knownServices: readonly string[]): void {
  const invalid = (path: string, message: string) =>
    new ReleasebotError('REQUEST_INVALID', message, { details: [{ path, message }] });
  if (!i.title) throw invalid('title', 'an incident needs a title');
  if (!SEVERITIES.includes(i.severity))
    throw invalid('severity', `severity must be one of ${SEVERITIES.join(', ')}`);
  if (!REMEDIATIONS.includes(i.remediation))
    throw invalid('remediation', `remediation must be one of ${REMEDIATIONS.join(', ')}`);
  if (!(i.exposurePct >= 0 && i.exposurePct <= 100))
    throw invalid('exposurePct', 'exposurePct must be from 0 to 100');
  if (!i.services.length)
    throw invalid('services', 'an incident needs an affected service (services, or linked deploys)');
  checkServices(i.services, knownServices);
  const problems = timeOrderProblems(TIME_FIELDS.map((f) => ({ field: f, at: i[f] })));
  if (problems.length) {
    throw new ReleasebotError('TIMES_OUT_OF_ORDER', problems.map((p) => p.message).join('; '), {
      details: problems.map((p) => ({ path: p.field, message: p.message })),
    });
  }
}
