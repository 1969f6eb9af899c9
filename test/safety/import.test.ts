import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReleasebotError } from '../../src/errors/releasebot-error.js';
import { IncidentService } from '../../src/safety/incident-service.js';
import { loadSafetyReport } from '../../src/safety/load-safety-report.js';
import type { Store } from '../../src/store/store.js';
import { ManualClock } from '../../src/time/clock.js';
import { storeDrivers } from '../support/stores.js';
import { at, incident } from './support/fixtures.js';
import { safetyConfig } from './support/safety-config.js';

const MIN = 60_000;
const config = safetyConfig();

const DEPLOYS_CSV = `id,service,version,state,started_at,ended_at,max_traffic,rollback,rollback_at
h-d1,web-a,v1.0,promoted,2024-06-03T10:00Z,2024-06-03T11:00Z,,,
h-d2,web-a,v1.1,rolled_back,2024-06-05T10:00Z,2024-06-05T10:30Z,1,automatic,2024-06-05T10:10Z
h-d3,pay,v7,rolled_back,2024-06-06T09:00Z,2024-06-06T09:45Z,50,,2024-06-06T09:40Z
`;
const INCIDENTS_CSV = `title,severity,selected,impact_start,detected_at,mitigated_at,ended_at,services,deploys,exposure_pct,remediation,note
"Checkout errors, EU",high,,2024-06-05T10:02Z,2024-06-05T10:08Z,2024-06-05T10:12Z,2024-06-05T11:00Z,,h-d2,1,automatic,"rolled back by the bot"
Slow payments,medium,yes,2024-06-06T09:10Z,2024-06-06T09:35Z,2024-06-06T09:45Z,,pay,h-d3,50,manual,
`;

async function refusal(p: Promise<unknown>): Promise<ReleasebotError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ReleasebotError);
  return e as ReleasebotError;
}

for (const driver of storeDrivers) {
  describe.skipIf(driver.skip)(
    `backfill import on ${driver.name}${driver.skip ? ` (skipped: ${driver.skip})` : ''}`,
    () => {
      let store: Store;
      let dispose: () => Promise<void>;
      let incidents: IncidentService;
      const clock = new ManualClock(at('2025-03-03T10:00'));
      // One store for the file; each test uses its own month of history.
      beforeAll(async () => {
        ({ store, dispose } = await driver.open());
        incidents = new IncidentService({ store, config, clock });
      });
      afterAll(async () => dispose?.());

      const counts = async () => ({
        deploys: (await store.deploys.list({ limit: 10_000 })).length,
        incidents: (await store.incidents.list({ limit: 10_000 })).length,
      });

      it('imports deploys and incidents from CSV in one go, as history the reports count and the engine ignores', async () => {
        const result = await incidents.importRecords(
          {
            csv: [
              { name: 'deploys.csv', text: DEPLOYS_CSV },
              { name: 'incidents.csv', text: INCIDENTS_CSV },
            ],
          },
          'alice',
        );
        expect(result).toMatchObject({ deploys: 3, incidents: 2, dryRun: false });
        expect(await store.deploys.get('h-d2')).toMatchObject({
          state: 'rolled_back',
          service: 'web-a',
          startedAt: at('2024-06-05T10:00'),
        });
        expect(await store.deploys.servicesWithWork()).toEqual([]);
        const [first] = await store.incidents.list({ deployIds: ['h-d2'] });
        expect(first).toMatchObject({
          title: 'Checkout errors, EU',
          services: ['web-a'],
          source: 'import',
          createdBy: 'alice',
          exposurePct: 1,
        });

        // June 2024 by hand: "Checkout errors" high, 10:02–10:12 = 10 min at 1% → 1/6 h raw, 1/600 weighted; TTD 6 m.
        // "Slow payments" medium selected, 09:10–09:45 = 35 min at 50% → 35/60 raw, 35/120 weighted; TTD 25 m.
        // Deploys: h-d1 good; h-d2 bad at 1% (stopped early, automatic); h-d3 bad at 50% (manual rollback).
        const report = await loadSafetyReport(
          { store, config, clock },
          { period: 'month', from: '2024-06-01', to: '2024-07-01' },
        );
        expect(report.periods).toHaveLength(1);
        const [june] = report.periods;
        expect(june.impactHours.raw).toBeCloseTo(10 / 60 + 35 / 60, 10);
        expect(june.impactHours.weighted).toBeCloseTo(10 / 60 / 100 + 35 / 120, 10);
        expect(june.ttd).toMatchObject({ median: 15.5 * MIN, count: 2 });
        expect(june).toMatchObject({
          incidents: 2,
          badDeploys: 2,
          stoppedBefore10: 1,
          automatic: 1,
          manual: 1,
        });
        expect(june.dora.all).toMatchObject({ deploys: 3, failed: 2 });
      });

      it('refuses times in the wrong order, naming the file, line and column, and writes nothing', async () => {
        const before = await counts();
        const csv = `id,service,version,state,started_at,ended_at,max_traffic
o-d1,web-b,v1,promoted,2024-07-01T10:00Z,2024-07-01T11:00Z,
o-d2,web-b,v2,aborted,2024-07-02T10:00Z,2024-07-02T09:00Z,0
`;
        const incidentsCsv = `severity,impact_start,detected_at,services
high,2024-07-03T10:00Z,2024-07-03T09:55Z,web-b
`;
        const e = await refusal(
          incidents.importRecords(
            {
              csv: [
                { name: 'deploys.csv', text: csv },
                { name: 'incidents.csv', text: incidentsCsv },
              ],
            },
            'alice',
          ),
        );
        expect(e.code).toBe('TIMES_OUT_OF_ORDER');
        expect(e.message).toBe(
          'nothing was imported: deploys.csv line 3, column ended_at: ended_at 2024-07-02T09:00:00Z is before started_at 2024-07-02T10:00:00Z (and 1 more problem)',
        );
        expect(e.details).toEqual([
          {
            file: 'deploys.csv',
            line: 3,
            path: 'ended_at',
            message:
              'TIMES_OUT_OF_ORDER: ended_at 2024-07-02T09:00:00Z is before started_at 2024-07-02T10:00:00Z',
          },
          {
            file: 'incidents.csv',
            line: 2,
            path: 'detected_at',
            message:
              'TIMES_OUT_OF_ORDER: detected_at 2024-07-03T09:55:00Z is before impact_start 2024-07-03T10:00:00Z',
          },
        ]);
        expect(await counts()).toEqual(before);
        expect(await store.deploys.get('o-d1')).toBeNull(); // the good row did not go in either
      });

      it('refuses links to unknown deploys', async () => {
        const before = await counts();
        const e = await refusal(
          incidents.importRecords(
            {
              deploys: [
                {
                  id: 'u-d1',
                  service: 'web-c',
                  version: 'v1',
                  state: 'promoted',
                  startedAt: '2024-08-01T10:00Z',
                  endedAt: '2024-08-01T11:00Z',
                },
              ],
              incidents: [
                { severity: 'high', impactStart: '2024-08-01T10:30Z', deploys: ['u-d1'] },
                { severity: 'high', impactStart: '2024-08-02T10:30Z', deploys: ['u-d1', 'nope'] },
              ],
            },
            'alice',
          ),
        );
        expect(e.code).toBe('IMPORT_UNKNOWN_DEPLOY');
        expect(e.details).toEqual([
          {
            path: 'incidents[1].deploys',
            message: 'IMPORT_UNKNOWN_DEPLOY: unknown deploy "nope": not stored and not in this import',
          },
        ]);
        expect(await counts()).toEqual(before);
      });

      it('refuses overlapping duplicates, within the import and against stored incidents', async () => {
        const before = await counts();
        const csv = `severity,impact_start,mitigated_at,services
high,2024-09-01T10:00Z,2024-09-01T10:30Z,web-d
high,2024-09-01T11:00Z,2024-09-01T11:30Z,web-d
high,2024-09-01T10:20Z,2024-09-01T10:40Z,web-d;pay
`;
        const e = await refusal(
          incidents.importRecords({ csv: [{ name: 'incidents.csv', text: csv }] }, 'alice'),
        );
        expect(e.code).toBe('IMPORT_DUPLICATE');
        expect(e.details).toEqual([
          {
            file: 'incidents.csv',
            line: 4,
            path: 'impact_start',
            message:
              'IMPORT_DUPLICATE: overlaps the web-d incident at incidents.csv line 2 (impact from 2024-09-01T10:00:00Z); record one incident (link several deploys to it) or fix the times',
          },
        ]);
        expect(await counts()).toEqual(before);

        // The June incidents again (their deploys are stored now): each overlaps the one imported the first time.
        const again = await refusal(
          incidents.importRecords({ csv: [{ name: 'incidents.csv', text: INCIDENTS_CSV }] }, 'bob'),
        );
        expect(again.code).toBe('IMPORT_DUPLICATE');
        expect(again.details.map((d) => [d.line, d.message.replace(/i_\w+/, 'i_…')])).toEqual([
          [
            2,
            'IMPORT_DUPLICATE: overlaps stored incident i_… "Checkout errors, EU" (impact from 2024-06-05T10:02:00Z) on web-a',
          ],
          [
            3,
            'IMPORT_DUPLICATE: overlaps stored incident i_… "Slow payments" (impact from 2024-06-06T09:10:00Z) on pay',
          ],
        ]);
        // And the deploys again: their ids exist.
        const deploysAgain = await refusal(
          incidents.importRecords({ csv: [{ name: 'deploys.csv', text: DEPLOYS_CSV }] }, 'bob'),
        );
        expect(deploysAgain.details[0]).toMatchObject({
          line: 2,
          path: 'id',
          message: 'IMPORT_DUPLICATE: deploy "h-d1" already exists',
        });
        expect(await counts()).toEqual(before);
      });

      it('refuses a malformed CSV row and unknown values, naming each', async () => {
        const before = await counts();
        const csv = `severity,impact_start,services,exposure_pct
high,2024-10-01T10:00Z,web-e
"high,2024-10-02T10:00Z,web-e,5
critical,2024-10-03T10:00Z,web-x,150
`;
        const e = await refusal(
          incidents.importRecords({ csv: [{ name: 'incidents.csv', text: csv }] }, 'alice'),
        );
        expect(e.code).toBe('IMPORT_MALFORMED');
        expect(e.details.map((d) => `${d.line} ${d.path ?? '-'} ${d.message}`)).toEqual([
          '2 - IMPORT_MALFORMED: 3 fields, but the header has 4 columns',
          '3 - IMPORT_MALFORMED: unterminated quoted field (opened on line 3)',
        ]);
        const values = await refusal(
          incidents.importRecords(
            {
              csv: [
                {
                  name: 'incidents.csv',
                  text: 'severity,impact_start,services,exposure_pct,severty\ncritical,2024-10-03,web-x,150,\n',
                },
              ],
            },
            'alice',
          ),
        );
        expect(values.code).toBe('IMPORT_MALFORMED');
        expect(values.details.map((d) => `${d.line} ${d.path ?? '-'} ${d.message}`)).toEqual([
          expect.stringMatching(
            /^1 severty IMPORT_MALFORMED: unknown column "severty"; did you mean "severity"\?/,
          ),
          '2 severity IMPORT_INVALID: "critical" is not one of high, medium, low',
          '2 services IMPORT_INVALID: unknown service "web-x"; did you mean "web-a"? (services come from releasebot.yaml)',
          '2 exposure_pct IMPORT_INVALID: "150" is not a number from 0 to 100',
        ]);
        expect(await counts()).toEqual(before);
      });

      it('validates without writing on a dry run', async () => {
        const before = await counts();
        const r = await incidents.importRecords(
          {
            incidents: [{ severity: 'low', impactStart: '2024-11-01T10:00Z', services: ['web-f'] }],
            dryRun: true,
          },
          'alice',
        );
        expect(r).toMatchObject({ deploys: 0, incidents: 1, dryRun: true });
        expect(await counts()).toEqual(before);
      });

      it('writes a batch in one transaction: a row the database refuses undoes the rows before it', async () => {
        const before = await counts();
        const t = at('2024-12-01T10:00');
        const batch = {
          deploys: [
            {
              id: 'tx-d1',
              service: 'web-f',
              version: 'v1',
              previousVersion: null,
              state: 'promoted' as const,
              startedAt: t,
              endedAt: t + MIN,
              maxTraffic: 100,
              rollback: null,
              rollbackAt: null,
            },
          ],
          incidents: [
            incident({ id: 'tx-i1', impactStart: t, deployIds: ['tx-d1'], services: ['web-f'] }),
            // Links a deploy that does not exist: the foreign key refuses it after tx-d1 and tx-i1 were written.
            incident({
              id: 'tx-i2',
              impactStart: t + 60 * MIN,
              deployIds: ['tx-missing'],
              services: ['web-f'],
            }),
          ],
          at: t,
          actor: 'alice',
        };
        await expect(store.incidents.importHistory(batch)).rejects.toMatchObject({ code: '23503' });
        expect(await store.deploys.get('tx-d1')).toBeNull();
        expect(await store.incidents.get('tx-i1')).toBeNull();
        expect(await counts()).toEqual(before);
      });
    },
  );
}
