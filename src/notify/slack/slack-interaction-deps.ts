import type { SlackNotifierConfig } from '../../config/notifier-schema.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import type { Logger } from '../../logging/logger.js';
import type { Store } from '../../store/store.js';
import { systemClock, type Clock } from '../../time/clock.js';
import type { DeployOperations } from './deploy-operations.js';
import { ReplayCache } from './replay-cache.js';
import type { SlackCommand } from './slack-command.js';

/** What the Slack request handler needs. */
export interface SlackInteractionDeps {
  /** Name of the Slack notifier under `notifiers:` (its kv entries and outbox items). */
  notifier: string;
  slack: SlackNotifierConfig;
  config: Pick<ResolvedConfig, 'services'>;
  operations: DeployOperations;
  store: Pick<Store, 'audit' | 'kv' | 'outbox' | 'deploys'>;
  clock: Clock;
  /**
   * Real time, for the freshness of Slack's signed timestamps; the engine's clock may be simulated (the demo).
   */
  wallClock: Clock;
  logger: Logger;
  replayCache: ReplayCache;
  /** Wakes the notification pump so the thread answer goes out now. */
  wake?: () => void;
  /** Sub-commands added by other rooms (`incident`), by name. */
  commands?: Readonly<Record<string, SlackCommand>>;
}

/**
 * Builds the handler's deps from the config, or null when no Slack notifier has a `signingSecret` (then there is
 * nothing to verify requests with: do not mount the routes). With several, the first one answers.
 */
export function slackInteractionDeps(
  config: ResolvedConfig,
  deps: {
    store: Pick<Store, 'audit' | 'kv' | 'outbox' | 'deploys'>;
    clock: Clock;
    /** Real time for request freshness; default the system clock. */
    wallClock?: Clock;
    logger: Logger;
    operations: DeployOperations;
    /** The notification pump's `wake`, so answers in threads go out at once. */
    wake?: () => void;
    commands?: Readonly<Record<string, SlackCommand>>;
  },
): SlackInteractionDeps | null {
  for (const [name, cfg] of Object.entries(config.notifiers)) {
    if (cfg.type !== 'slack' || !cfg.signingSecret) continue;
    return {
      notifier: name,
      slack: cfg,
      config,
      replayCache: new ReplayCache(),
      ...deps,
      wallClock: deps.wallClock ?? systemClock,
      logger: deps.logger.child({ component: 'slack-interactions', notifier: name }),
    };
  }
  return null;
}
