-- Who this registry is. Every workload Berth creates carries the id in a label, so that a
-- registry never removes what another one created: a registry file lost and made anew, or a data
-- directory pointed elsewhere, must not take the node's workloads for undeclared ones.
CREATE TABLE registry_identity (
  id                VARCHAR(36) NOT NULL PRIMARY KEY,
  created_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
  -- A registry upgraded from before identities made the workloads that carry no registry label;
  -- a new one did not.
  claims_unlabelled BOOLEAN NOT NULL,
  -- Written at every open: an agent that cannot write its registry must not start.
  last_opened_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

INSERT INTO registry_identity (id, created_at, claims_unlabelled, last_opened_at)
SELECT CAST(RANDOM_UUID() AS VARCHAR(36)), CURRENT_TIMESTAMP,
       EXISTS (SELECT 1 FROM services)
       OR EXISTS (SELECT 1 FROM port_allocations)
       OR EXISTS (SELECT 1 FROM component_status),
       CURRENT_TIMESTAMP;

-- Other registries whose workloads the operator handed over to this one.
CREATE TABLE adopted_registries (
  id         VARCHAR(36) NOT NULL PRIMARY KEY,
  adopted_at TIMESTAMP(6) WITH TIME ZONE NOT NULL
);

-- An ignored workload may carry Berth's labels, but another registry's id: reported with it.
-- NULL: not made by Berth; 'unlabelled': made by a Berth older than registry ids.
ALTER TABLE ignored_workloads ADD COLUMN owner_registry VARCHAR(256);
