-- SQLite turns the incidents' uniqueness constraint into a named index here, so that a large
-- first import can build it by sorting (see the SQLite migration). PostgreSQL keeps its
-- constraint: its imports insert through ON CONFLICT and never drop indexes. Nothing changes.
SELECT 1;
