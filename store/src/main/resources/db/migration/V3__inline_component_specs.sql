-- Component specs move from CLOB to an inline VARCHAR: H2 keeps LOBs apart from
-- their rows, and reading 30 000 of them took 0.2-1.2 s against 2 ms for the
-- rows alone. A component serializes to a few hundred characters; the store
-- refuses one above 1 000 000 before writing it.
ALTER TABLE components ALTER COLUMN spec SET DATA TYPE VARCHAR(1000000);
