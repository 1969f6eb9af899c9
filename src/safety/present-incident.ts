import type { ResolvedConfig } from '../config/resolved-config.js';
import type { Incident } from './incident.js';
import { isChangeTriggered, isCounted } from './incident.js';
import { ttdOf, ttrOf } from './response-times.js';

/** An incident as the API shows it: the stored record plus its status, teams and response times. */
export function presentIncident(i: Incident, config: Pick<ResolvedConfig, 'services'>) {
  return {
    ...i,
    status: i.endedAt === null ? ('open' as const) : ('resolved' as const),
    changeTriggered: isChangeTriggered(i),
    /** Counts in customer-impact hours: change-triggered, and high or selected medium. */
    counted: isCounted(i),
    teams: [
      ...new Set(i.services.flatMap((s) => (config.services[s]?.team ? [config.services[s].team!] : []))),
    ],
    ttdMs: ttdOf(i),
    ttrMs: ttrOf(i),
  };
}

export type ApiIncident = ReturnType<typeof presentIncident>;
