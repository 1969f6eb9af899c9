/** Which versions serve the simulated service's traffic at one moment. */
export interface SplitState {
  /** The version every host not in the canary runs. */
  stable: string;
  /** The version being deployed, or null when no deploy runs. */
  canary: string | null;
  /** Percent of traffic on the canary version, 0 to 100. */
  share: number;
  /** When the canary's share last changed (new hosts came up and are warming up), ms. */
  since: number;
}

/**
 * The history of the traffic split, in time order: the simulated deployer appends to it as the engine shifts
 * traffic, and the metrics of each minute read the split that was in effect then. Old entries are pruned.
 */
export class TrafficSplit {
  private readonly states: Array<{ at: number; state: SplitState }> = [];

  constructor(stable: string, at: number) {
    this.states.push({ at, state: { stable, canary: null, share: 0, since: at } });
  }

  /** The split in effect at time t (the earliest known one for times before it). */
  at(t: number): SplitState {
    for (let i = this.states.length - 1; i >= 0; i--) if (this.states[i].at <= t) return this.states[i].state;
    return this.states[0].state;
  }

  current(): SplitState {
    return this.states[this.states.length - 1].state;
  }

  /** `canary` at `share` percent from `at` on. */
  shift(at: number, canary: string, share: number): SplitState {
    return this.push(at, { ...this.current(), canary, share, since: at });
  }

  /** The canary's hosts are gone: everything on the stable version again. */
  rollback(at: number): SplitState {
    return this.push(at, { ...this.current(), canary: null, share: 0, since: at });
  }

  /** The canary version becomes the stable one on every host. */
  promote(at: number, version: string): SplitState {
    return this.push(at, { stable: version, canary: null, share: 0, since: at });
  }

  /** Forgets states that ended before `t` (keeps the one in effect at t). */
  prune(t: number): void {
    let keep = 0;
    for (let i = 0; i < this.states.length; i++) if (this.states[i].at <= t) keep = i;
    if (keep > 0) this.states.splice(0, keep);
  }

  private push(at: number, state: SplitState): SplitState {
    // The clock never goes back; `at()` reads the latest state of an instant.
    this.states.push({ at: Math.max(at, this.states[this.states.length - 1].at), state });
    return state;
  }
}
