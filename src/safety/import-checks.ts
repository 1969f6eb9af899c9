import type { HistoricalDeploy } from './historical-deploy.js';
import { describePlace } from './import-problem.js';
import type { Placed } from './import-records.js';
import type { Incident } from './incident.js';

/** What the store already holds that an import must agree with. */
export interface StoredContext {
  /** Stored deploys among those the import names, id → service. */
  deploys: ReadonlyMap<string, string>;
  /** Stored incident ids among those the import gives. */
  incidentIds: ReadonlySet<string>;
  /** Stored incidents whose impact may overlap the imported ones. */
  incidents: readonly Incident[];
}

const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/** An incident's impact as [start, end); ongoing = forever. */
const windowOf = (i: Incident): [number, number] => [i.impactStart, i.mitigatedAt ?? i.endedAt ?? Infinity];

/** Two incidents of one service are duplicates when they start together or their impacts overlap. */
function overlap(a: Incident, b: Incident): boolean {
  const [as, ae] = windowOf(a);
  const [bs, be] = windowOf(b);
  return as === bs || (as < be && bs < ae);
}

function duplicateIds<T extends { id: string }>(
  items: ReadonlyArray<Placed<T>>,
  stored: (id: string) => boolean,
  what: string,
  field: string,
): void {
  const first = new Map<string, Placed<T>>();
  for (const p of items) {
    if (!p.value.id) continue;
    const seen = first.get(p.value.id);
    if (seen)
      p.reader.fail(
        field,
        `${what} "${p.value.id}" appears twice (first at ${describePlace(seen.place)})`,
        'IMPORT_DUPLICATE',
      );
    else if (stored(p.value.id))
      p.reader.fail(field, `${what} "${p.value.id}" already exists`, 'IMPORT_DUPLICATE');
    else first.set(p.value.id, p);
  }
}

/** Overlapping incidents of one service within the import: a sweep over each service's incidents by start. */
function overlapsWithin(incidents: ReadonlyArray<Placed<Incident>>): void {
  const reported = new Set<string>();
  const services = [...new Set(incidents.flatMap((p) => p.value.services))];
  for (const s of services) {
    const mine = incidents
      .filter((p) => p.value.services.includes(s))
      .sort((a, b) => a.value.impactStart - b.value.impactStart);
    let reach: Placed<Incident> | undefined;
    for (const cur of mine) {
      if (
        reach &&
        overlap(reach.value, cur.value) &&
        !reported.has(`${describePlace(reach.place)}|${describePlace(cur.place)}`)
      ) {
        reported.add(`${describePlace(reach.place)}|${describePlace(cur.place)}`);
        cur.reader.fail(
          'impactStart',
          `overlaps the ${s} incident at ${describePlace(reach.place)} (impact from ${iso(reach.value.impactStart)}); ` +
            'record one incident (link several deploys to it) or fix the times',
          'IMPORT_DUPLICATE',
        );
      }
      if (!reach || windowOf(cur.value)[1] > windowOf(reach.value)[1]) reach = cur;
    }
  }
}

/**
 * The checks across rows and against the store: repeated or existing ids, links to unknown deploys, incidents with
 * no service, and overlapping duplicates. Fills in each incident's services from its linked deploys when it names
 * none, and its title when empty. Problems go to the rows' readers.
 */
export function checkImport(
  deploys: ReadonlyArray<Placed<HistoricalDeploy>>,
  incidents: ReadonlyArray<Placed<Incident>>,
  stored: StoredContext,
): void {
  duplicateIds(deploys, (id) => stored.deploys.has(id), 'deploy', 'id');
  duplicateIds(incidents, (id) => stored.incidentIds.has(id), 'incident', 'id');
  const serviceOf = new Map(stored.deploys);
  for (const d of deploys) serviceOf.set(d.value.id, d.value.service);
  // Overlaps are judged among the incidents whose services are known.
  const ready: Array<Placed<Incident>> = [];
  for (const p of incidents) {
    const i = p.value;
    const unknown = i.deployIds.filter((id) => !serviceOf.has(id));
    if (unknown.length) {
      const names = unknown.map((u) => `"${u}"`).join(', ');
      p.reader.fail(
        'deploys',
        `unknown deploy${unknown.length > 1 ? 's' : ''} ${names}: not stored and not in this import`,
        'IMPORT_UNKNOWN_DEPLOY',
      );
      continue;
    }
    if (!i.services.length) i.services = [...new Set(i.deployIds.map((id) => serviceOf.get(id)!))];
    if (!i.services.length) {
      p.reader.fail('services', 'an incident needs an affected service (services, or linked deploys)');
      continue;
    }
    if (!i.title) i.title = `${i.services.join(', ')} incident (imported)`;
    ready.push(p);
  }
  overlapsWithin(ready);
  for (const p of ready) {
    const clash = stored.incidents.find(
      (s) => s.services.some((x) => p.value.services.includes(x)) && overlap(s, p.value),
    );
    if (clash) {
      p.reader.fail(
        'impactStart',
        `overlaps stored incident ${clash.id} "${clash.title}" (impact from ${iso(clash.impactStart)}) on ${clash.services.filter((x) => p.value.services.includes(x)).join(', ')}`,
        'IMPORT_DUPLICATE',
      );
    }
  }
}
