/**
 * Every error a user can meet: a stable code, the HTTP status the API answers with, and a one-line hint.
 * docs/errors.md documents each code; test/errors/error-catalogue.test.ts keeps the two in sync.
 */
export const errorCatalogue = {
  // configuration
  CONFIG_NOT_FOUND: {
    status: 400,
    hint: 'Pass --config <file> or create releasebot.yaml in the working directory.',
  },
  CONFIG_PARSE: { status: 400, hint: 'The file is not valid YAML; fix the syntax at the line shown.' },
  CONFIG_INVALID: {
    status: 400,
    hint: 'Fix the keys listed; `releasebot config check` prints every problem at once.',
  },
  CONFIG_ENV_MISSING: {
    status: 400,
    hint: 'Export the environment variable named, or remove the ${VAR} reference.',
  },
  // pipeline
  SERVICE_UNKNOWN: { status: 404, hint: 'Use a service defined under `services:` in releasebot.yaml.' },
  DEPLOY_UNKNOWN: { status: 404, hint: 'Check the deploy id with `releasebot status <service>`.' },
  DEPLOY_FINISHED: { status: 409, hint: 'The deploy has already ended; start a new deploy instead.' },
  DEPLOY_STATE: {
    status: 409,
    hint: 'That operation is not possible in the deploy’s current state; see `releasebot status`.',
  },
  DEPLOY_DUPLICATE: {
    status: 409,
    hint: 'This idempotency key was already used for a different deploy; use a new key.',
  },
  DEPLOY_CONFLICT: { status: 409, hint: 'The deploy changed while this request ran; retry it.' },
  HOLD_UNKNOWN: { status: 404, hint: 'List active holds with `releasebot hold --list`.' },
  CHECK_UNKNOWN: {
    status: 404,
    hint: 'Use one of the service’s check names (listed by GET /api/v1/services/<name>).',
  },
  LEASE_LOST: {
    status: 409,
    hint: 'Another replica took over this work; it will carry on from the stored state.',
  },
  // deployers and gates
  DEPLOYER_FAILED: {
    status: 502,
    hint: 'The deployer reported a failure; its output is kept with the deploy.',
  },
  DEPLOYER_TIMEOUT: {
    status: 504,
    hint: 'The deployer did not finish in time; raise `timeout` or fix the hang.',
  },
  GATE_FAILED: { status: 502, hint: 'The stage gate (smoke test) failed; fix it, then `releasebot resume`.' },
  // metrics
  METRICS_PARSE: { status: 400, hint: 'Fix the OpenMetrics line shown (name{labels} value timestamp).' },
  QUERY_INVALID: { status: 400, hint: 'Use a PromQL instant-vector selector such as name{label="value"}.' },
  QUERY_AMBIGUOUS: {
    status: 422,
    hint: 'The query matched several series; add labels so it matches exactly one.',
  },
  SOURCE_UNREACHABLE: { status: 502, hint: 'Check the metric source URL and that the server is up.' },
  SOURCE_ERROR: {
    status: 502,
    hint: 'The metric source answered with an error; see the message for its text.',
  },
  SOURCE_UNKNOWN: { status: 400, hint: 'Define the source under `sources:` or use `builtin`.' },
  METRICS_STORE: {
    status: 500,
    hint: 'The built-in metrics directory could not be read or written; check disk space and permissions, or move a damaged snapshot.bin aside.',
  },
  METRICS_CONTENT_TYPE: {
    status: 415,
    hint: 'Push Prometheus text (text/plain; version=0.0.4) or OpenMetrics (application/openmetrics-text).',
  },
  // deploy safety: incidents and backfill imports
  INCIDENT_UNKNOWN: { status: 404, hint: 'List incidents with `releasebot incident list`.' },
  INCIDENT_CONFLICT: { status: 409, hint: 'The incident changed while this request ran; retry it.' },
  TIMES_OUT_OF_ORDER: {
    status: 400,
    hint: 'Times must run impact start ≤ detected ≤ mitigated ≤ ended (deploys: started ≤ rollback ≤ ended); fix the one named.',
  },
  IMPORT_MALFORMED: {
    status: 400,
    hint: 'Fix the CSV or JSON at the line named (quotes, field count, column names); nothing was imported.',
  },
  IMPORT_INVALID: { status: 400, hint: 'Fix the value at the row and column named; nothing was imported.' },
  IMPORT_UNKNOWN_DEPLOY: {
    status: 400,
    hint: 'Link only deploys releasebot knows, or import them in the same request; nothing was imported.',
  },
  IMPORT_DUPLICATE: {
    status: 409,
    hint: 'The row repeats an id or overlaps another incident of the same service; merge or drop it. Nothing was imported.',
  },
  // inputs to commands (replay, detect, imports)
  INPUT_INVALID: { status: 400, hint: 'Fix the input at the place shown.' },
  INPUT_NOT_FOUND: { status: 400, hint: 'Check the path of the input file.' },
  // HTTP API
  AUTH_MISSING: {
    status: 401,
    hint: 'Send `Authorization: Bearer <token>`; create one with `releasebot token create`.',
  },
  AUTH_INVALID: {
    status: 401,
    hint: 'The token is unknown or revoked; create a new one with `releasebot token create`.',
  },
  AUTH_FORBIDDEN: { status: 403, hint: 'The token lacks the scope or service for this action.' },
  RATE_LIMITED: { status: 429, hint: 'Too many requests with this token; wait for Retry-After seconds.' },
  REQUEST_INVALID: { status: 400, hint: 'Fix the request body or parameters as described.' },
  REQUEST_TOO_LARGE: { status: 413, hint: 'Send a smaller request body.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, hint: 'Send the body as application/json.' },
  ROUTE_NOT_FOUND: { status: 404, hint: 'See /openapi.json for the routes.' },
  SIGNATURE_INVALID: { status: 401, hint: 'The request signature did not verify; check the signing secret.' },
  // store and server
  STORE_UNAVAILABLE: {
    status: 503,
    hint: 'Check that the database is reachable; releasebot retries on its own.',
  },
  STORE_MIGRATION: {
    status: 500,
    hint: 'A schema migration failed; see the cause and the migration number.',
  },
  DASHBOARD_NOT_BUILT: {
    status: 503,
    hint: 'Build the dashboard with `npm run build` (scripts/build-web.mjs writes dist/web/), then restart.',
  },
  SERVER_NOT_REACHABLE: {
    status: 502,
    hint: 'Check --server (or RELEASEBOT_URL) and that `releasebot serve` runs.',
  },
  INTERNAL: { status: 500, hint: 'This is a bug in releasebot; please report it with the log line.' },
} as const satisfies Record<string, { status: number; hint: string }>;

export type ErrorCode = keyof typeof errorCatalogue;
