-- What operators declare. Version 1 of Berth's registry held only this.

CREATE TABLE services (
  name          VARCHAR(63)   PRIMARY KEY,
  generation    BIGINT        NOT NULL,  -- bumped by every change; optimistic concurrency
  source        VARCHAR(1024) NOT NULL,  -- who applied it; prune only touches its own source
  desired_state VARCHAR(16)   NOT NULL,
  node          VARCHAR(253),
  comment       VARCHAR(1024),
  created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX services_by_source ON services (source);

CREATE TABLE components (
  service  VARCHAR(63) NOT NULL REFERENCES services (name) ON DELETE CASCADE,
  name     VARCHAR(63) NOT NULL,
  position INT         NOT NULL,  -- declaration order
  runtime  VARCHAR(16) NOT NULL,
  spec     CLOB        NOT NULL,  -- the whole component as canonical JSON (SpecJson)
  PRIMARY KEY (service, name)
);

-- Routes again as rows, so that the database itself refuses two claims of one
-- listener port and hostname, whichever services they come from.
CREATE TABLE routes (
  service       VARCHAR(63)  NOT NULL,
  component     VARCHAR(63)  NOT NULL,
  name          VARCHAR(63)  NOT NULL,
  listener_port INT          NOT NULL,
  hostname      VARCHAR(253) NOT NULL,
  mode          VARCHAR(4)   NOT NULL,
  PRIMARY KEY (service, component, name),
  FOREIGN KEY (service, component) REFERENCES components (service, name) ON DELETE CASCADE,
  CONSTRAINT route_claim UNIQUE (listener_port, hostname)
);
