import type { ResolvedConfig } from '../config/resolved-config.js';
import type { Severity } from '../config/notifier-schema.js';
import type { StoredEvent } from '../events/lifecycle-event.js';
import type { ServiceRoute } from './service-route.js';

/** What a renderer is given about one event: everything is resolved, so renderers stay pure. */
export interface RenderContext {
  stored: StoredEvent;
  route: ServiceRoute;
  severity: Severity;
  /** The deploy's dashboard page, when `server.publicUrl` is set. */
  deployUrl: string | null;
  config: ResolvedConfig;
}

/** One message a renderer produced; `key` is unique within its notifier (the router prefixes the notifier name). */
export interface RenderedMessage {
  key: string;
  payload: unknown;
}
