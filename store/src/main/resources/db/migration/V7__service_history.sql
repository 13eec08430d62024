-- The last declared specs of each service (how many: RegistryConfig.historyPerService), for
-- `berth history` and `berth rollback`. An entry is written in the same transaction as the
-- declaration it records, so after a crash the history is exactly what was acknowledged. Only
-- changes of the spec make an entry; a stop or start (the desired state alone) does not, as
-- Kubernetes records a new ReplicaSet revision for a changed pod template only, not for scaling.
CREATE TABLE service_history (
  service       VARCHAR(63)   NOT NULL REFERENCES services (name) ON DELETE CASCADE,
  generation    BIGINT        NOT NULL,  -- the generation this spec was declared at
  declared_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  source        VARCHAR(1024) NOT NULL,  -- who declared it: the apply's source, or who rolled back
  rollback_of   BIGINT,                  -- set when it declared an earlier generation's spec again
  desired_state VARCHAR(16)   NOT NULL,  -- as declared then; a rollback keeps the current one
  node          VARCHAR(253),
  comment       VARCHAR(1024),
  healthy_at    TIMESTAMP WITH TIME ZONE,  -- when the service first converged running this spec
  PRIMARY KEY (service, generation)
);

-- Each entry's components, as the components table holds the current ones.
CREATE TABLE service_history_components (
  service    VARCHAR(63)      NOT NULL,
  generation BIGINT           NOT NULL,
  position   INT              NOT NULL,
  spec       VARCHAR(1000000) NOT NULL,  -- canonical JSON (SpecJson)
  PRIMARY KEY (service, generation, position),
  FOREIGN KEY (service, generation) REFERENCES service_history (service, generation)
    ON DELETE CASCADE
);

-- A registry from before history starts one with what is declared now; when that spec was
-- declared is not known, so its entry says when the service last changed.
INSERT INTO service_history (service, generation, declared_at, source, rollback_of,
                             desired_state, node, comment, healthy_at)
SELECT name, generation, updated_at, source, NULL, desired_state, node, comment, NULL
FROM services;

INSERT INTO service_history_components (service, generation, position, spec)
SELECT c.service, s.generation, c.position, c.spec
FROM components c JOIN services s ON s.name = c.service;
