/**
 * The minimal config of ../shared/spec/replay.md, byte for byte: kept here so the tests run where the spec is not
 * beside the checkout; spec-copy.test.ts checks it against the spec where it is.
 */
export const REPLAY_SPEC_CONFIG = `services:
  webapp:
    interval: 1m
    traffic:               # requests per minute: lets the engine compare counts per request
      query: 'http_requests_per_minute{service="webapp",cohort="all"}'
      canary: 'http_requests_per_minute{service="webapp",cohort="canary"}'
      baseline: 'http_requests_per_minute{service="webapp",cohort="baseline"}'
    stages:
      - { name: canary, traffic: 1, bake: 10m }
      - { name: ten, traffic: 10, bake: 10m }
      - { name: half, traffic: 50, bake: 10m }
      - { name: full, traffic: 100, bake: 20m }
    checks:
      - name: error-ratio
        query: 'http_error_ratio{service="webapp",cohort="all"}'
        canary: 'http_error_ratio{service="webapp",cohort="canary"}'
        baseline: 'http_error_ratio{service="webapp",cohort="baseline"}'
        direction: up        # up | down | both: which change is bad
        action: rollback     # alert | pause | rollback
`;
