// Scoring exactly as deploybench's run.mjs does it (that file keeps it private), so in-process runs
// print the same numbers as `run.mjs --external`.
import { lib } from './deploybench-root.mjs';

const { stageSchedule, median, quantile, parseTime } = lib;

function exposure(sched, untilTs) {
  let x = 0;
  for (const s of sched) {
    const a = s.start;
    const b = Math.min(s.end, untilTs);
    if (b > a) x += ((s.traffic / 100) * (b - a)) / 60;
  }
  return x;
}

/**
 * decisions: Map id -> {outcome, decidedAt (epoch s or ISO), stage, reason}; truth: parsed truth.json;
 * scenario: parsed scenario.json; deploys: parsed deploys.json .deploys. Returns run.mjs's score object (without
 * impactReductionPct, which needs the `none` judge: see impactOfNone).
 */
export function score(decisions, truth, scenario, deploys) {
  const byId = new Map(truth.deploys.map((d) => [d.id, d]));
  const MISSED_EXTRA = truth.missedExtraMinutes ?? 30;
  const bad = [];
  const good = [];
  for (const d of deploys) {
    const startTs = parseTime(d.startedAt);
    const t = byId.get(d.id);
    const sched = stageSchedule(scenario.stages, startTs);
    const end = sched[sched.length - 1].end;
    const raw = decisions.get(d.id);
    const dec = raw
      ? { ...raw, decidedAt: Math.min(end, Math.max(sched[0].start, parseTime(raw.decidedAt))) }
      : { outcome: 'promoted', decidedAt: end, stage: sched[sched.length - 1].name, reason: 'missing' };
    const stopped = dec.outcome === 'rolled_back' || dec.outcome === 'paused';
    const row = { id: d.id, t, dec, sched, stopped, ttdMin: stopped ? (dec.decidedAt - startTs) / 60 : null };
    if (t.bad) {
      row.impact = stopped ? exposure(sched, dec.decidedAt) : exposure(sched, end) + MISSED_EXTRA;
      bad.push(row);
    } else good.push(row);
  }
  const frac = (xs) => (xs.length ? xs.filter((r) => r.stopped).length / xs.length : null);
  const cnt = (xs) => `${xs.filter((r) => r.stopped).length}/${xs.length}`;
  const byType = {};
  const byTercile = {};
  for (const ty of [...new Set(bad.map((r) => r.t.type))].sort()) {
    const xs = bad.filter((r) => r.t.type === ty);
    byType[ty] = { recall: frac(xs), count: cnt(xs) };
  }
  for (const te of ['low', 'mid', 'high']) {
    const xs = bad.filter((r) => r.t.tercile === te);
    byTercile[te] = { recall: frac(xs), count: cnt(xs) };
  }
  const ttd = bad.filter((r) => r.stopped).map((r) => r.ttdMin);
  const goodInc = good.filter((r) => r.t.overlapsIncident);
  const before10 = (r) => {
    const s10 = r.sched.find((s) => s.traffic >= 10);
    return r.stopped && (!s10 || r.dec.decidedAt <= s10.start);
  };
  return {
    bad: bad.length,
    good: good.length,
    recall: frac(bad),
    recallCount: cnt(bad),
    byType,
    byTercile,
    falseStopRate: frac(good),
    falseStopCount: cnt(good),
    falseStopIncidentCount: cnt(goodInc),
    before10Rate: bad.length ? bad.filter(before10).length / bad.length : null,
    before10Count: `${bad.filter(before10).length}/${bad.length}`,
    ttdMedianMin: ttd.length ? median(ttd) : null,
    ttdP90Min: ttd.length ? quantile(ttd, 0.9) : null,
    impactMinutes: bad.reduce((a, r) => a + r.impact, 0),
    rows: { bad, good },
  };
}

/** Impact-minutes of the `none` judge (every deploy promoted), the denominator of impact reduction. */
export function impactOfNone(truth, scenario, deploys) {
  return score(new Map(), truth, scenario, deploys).impactMinutes;
}
