import type { CheckAction, Direction, detectorOptionsShape } from './check-schema.js';
import type { DeployerConfig } from './deployer-schema.js';
import type { NotifierConfig } from './notifier-schema.js';
import type { DeployWindow, GateConfig, TeamConfig } from './schema.js';
import type { SourceConfig } from './source-schema.js';
import type { z } from 'zod';

type Shape = typeof detectorOptionsShape;
/** Detector settings as written (unset = the engine's default). */
export type DetectorOptions = { [K in keyof Shape]?: z.output<Shape[K]> };

export interface CohortQueries {
  /** The whole service. */
  all?: string;
  canary?: string;
  baseline?: string;
}

export interface ResolvedCheck {
  name: string;
  queries: CohortQueries;
  direction: Direction;
  action: CheckAction;
  detectors: DetectorOptions;
}

export interface ResolvedStage {
  name: string;
  /** Percent of traffic on the new version, (0, 100]. */
  traffic: number;
  bakeMs: number;
  gate?: GateConfig;
}

export interface ResolvedService {
  name: string;
  team?: string;
  channel?: string;
  alertChannel?: string;
  mention?: string;
  key: boolean;
  deployer: DeployerConfig;
  source: string;
  intervalMs: number;
  queue: 'fifo' | 'latest';
  traffic?: CohortQueries & { all: string };
  stages: ResolvedStage[];
  checks: ResolvedCheck[];
  deployWindows: DeployWindow[];
  /** Pre-deploy history the z-score baseline uses, ms. */
  baselineMs: number;
}

/** The configuration after defaults and templates are applied: frozen, passed down, never re-read. */
export interface ResolvedConfig {
  /** Where it was read from, for messages. */
  file?: string;
  store: { url: string };
  server: { host: string; port: number; publicUrl?: string; rateLimit: number; bodyLimit: number };
  cluster: { leaseMs: number };
  sources: Record<string, SourceConfig>;
  notifiers: Record<string, NotifierConfig>;
  teams: Record<string, TeamConfig>;
  services: Record<string, ResolvedService>;
}
