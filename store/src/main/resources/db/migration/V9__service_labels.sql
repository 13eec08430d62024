-- A service's own labels (ServiceSpec.labels), to select services by (`berth status -l tier=web`):
-- canonical JSON of the map (SpecJson.writeLabels), NULL for none, so that every service and
-- history entry of an older registry reads back as it was, without labels. Selection happens on
-- the agent over the specs it holds, so no index is needed. The rules of a label (a key of at most
-- 317 characters, a value of at most 63, at most 1024 of them) bound a map well below 1 000 000.
ALTER TABLE services ADD COLUMN labels VARCHAR(1000000);
ALTER TABLE service_history ADD COLUMN labels VARCHAR(1000000);
