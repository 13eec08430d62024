-- Repeated identical events become one series, as Kubernetes' event series: the event keeps
-- its id and its first time (at), and counts how often it happened and when it last did. A
-- failure retried all day is one row, not the whole bounded history.
ALTER TABLE events ADD COLUMN count INT DEFAULT 1 NOT NULL;
ALTER TABLE events ADD COLUMN last_at TIMESTAMP WITH TIME ZONE;
UPDATE events SET last_at = at;
ALTER TABLE events ALTER COLUMN last_at SET NOT NULL;

-- The history is ordered by when each event last happened: a series that repeats moves to the
-- end of its service's history, and is the last to be trimmed. seq grows with every recording,
-- repetitions included (ids only grow with new rows).
ALTER TABLE events ADD COLUMN seq BIGINT;
UPDATE events SET seq = id;
ALTER TABLE events ALTER COLUMN seq SET NOT NULL;
DROP INDEX events_by_service;
CREATE INDEX events_by_service ON events (service, seq);
CREATE INDEX events_by_seq ON events (seq);
