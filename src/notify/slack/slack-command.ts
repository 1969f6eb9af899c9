import type { SlackOperator } from '../../config/notifier-schema.js';
import type { Scope } from '../../store/store.js';

/** What a `/releasebot <name> …` handler is given; the dispatcher already checked the operator and scope. */
export interface SlackCommandContext {
  /** Words after the sub-command. */
  args: string[];
  slackUserId: string;
  slackUserName: string;
  operator: SlackOperator;
  channelId: string | null;
  /** Whether the operator's `services`/`teams` limits admit this service. */
  mayActOn(service: string): boolean;
}

export interface SlackCommandResult {
  /** Shown to the user (mrkdwn). */
  text: string;
  /** Visible to the whole channel instead of only the user. */
  inChannel?: boolean;
  /** What the command acted on, for the audit log (a deploy id, a service, an incident id). */
  target?: string;
  /** `refused` and `error` are audited as such; the text still goes to the user. */
  outcome?: 'done' | 'refused' | 'error';
}

/**
 * A sub-command another room adds (e.g. `incident …` from safety/): registered by name in the interaction deps,
 * dispatched, scope-checked and audited like the built-in ones.
 */
export interface SlackCommand {
  scope: Scope;
  /** One line for `/releasebot help`, e.g. `incident open <service> <summary>`. */
  usage: string;
  run(ctx: SlackCommandContext): Promise<SlackCommandResult>;
}
