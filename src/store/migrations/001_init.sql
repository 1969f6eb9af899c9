-- Times the engine decides on (deploys, events, evaluations) are bigint milliseconds from the engine's clock, so the
-- same schema serves live runs and simulated replays. Lease times use the database clock (now()) so replicas with
-- skewed clocks agree on who owns what.

CREATE TABLE deploys (
  id                text PRIMARY KEY,
  service           text NOT NULL,
  version           text NOT NULL,
  previous_version  text,
  changes           jsonb NOT NULL DEFAULT '[]',
  trigger           jsonb NOT NULL,
  state             text NOT NULL,
  stage_index       integer NOT NULL DEFAULT -1,
  stage_started_at  bigint,
  bake_done_ms      bigint NOT NULL DEFAULT 0,
  created_at        bigint NOT NULL,
  started_at        bigint,
  ended_at          bigint,
  reason            text,
  pause_kind        text,
  idempotency_key   text,
  supersedes        jsonb NOT NULL DEFAULT '[]',
  pending           jsonb,
  attempt           integer NOT NULL DEFAULT 0,
  last_evaluated_at bigint,
  revision          integer NOT NULL DEFAULT 0,
  seq               bigserial NOT NULL,
  CONSTRAINT deploys_state_check CHECK (state IN
    ('queued','running','paused','rolling_back','promoted','rolled_back','aborted','failed','superseded')),
  CONSTRAINT deploys_idempotency UNIQUE (service, idempotency_key)
);
CREATE INDEX deploys_service_created ON deploys (service, created_at DESC, seq DESC);
CREATE INDEX deploys_created ON deploys (created_at DESC, seq DESC);
CREATE INDEX deploys_open ON deploys (service) WHERE state IN ('queued','running','paused','rolling_back');

CREATE TABLE events (
  seq       bigserial PRIMARY KEY,
  at        bigint NOT NULL,
  actor     text NOT NULL,
  deploy_id text,
  service   text,
  type      text NOT NULL,
  payload   jsonb NOT NULL
);
CREATE INDEX events_deploy ON events (deploy_id, seq);

-- The heaviest table (every check of every running deploy, every interval): `json` keeps the text as sent, which
-- is far cheaper to write than building `jsonb`, and it is only ever read back whole.
CREATE TABLE evaluations (
  id          bigserial PRIMARY KEY,
  deploy_id   text NOT NULL,
  at          bigint NOT NULL,
  stage_index integer NOT NULL,
  results     json NOT NULL,
  decision    json NOT NULL
);
CREATE INDEX evaluations_deploy ON evaluations (deploy_id, at);

CREATE TABLE holds (
  id          text PRIMARY KEY,
  scope       text NOT NULL CHECK (scope IN ('service','team','all')),
  target      text,
  reason      text NOT NULL,
  actor       text NOT NULL,
  created_at  bigint NOT NULL,
  released_at bigint,
  released_by text
);
CREATE INDEX holds_active ON holds (scope) WHERE released_at IS NULL;

CREATE TABLE replicas (
  id         text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE TABLE service_leases (
  service    text PRIMARY KEY,
  owner      text NOT NULL,
  token      bigint NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE api_tokens (
  id         text PRIMARY KEY,
  name       text NOT NULL,
  hash       text NOT NULL UNIQUE,
  scopes     jsonb NOT NULL,
  services   jsonb NOT NULL DEFAULT '[]',
  teams      jsonb NOT NULL DEFAULT '[]',
  created_at bigint NOT NULL,
  revoked_at bigint
);

CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      bigint NOT NULL,
  actor   text NOT NULL,
  action  text NOT NULL,
  target  text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_target ON audit_log (target, id);

CREATE TABLE outbox (
  id            bigserial PRIMARY KEY,
  notifier      text NOT NULL,
  dedup_key     text NOT NULL UNIQUE,
  deploy_id     text,
  payload       jsonb NOT NULL,
  attempts      integer NOT NULL DEFAULT 0,
  available_at  bigint NOT NULL,
  claimed_by    text,
  claimed_until bigint,
  last_error    text,
  delivered_at  bigint,
  failed_at     bigint
);
CREATE INDEX outbox_due ON outbox (available_at, id) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_deploy ON outbox (deploy_id, id);

CREATE TABLE kv (
  ns    text NOT NULL,
  key   text NOT NULL,
  value jsonb NOT NULL,
  PRIMARY KEY (ns, key)
);
