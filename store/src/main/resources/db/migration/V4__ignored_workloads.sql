-- Workloads found on the node without Berth's labels: adopted as "ignored",
-- reported and never touched. Their fields come from runtimes Berth does not
-- control, hence the generous widths.
CREATE TABLE ignored_workloads (
  runtime     VARCHAR(64)   NOT NULL,  -- the runtime's name (podman, qemu, ...)
  workload_id VARCHAR(256)  NOT NULL,  -- the runtime's id for it
  name        VARCHAR(1024),
  kind        VARCHAR(32),
  image       VARCHAR(4096),
  state       VARCHAR(32),
  first_seen  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  last_seen   TIMESTAMP(6) WITH TIME ZONE NOT NULL,  -- refreshed on disk only with a change
  PRIMARY KEY (runtime, workload_id)
);
