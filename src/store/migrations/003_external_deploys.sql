-- Deploys whose traffic something else shifts (Argo Rollouts, Flagger): releasebot only judges them, so the engine
-- never runs their stages or deployer actions. `external_traffic` is the canary weight the external system last
-- reported (percent); null for deploys releasebot drives itself, whose traffic comes from their stage plan.

ALTER TABLE deploys ADD COLUMN driver text NOT NULL DEFAULT 'releasebot';
ALTER TABLE deploys ADD CONSTRAINT deploys_driver_check CHECK (driver IN ('releasebot','external'));
ALTER TABLE deploys ADD COLUMN external_traffic double precision;
CREATE INDEX deploys_open_releasebot ON deploys (service) WHERE driver = 'releasebot' AND state IN ('queued','running','paused','rolling_back');
