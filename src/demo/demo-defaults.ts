/** The demo's default seed of its simulated noise and builds (kept apart so the CLI can show it without loading the demo). */
export const DEFAULT_SEED = 20250304;
