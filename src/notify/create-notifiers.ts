import type { ResolvedConfig } from '../config/resolved-config.js';
import type { Logger } from '../logging/logger.js';
import type { KvRepo } from '../store/store.js';
import type { Clock } from '../time/clock.js';
import type { FetchLike } from './http-outcome.js';
import { LogNotifier } from './log/log-notifier.js';
import type { Notifier } from './notifier.js';
import { PagerDutyNotifier } from './pagerduty/pagerduty-notifier.js';
import { effectiveNotifiers } from './route-event.js';
import { SlackNotifier } from './slack/slack-notifier.js';
import { SlackWebhookNotifier } from './slack/slack-webhook-notifier.js';
import { WebhookNotifier } from './webhook/webhook-notifier.js';

export interface NotifierDeps {
  kv: KvRepo;
  logger: Logger;
  clock: Clock;
  /** Defaults to the global fetch. */
  fetch?: FetchLike;
  /** Where the log notifier writes its lines besides the log (the terminal); unset = the log only. */
  write?: (line: string) => void;
  /** Per-request timeout of every notifier, ms. */
  timeoutMs?: number;
}

/**
 * One notifier per entry of `notifiers:`, by name; with none configured, the log notifier under the name `log`
 * (the router sends it every event then). Creating them does no I/O.
 */
export function createNotifiers(config: ResolvedConfig, deps: NotifierDeps): Map<string, Notifier> {
  const fetchFn = deps.fetch ?? ((input, init) => fetch(input, init));
  const out = new Map<string, Notifier>();
  for (const [name, cfg] of Object.entries(effectiveNotifiers(config))) {
    const logger = deps.logger.child({ notifier: name });
    const common = { fetch: fetchFn, clock: deps.clock, timeoutMs: deps.timeoutMs };
    switch (cfg.type) {
      case 'slack':
        out.set(name, new SlackNotifier(name, cfg, { ...common, kv: deps.kv, logger }));
        break;
      case 'slack-webhook':
        out.set(name, new SlackWebhookNotifier(name, cfg, common));
        break;
      case 'webhook':
        out.set(name, new WebhookNotifier(name, cfg, common));
        break;
      case 'pagerduty':
        out.set(name, new PagerDutyNotifier(name, cfg, { ...common, kv: deps.kv }));
        break;
      case 'log':
        out.set(name, new LogNotifier(name, { logger, write: deps.write }));
        break;
    }
  }
  return out;
}
