/** A traffic shift that completed: from `at` on, `traffic` percent of requests reach the new version. */
export interface TrafficStep {
  at: number;
  traffic: number;
}

/** Traffic percent live at time t: the last step at or before t, 0 before the first. */
export function trafficAt(steps: readonly TrafficStep[], t: number): number {
  let share = 0;
  for (const s of steps) if (s.at <= t) share = s.traffic;
  return share;
}

/**
 * The time-weighted mean traffic percent over [from, to]: each step's traffic counts for the time until the next
 * step (or `to`). When from === to, the traffic at that instant. Steps must be in time order.
 */
export function exposureShare(steps: readonly TrafficStep[], from: number, to: number): number {
  if (to <= from) return trafficAt(steps, from);
  let area = 0;
  let t = from;
  let share = trafficAt(steps, from);
  for (const s of steps) {
    if (s.at <= from) continue;
    if (s.at >= to) break;
    area += share * (s.at - t);
    t = s.at;
    share = s.traffic;
  }
  area += share * (to - t);
  return area / (to - from);
}
