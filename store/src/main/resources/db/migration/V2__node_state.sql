-- What Berth learns and decides while it runs: stable ports, observed status,
-- conditions, a bounded event history and certificates' metadata.

-- A host port stays with (service, component, route) across replaces and
-- restarts; it is released only when the service is deleted.
CREATE TABLE port_allocations (
  service      VARCHAR(63) NOT NULL REFERENCES services (name) ON DELETE CASCADE,
  component    VARCHAR(63) NOT NULL,
  route        VARCHAR(63) NOT NULL,
  host_port    INT         NOT NULL,
  allocated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (service, component, route),
  CONSTRAINT one_owner_per_port UNIQUE (host_port)
);

CREATE TABLE component_status (
  service             VARCHAR(63)   NOT NULL REFERENCES services (name) ON DELETE CASCADE,
  component           VARCHAR(63)   NOT NULL,
  runtime             VARCHAR(16),
  state               VARCHAR(16)   NOT NULL,
  workload_id         VARCHAR(128),
  image               VARCHAR(512),
  spec_hash           VARCHAR(64),
  observed_generation BIGINT        NOT NULL,
  exit_code           INT,
  started_at          TIMESTAMP WITH TIME ZONE,
  message             VARCHAR(1024),
  updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (service, component)
);

CREATE TABLE conditions (
  service         VARCHAR(63)   NOT NULL REFERENCES services (name) ON DELETE CASCADE,
  component       VARCHAR(63)   NOT NULL,  -- '' for conditions of the whole service
  type            VARCHAR(64)   NOT NULL,
  status          VARCHAR(8)    NOT NULL,  -- True | False | Unknown
  reason          VARCHAR(128)  NOT NULL,
  message         VARCHAR(1024) NOT NULL,
  last_transition TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (service, component, type)
);

CREATE TABLE events (
  id        BIGINT AUTO_INCREMENT PRIMARY KEY,
  service   VARCHAR(63)   NOT NULL REFERENCES services (name) ON DELETE CASCADE,
  component VARCHAR(63),
  at        TIMESTAMP WITH TIME ZONE NOT NULL,
  type      VARCHAR(8)    NOT NULL,  -- Normal | Warning
  reason    VARCHAR(128)  NOT NULL,
  message   VARCHAR(2048) NOT NULL
);
CREATE INDEX events_by_service ON events (service, id);

CREATE TABLE certificates (
  name        VARCHAR(253)  PRIMARY KEY,  -- the primary hostname
  domains     VARCHAR(4096) NOT NULL,     -- every name it covers, comma-separated
  issuer      VARCHAR(64)   NOT NULL,     -- acme | local-ca
  status      VARCHAR(16)   NOT NULL,     -- valid | pending | failed
  serial      VARCHAR(128),
  not_before  TIMESTAMP WITH TIME ZONE,
  not_after   TIMESTAMP WITH TIME ZONE,
  fingerprint VARCHAR(128),
  chain_path  VARCHAR(4096),
  key_path    VARCHAR(4096),
  last_error  VARCHAR(2048),
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
