import type { ResolvedConfig } from '../config/resolved-config.js';
import type { DemoBuild } from './demo-build.js';
import { WEBAPP_PROFILE } from './service-profile.js';

const MINUTE_MS = 60_000;

/** What the newcomer reads first: the service, its pipeline, what is real and what simulated, and where to look. */
export function writeHeader(
  w: (line: string) => void,
  h: {
    url: string;
    speed: number;
    minutes: number;
    historyMs: number;
    pastDeploys: number;
    stable: string;
    config: ResolvedConfig;
    scripted: DemoBuild[] | undefined;
  },
): void {
  const svc = Object.values(h.config.services)[0];
  const stages = svc.stages.map((s) => `${s.name} ${s.traffic}%`).join(' → ');
  const bake = `${Math.round(svc.stages[0].bakeMs / MINUTE_MS)}m`;
  const perMinute =
    h.speed >= 60 ? `1 simulated minute = ${(60_000 / h.speed / 1000).toFixed(2)} s` : `${h.speed}x`;
  w(
    `releasebot demo: service "${svc.name}" (${WEBAPP_PROFILE.hosts} hosts, daily traffic) runs ${h.stable}; each new build`,
  );
  w(
    `  goes ${stages}, ${bake} bakes, ${svc.checks.length} checks every minute: ${svc.checks.map((c) => c.name).join(', ')}.`,
  );
  w(
    `  Real: the engine, the judge, the store (in memory) and the API. Simulated: the service, its metrics, the clock`,
  );
  w(
    `  (${perMinute}). History: ${Math.round(h.minutes / 1440)} days of per-minute metrics with ${h.pastDeploys} earlier deploys (${(h.historyMs / 1000).toFixed(1)} s).`,
  );
  w(`  Dashboard and API: ${h.url}/ (no token needed to look; JSON at ${h.url}/api/v1/deploys)`);
  w(
    h.scripted
      ? `  Playing ${h.scripted.length} builds, ${h.scripted.filter((b) => b.regression).length} of them bad, then checking the outcome. Times are simulated (UTC).`
      : '  A new build every few minutes, now and then a bad one. Times are simulated (UTC). Ctrl-C stops.',
  );
  w('');
}
