-- A route holds two host ports: the component is replaced beside its old workload on the one the
-- old does not use, so the two can run at once. Existing allocations keep their port as the
-- first; the spare is allocated when the route first needs it, so an upgrade replaces nothing.
ALTER TABLE port_allocations ADD COLUMN spare_host_port INT;
ALTER TABLE port_allocations ADD CONSTRAINT one_owner_per_spare_port UNIQUE (spare_host_port);
