import type { Fence } from '../store/store.js';

/** Decides which services this process works on, and proves it with a fencing token. */
export interface WorkClaimer {
  /** Services this process should tick now, each with the fence its writes must carry (none for a single process). */
  claim(): Promise<Array<{ service: string; fence?: Fence }>>;
  /** Gives up all claims (graceful shutdown). */
  releaseAll(): Promise<void>;
}
