"""DDL of the raw tables (one schema per source) and the operational tables (schema ``ops``).

Raw tables keep every record as landed (``record`` JSONB, personal data already removed by the
extractor) with where it came from: the load, and the line of the landed file (``line_no``,
1-based), which names a record even when its key is missing or repeated. ``record_key`` is
computed by PostgreSQL from the record, so the loader can stream landed JSON lines straight into
``COPY`` without parsing them in Python.

Every statement is idempotent and also upgrades a warehouse created by an earlier version (new
columns are added, the ledger's uniqueness moves from the data file's checksum to the landed
file), so ``ensure_schema`` is all a deployment runs.
"""

from __future__ import annotations

from include.sources import registry

#: (source, entity) -> SQL expression of the record's key over column ``record``, from the key
#: fields the registry declares (include/sources/registry.yaml).
RAW_TABLES: dict[tuple[str, str], str] = {
    (entity.source, entity.name): entity.record_key_sql for entity in registry.all_entities()
}

SOURCES = registry.SLUGS

#: Where a quarantined record was set aside (``ops.quarantine.stage``).
QUARANTINE_STAGES = ("extract", "load", "validation")


def raw_table_ddl(source: str, entity: str) -> str:
    key = RAW_TABLES[(source, entity)]
    return f"""
CREATE TABLE IF NOT EXISTS {source}.{entity} (
    load_id      bigint      NOT NULL REFERENCES ops.load_ledger (load_id),
    extract_id   text        NOT NULL,
    landing_file text        NOT NULL,
    extracted_at timestamptz NOT NULL,
    window_start date,
    window_end   date,
    record       jsonb       NOT NULL,
    record_key   text GENERATED ALWAYS AS ({key}) STORED,
    line_no      integer
);
ALTER TABLE {source}.{entity} ADD COLUMN IF NOT EXISTS line_no integer;
CREATE INDEX IF NOT EXISTS {entity}_load_id_idx ON {source}.{entity} (load_id);
-- The key's expression is kept as the column's comment: a table whose key was computed by an
-- earlier expression gets the column computed again (PostgreSQL 16 cannot alter it in place).
DO $upgrade$
BEGIN
    IF col_description('{source}.{entity}'::regclass,
            (SELECT attnum FROM pg_attribute
             WHERE attrelid = '{source}.{entity}'::regclass AND attname = 'record_key'))
        IS DISTINCT FROM {_literal(key)} THEN
        ALTER TABLE {source}.{entity} DROP COLUMN record_key;
        ALTER TABLE {source}.{entity} ADD COLUMN record_key text GENERATED ALWAYS AS ({key}) STORED;
        COMMENT ON COLUMN {source}.{entity}.record_key IS {_literal(key)};
    END IF;
END
$upgrade$;
"""


def _literal(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


OPS_DDL = """
CREATE SCHEMA IF NOT EXISTS ops;

-- One row per landed file loaded. The landed file (its path in the landing area, unique per
-- extract) makes a second load of the same extract a no-op. Two extracts with the same data
-- are two loads unless the second is the window's latest load again (ops.load_repeat): two empty
-- listings whose quarantines differ, a snapshot that went A -> B -> A, are new loads.
CREATE TABLE IF NOT EXISTS ops.load_ledger (
    load_id       bigserial   PRIMARY KEY,
    sha256        text        NOT NULL,
    source        text        NOT NULL,
    entity        text        NOT NULL,
    mode          text        NOT NULL CHECK (mode IN ('incremental', 'snapshot')),
    extract_id    text        NOT NULL,
    landing_file  text        NOT NULL,
    window_start  date        NOT NULL,
    window_end    date        NOT NULL,
    extracted_at  timestamptz NOT NULL,
    loaded_at     timestamptz NOT NULL DEFAULT now(),
    record_count  integer     NOT NULL,
    quarantined   integer     NOT NULL
);
ALTER TABLE ops.load_ledger DROP CONSTRAINT IF EXISTS load_ledger_sha256_key;
CREATE UNIQUE INDEX IF NOT EXISTS load_ledger_landing_file_key
    ON ops.load_ledger (landing_file);
-- What the extract's quarantine held (include/load/loader.py, quarantine_digest): with sha256,
-- what tells a window extracted again unchanged from a new state of it.
ALTER TABLE ops.load_ledger ADD COLUMN IF NOT EXISTS quarantine_sha256 text;

-- Landed files that are an earlier load again: the same window extracted once more and found
-- exactly as its latest load left it (same data file, same quarantine). Re-extracting a range
-- then changes nothing in the warehouse, not even which load the records came from.
CREATE TABLE IF NOT EXISTS ops.load_repeat (
    landing_file text        PRIMARY KEY,
    load_id      bigint      NOT NULL REFERENCES ops.load_ledger (load_id),
    extract_id   text        NOT NULL,
    extracted_at timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

-- Records that broke their source's spec, with the reason (already without personal data):
-- set aside by the extractor, by the loader (a value PostgreSQL cannot store) or by validation
-- (a record-level check, within the tolerance).
CREATE TABLE IF NOT EXISTS ops.quarantine (
    quarantine_id bigserial   PRIMARY KEY,
    load_id       bigint      NOT NULL REFERENCES ops.load_ledger (load_id),
    source        text        NOT NULL,
    entity        text        NOT NULL,
    extract_id    text        NOT NULL,
    reason        text        NOT NULL,
    record        jsonb       NOT NULL,
    stage         text        NOT NULL DEFAULT 'extract',
    line_no       integer
);
ALTER TABLE ops.quarantine ADD COLUMN IF NOT EXISTS stage text NOT NULL DEFAULT 'extract';
ALTER TABLE ops.quarantine ADD COLUMN IF NOT EXISTS line_no integer;
CREATE INDEX IF NOT EXISTS quarantine_load_id_idx ON ops.quarantine (load_id);

-- One row per source/entity/load: what was extracted, loaded and quarantined, and how long.
CREATE TABLE IF NOT EXISTS ops.load_audit (
    load_id          bigint      PRIMARY KEY REFERENCES ops.load_ledger (load_id),
    source           text        NOT NULL,
    entity           text        NOT NULL,
    extracted        integer     NOT NULL,
    loaded           integer     NOT NULL,
    quarantined      integer     NOT NULL,
    extract_seconds  numeric     NOT NULL,
    load_seconds     numeric     NOT NULL,
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz NOT NULL
);

-- The publishing gate of raw loads (include/validate/verdicts.py): a load without a row was
-- never validated. Only 'passed' and 'accepted' loads carry a release number, and dbt reads
-- only loads that have one; the number orders releases, so an incremental build knows which
-- releases it has not read yet (dbt_project/macros/text_cleaning.sql, new_loads_only).
CREATE SEQUENCE IF NOT EXISTS ops.load_release_seq;
CREATE TABLE IF NOT EXISTS ops.load_verdict (
    load_id     bigint      PRIMARY KEY REFERENCES ops.load_ledger (load_id),
    verdict     text        NOT NULL CHECK (verdict IN ('passed', 'failed', 'accepted')),
    release_seq bigint      UNIQUE,
    decided_at  timestamptz NOT NULL DEFAULT now(),
    decided_by  text        NOT NULL,
    message     text,
    reason      text,
    CHECK ((verdict = 'failed') = (release_seq IS NULL)),
    CHECK (verdict <> 'accepted' OR coalesce(btrim(reason), '') <> '')
);
"""


def all_ddl() -> str:
    """Every statement needed before a load (idempotent)."""
    parts = [OPS_DDL]
    parts += [f"CREATE SCHEMA IF NOT EXISTS {source};" for source in SOURCES]
    parts += [raw_table_ddl(source, entity) for source, entity in RAW_TABLES]
    return "\n".join(parts)
