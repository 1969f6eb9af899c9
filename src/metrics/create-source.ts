import { join } from 'node:path';
import type { BuiltinSourceConfig, PrometheusSourceConfig, SourceConfig } from '../config/source-schema.js';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../time/clock.js';
import { BuiltinSource } from './builtin/builtin-source.js';
import type { MetricSource } from './metric-source.js';
import { PrometheusSource } from './prometheus/prometheus-source.js';

export interface SourceDeps {
  fetch: typeof globalThis.fetch;
  clock: Clock;
  logger: Logger;
  /**
   * The store's directory: the built-in source persists in `<storeDir>/metrics` unless its config names a `dir`.
   * Absent (in-memory store): the built-in source keeps metrics in memory only.
   */
  storeDir?: string;
}

/** Builds the metric source a config describes. The built-in one loads its directory first (METRICS_STORE on failure). */
export function createSource(config: BuiltinSourceConfig, deps: SourceDeps): Promise<BuiltinSource>;
export function createSource(config: PrometheusSourceConfig, deps: SourceDeps): Promise<PrometheusSource>;
export function createSource(config: SourceConfig, deps: SourceDeps): Promise<MetricSource>;
export async function createSource(config: SourceConfig, deps: SourceDeps): Promise<MetricSource> {
  if (config.type === 'prometheus') {
    const { url, bearerToken, username, password, headers, timeout } = config;
    const logger = deps.logger.child({ source: 'prometheus', url });
    return new PrometheusSource({
      url,
      bearerToken,
      username,
      password,
      headers,
      timeout,
      fetch: deps.fetch,
      logger,
    });
  }
  const dir = config.dir ?? (deps.storeDir ? join(deps.storeDir, 'metrics') : undefined);
  const logger = deps.logger.child({ source: 'builtin' });
  if (!dir) logger.info('no store directory: built-in metrics are kept in memory only');
  return BuiltinSource.open({ clock: deps.clock, logger, retention: config.retention, dir });
}
