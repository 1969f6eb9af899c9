import type { DeployerConfig } from '../config/deployer-schema.js';

/** Shorter values are not credentials worth hiding, and replacing them would garble ordinary output. */
const MIN_SECRET_LENGTH = 6;

/**
 * The credentials a deployer sends with its requests: a webhook's signing secret and header values (and the token
 * part of `Bearer <token>`-style values). Command and Kubernetes deployers send none of their own.
 */
export function deployerSecrets(config: DeployerConfig): string[] {
  if (config.type !== 'webhook') return [];
  const values = [config.secret, ...Object.values(config.headers ?? {})].filter((v): v is string => !!v);
  const parts = values.flatMap((v) => [v, ...v.split(/\s+/).slice(1)]);
  return [...new Set(parts)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * A deployer's output made fit to store and show (events, the API, the dashboard, Slack): its own credentials
 * replaced by `[redacted]` (a failing receiver may echo the request it got), and NUL characters dropped (binary
 * output; PostgreSQL refuses to store them, and the transition would fail on every retry).
 */
export function scrubDeployerOutput(output: string, config: DeployerConfig): string {
  const text = output.includes('\u0000') ? output.replaceAll('\u0000', '') : output;
  return deployerSecrets(config).reduce((t, secret) => t.split(secret).join('[redacted]'), text);
}
