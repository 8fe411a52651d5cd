"""DDL of the raw tables (one schema per source) and the operational tables (schema ``ops``).

Raw tables keep every record as landed (``record`` JSONB, personal data already removed by the
extractor) with where it came from. ``record_key`` is computed by PostgreSQL from the record, so
the loader can stream landed JSON lines straight into ``COPY`` without parsing them in Python.
"""

from __future__ import annotations

#: (source, entity) -> SQL expression of the record's key over column ``record``.
RAW_TABLES: dict[tuple[str, str], str] = {
    ("onestop", "donvi"): "record->>'MaDonVi'",
    ("onestop", "hoso"): "record->>'MaHoSo'",
    ("onestop", "tientrinh"): (
        "(record->>'MaHoSo') || '|' || (record->>'ThoiDiemXuLy') || '|' || (record->>'TrangThai')"
    ),
    ("qlvb", "donvi"): "record->>'id'",
    ("qlvb", "den"): "record->>'Mã văn bản'",
    ("qlvb", "di"): "record->>'Mã văn bản'",
    ("qlvb", "hscv"): "record->>'Mã hồ sơ'",
    ("dvc_portal", "services"): "record->>'serviceId'",
    ("dvc_portal", "payments"): "record->>'transactionId'",
    ("dvc_portal", "ratings"): "record->>'ratingId'",
}

SOURCES = tuple(dict.fromkeys(source for source, _ in RAW_TABLES))


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
    record_key   text GENERATED ALWAYS AS ({key}) STORED
);
CREATE INDEX IF NOT EXISTS {entity}_load_id_idx ON {source}.{entity} (load_id);
"""


OPS_DDL = """
CREATE SCHEMA IF NOT EXISTS ops;

-- One row per landed file loaded; the checksum makes a second load of the same file a no-op.
CREATE TABLE IF NOT EXISTS ops.load_ledger (
    load_id       bigserial   PRIMARY KEY,
    sha256        text        NOT NULL UNIQUE,
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

-- Records that broke their source's spec, with the reason (already without personal data).
CREATE TABLE IF NOT EXISTS ops.quarantine (
    quarantine_id bigserial   PRIMARY KEY,
    load_id       bigint      NOT NULL REFERENCES ops.load_ledger (load_id),
    source        text        NOT NULL,
    entity        text        NOT NULL,
    extract_id    text        NOT NULL,
    reason        text        NOT NULL,
    record        jsonb       NOT NULL
);

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
"""


def all_ddl() -> str:
    """Every statement needed before a load (idempotent)."""
    parts = [OPS_DDL]
    parts += [f"CREATE SCHEMA IF NOT EXISTS {source};" for source in SOURCES]
    parts += [raw_table_ddl(source, entity) for source, entity in RAW_TABLES]
    return "\n".join(parts)
