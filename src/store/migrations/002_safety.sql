-- Deploy safety (issue 6): incidents, the deploys they link (change-triggered), and the facts of imported
-- historical deploys that the event log cannot give (they never ran through the engine, so they have no events).
-- Times are bigint milliseconds, like the rest of the schema.

CREATE TABLE incidents (
  id           text PRIMARY KEY,
  title        text NOT NULL,
  severity     text NOT NULL CHECK (severity IN ('high','medium','low')),
  selected     boolean NOT NULL DEFAULT false,
  impact_start bigint NOT NULL,
  detected_at  bigint,
  mitigated_at bigint,
  ended_at     bigint,
  services     jsonb NOT NULL DEFAULT '[]',
  exposure_pct double precision NOT NULL DEFAULT 100 CHECK (exposure_pct >= 0 AND exposure_pct <= 100),
  remediation  text NOT NULL CHECK (remediation IN ('automatic','manual')),
  source       text NOT NULL CHECK (source IN ('manual','automatic','import')),
  -- 'rollback:<deploy id>' on the incident the safety consumer opened: at most one per deploy, across replicas.
  origin_key   text UNIQUE,
  note         text NOT NULL DEFAULT '',
  created_by   text NOT NULL,
  created_at   bigint NOT NULL,
  updated_at   bigint NOT NULL,
  revision     integer NOT NULL DEFAULT 0,
  CONSTRAINT incidents_detected_order CHECK (detected_at IS NULL OR detected_at >= impact_start),
  CONSTRAINT incidents_mitigated_order CHECK (mitigated_at IS NULL OR mitigated_at >= impact_start),
  CONSTRAINT incidents_ended_order CHECK (ended_at IS NULL OR ended_at >= impact_start)
);
CREATE INDEX incidents_impact ON incidents (impact_start DESC, id DESC);
CREATE INDEX incidents_open ON incidents (impact_start) WHERE ended_at IS NULL;

CREATE TABLE incident_deploys (
  incident_id text NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  deploy_id   text NOT NULL REFERENCES deploys (id),
  PRIMARY KEY (incident_id, deploy_id)
);
CREATE INDEX incident_deploys_deploy ON incident_deploys (deploy_id);

CREATE TABLE deploy_history (
  deploy_id    text PRIMARY KEY REFERENCES deploys (id),
  max_traffic  double precision NOT NULL CHECK (max_traffic >= 0 AND max_traffic <= 100),
  rollback     text CHECK (rollback IN ('automatic','manual')),
  rollback_at  bigint,
  imported_at  bigint NOT NULL,
  imported_by  text NOT NULL
);

-- The reports read deploys by start time.
CREATE INDEX deploys_started ON deploys (COALESCE(started_at, created_at));
