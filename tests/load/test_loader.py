"""The raw load: COPY from the landing area, each file once, quarantine and audit kept."""

from __future__ import annotations

import datetime as dt
import os
import stat

import psycopg
import pytest

from include.landing import LandingArea, LandingError, QuarantineEntry, RecordIdentity
from include.load import load_landing
from include.load.loader import ensure_schema

DOSSIER_IDENTITY = RecordIdentity(("MaHoSo",), "NgayCapNhat", "yyyyMMddHHmmss")

# Awkward content on purpose: quotes, backslashes, a tab, NFD diacritics, an unknown field,
# nested lists - all must reach PostgreSQL byte-for-byte as JSON.
DOSSIERS = [
    {
        "MaHoSo": "H33.01-230101-0001",
        "TenTTHC": "Đăng ký khai sinh",
        "NgayCapNhat": "20230105080000",
        "TrangThaiHoSo": "10",
        "TaiLieuNop": [{"TepDinhKemId": "1", "DuocSoHoa": "1"}],
    },
    {
        "MaHoSo": "H33.01-230101-0002",
        "TenTTHC": 'Chu\u0301ng thư\u0323c "ba\u0309n sao" C:\\tmp\tx',
        "NgayCapNhat": "20230106090000",
        "TrangThaiHoSo": "4",
        "TruongMoi": {"a": [1, 2, None]},
    },
]
QUARANTINED = QuarantineEntry(
    reason="NgayTiepNhan: impossible date 20230231080000",
    record={"MaHoSo": "H33.01-230101-0003", "NgayTiepNhan": "20230231080000"},
)


def land(landing: LandingArea, records, quarantine=()):
    return landing.write_extract(
        source="onestop",
        entity="hoso",
        mode="incremental",
        window_start=dt.date(2023, 1, 1),
        window_end=dt.date(2023, 1, 31),
        records=records,
        started_at=dt.datetime(2023, 2, 1, 1, 0, tzinfo=dt.UTC),
        extractor_version="test",
        identity=DOSSIER_IDENTITY,
        quarantine=quarantine,
    )


def raw_rows(dsn: str) -> list[tuple]:
    with psycopg.connect(dsn) as conn:
        return conn.execute(
            "SELECT record_key, record, extract_id, window_start, window_end "
            "FROM onestop.hoso ORDER BY record_key"
        ).fetchall()


def test_records_arrive_verbatim_with_provenance(tmp_path, fresh_dsn):
    landing = LandingArea(tmp_path)
    manifest = land(landing, DOSSIERS, [QUARANTINED])

    [result] = load_landing(fresh_dsn, landing)

    assert result.new and result.loaded == 2 and result.quarantined == 1
    rows = raw_rows(fresh_dsn)
    assert [r[0] for r in rows] == ["H33.01-230101-0001", "H33.01-230101-0002"]
    assert [r[1] for r in rows] == DOSSIERS
    assert {(r[2], r[3], r[4]) for r in rows} == {
        (manifest.extract_id, dt.date(2023, 1, 1), dt.date(2023, 1, 31))
    }
    with psycopg.connect(fresh_dsn) as conn:
        quarantine = conn.execute(
            "SELECT source, entity, load_id, reason, record FROM ops.quarantine"
        ).fetchall()
        audit = conn.execute(
            "SELECT source, entity, extracted, loaded, quarantined FROM ops.load_audit"
        ).fetchall()
    assert quarantine == [
        ("onestop", "hoso", result.load_id, QUARANTINED.reason, QUARANTINED.record)
    ]
    assert audit == [("onestop", "hoso", 3, 2, 1)]


def test_loading_twice_is_a_no_op_and_replay_rebuilds_the_same(tmp_path, fresh_dsn, server_dsn):
    landing = LandingArea(tmp_path)
    land(landing, DOSSIERS[:1])
    land(landing, DOSSIERS[1:])
    first = load_landing(fresh_dsn, landing)
    second = load_landing(fresh_dsn, landing)

    assert [r.new for r in first] == [True, True]
    assert [r.new for r in second] == [False, False]
    assert len(raw_rows(fresh_dsn)) == 2

    # Replaying the whole landing area into an empty database gives the same raw table.
    replay_db = "t_replay_" + os.urandom(4).hex()
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {replay_db}")
    replay_dsn = fresh_dsn.replace(fresh_dsn.split("?")[0].rsplit("/", 1)[1], replay_db)
    try:
        load_landing(replay_dsn, landing)
        assert raw_rows(replay_dsn) == raw_rows(fresh_dsn)
    finally:
        with psycopg.connect(server_dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE {replay_db} WITH (FORCE)")


def test_an_altered_landing_file_is_refused_and_nothing_is_loaded(tmp_path, fresh_dsn):
    landing = LandingArea(tmp_path)
    manifest = land(landing, DOSSIERS)
    data = manifest.directory / manifest.data_file
    manifest.directory.chmod(stat.S_IRWXU)
    data.chmod(stat.S_IRUSR | stat.S_IWUSR)
    data.write_bytes(data.read_bytes()[:-3] + b"xyz")

    with pytest.raises(LandingError, match="checksum"):
        load_landing(fresh_dsn, landing)
    with psycopg.connect(fresh_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM ops.load_ledger").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM onestop.hoso").fetchone() == (0,)


def test_a_nul_character_quarantines_that_record_and_the_rest_loads(tmp_path, fresh_dsn):
    # JSON may carry U+0000 in a text field; PostgreSQL text cannot, and refused the whole COPY.
    broken = {**DOSSIERS[0], "MaHoSo": "H33.01-230101-0009", "TenTTHC": "Khai sinh\x00x"}
    held = QuarantineEntry("TrangThaiHoSo '12' is outside 1..10", {"MaHoSo": "H\x00", "x": 1})
    landing = LandingArea(tmp_path)
    manifest = land(landing, [DOSSIERS[0], broken, DOSSIERS[1]], [held])
    later = land(landing, DOSSIERS[1:])

    first, second = load_landing(fresh_dsn, landing, manifests=[manifest, later])

    assert (first.loaded, first.quarantined) == (2, 2)
    assert second.new and second.loaded == 1
    assert [r[0] for r in raw_rows(fresh_dsn)] == [
        "H33.01-230101-0001",
        "H33.01-230101-0002",
        "H33.01-230101-0002",
    ]
    with psycopg.connect(fresh_dsn) as conn:
        quarantine = conn.execute(
            "SELECT stage, line_no, reason, record FROM ops.quarantine ORDER BY quarantine_id"
        ).fetchall()
        ledger = conn.execute(
            "SELECT record_count, quarantined FROM ops.load_ledger WHERE load_id = %s",
            (first.load_id,),
        ).fetchone()
        lines = conn.execute(
            "SELECT line_no FROM onestop.hoso WHERE load_id = %s ORDER BY line_no",
            (first.load_id,),
        ).fetchall()
    assert [(q[0], q[1]) for q in quarantine] == [("extract", None), ("load", 2)]
    assert quarantine[0][3] == {"MaHoSo": "H\ufffd", "x": 1}
    assert quarantine[1][2].startswith("TenTTHC: a NUL character (U+0000)")
    assert quarantine[1][3] == {**broken, "TenTTHC": "Khai sinh\ufffdx"}
    assert ledger == (2, 2)  # the loader's counts: 2 in the raw table, 2 quarantined
    assert lines == [(1,), (3,)]  # each row keeps its line in the landed file


def test_two_extracts_with_the_same_content_are_two_loads(tmp_path, fresh_dsn):
    # Two empty listings of a window land identical data files; their quarantines differ.
    landing = LandingArea(tmp_path)
    first_held = QuarantineEntry("missing MaHoSo", {"TrangThaiHoSo": "4"})
    second_held = QuarantineEntry("impossible date", {"MaHoSo": "X", "NgayTiepNhan": "0"})
    one, two = land(landing, [], [first_held]), land(landing, [], [second_held])
    assert one.sha256 == two.sha256

    results = load_landing(fresh_dsn, landing)

    assert [r.new for r in results] == [True, True]
    with psycopg.connect(fresh_dsn) as conn:
        reasons = conn.execute("SELECT reason FROM ops.quarantine ORDER BY load_id").fetchall()
    assert reasons == [("missing MaHoSo",), ("impossible date",)]


def test_a_snapshot_that_returns_to_an_earlier_state_is_loaded_again(tmp_path, fresh_dsn):
    # A -> B -> A: the third extract is the latest state and must be in the warehouse.
    landing = LandingArea(tmp_path)
    state_a, state_b = DOSSIERS[:1], DOSSIERS[1:]
    extracts = [land(landing, state) for state in (state_a, state_b, state_a)]
    assert extracts[0].sha256 == extracts[2].sha256

    results = load_landing(fresh_dsn, landing)

    assert [r.new for r in results] == [True, True, True]
    with psycopg.connect(fresh_dsn) as conn:
        latest = conn.execute(
            "SELECT record_key FROM onestop.hoso WHERE load_id = ("
            "SELECT max(load_id) FROM ops.load_ledger)"
        ).fetchall()
    assert latest == [("H33.01-230101-0001",)]


def test_a_window_extracted_again_unchanged_is_its_latest_load_again(tmp_path, fresh_dsn):
    # warehouse.md §2: the same range twice changes nothing, not even the records' lineage.
    landing = LandingArea(tmp_path)
    land(landing, DOSSIERS, [QUARANTINED])
    [first] = load_landing(fresh_dsn, landing)
    again = land(landing, DOSSIERS, [QUARANTINED])

    [repeat] = load_landing(fresh_dsn, landing, manifests=[again])
    [replayed] = load_landing(fresh_dsn, landing, manifests=[again])

    assert (repeat.new, repeat.load_id, repeat.loaded) == (False, first.load_id, 0)
    assert (replayed.new, replayed.load_id) == (False, first.load_id)
    with psycopg.connect(fresh_dsn) as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM ops.load_ledger), (SELECT count(*) FROM onestop.hoso),"
            " (SELECT count(*) FROM ops.quarantine),"
            " (SELECT array_agg(extract_id) FROM ops.load_repeat)"
        ).fetchone()
    assert counts == (1, 2, 1, [again.extract_id])


def test_a_repeat_is_only_of_the_same_window_and_its_latest_load(tmp_path, fresh_dsn):
    landing = LandingArea(tmp_path)
    january = land(landing, DOSSIERS[:1])
    load_landing(fresh_dsn, landing)
    # The same records in a wider window (overlapping January) are a new load...
    wider = landing.write_extract(
        source="onestop",
        entity="hoso",
        mode="incremental",
        window_start=dt.date(2023, 1, 1),
        window_end=dt.date(2023, 2, 28),
        records=DOSSIERS[:1],
        started_at=dt.datetime(2023, 3, 1, 1, 0, tzinfo=dt.UTC),
        extractor_version="test",
        identity=DOSSIER_IDENTITY,
    )
    [wide] = load_landing(fresh_dsn, landing, manifests=[wider])
    # ...and after it January again is not January's load again: a later load came between.
    again = land(landing, DOSSIERS[:1])
    [after] = load_landing(fresh_dsn, landing, manifests=[again])

    assert wider.sha256 == january.sha256 == again.sha256
    assert wide.new and after.new


def test_a_file_loaded_before_names_its_earlier_load(tmp_path, fresh_dsn):
    landing = LandingArea(tmp_path)
    land(landing, DOSSIERS)
    [first] = load_landing(fresh_dsn, landing)

    [again] = load_landing(fresh_dsn, landing)

    assert (again.new, again.load_id, again.loaded) == (False, first.load_id, 0)


def test_a_warehouse_of_the_earlier_schema_is_upgraded(tmp_path, fresh_dsn):
    # The ledger used to be unique on the data file's checksum, raw rows had no line numbers.
    with psycopg.connect(fresh_dsn) as conn:
        conn.execute(
            "CREATE SCHEMA ops; CREATE TABLE ops.load_ledger (load_id bigserial PRIMARY KEY, "
            "sha256 text NOT NULL UNIQUE, source text NOT NULL, entity text NOT NULL, "
            "mode text NOT NULL, extract_id text NOT NULL, landing_file text NOT NULL, "
            "window_start date NOT NULL, window_end date NOT NULL, "
            "extracted_at timestamptz NOT NULL, loaded_at timestamptz NOT NULL DEFAULT now(), "
            "record_count integer NOT NULL, quarantined integer NOT NULL)"
        )
    landing = LandingArea(tmp_path)
    land(landing, [])
    land(landing, [], [QUARANTINED])  # the same (empty) data file, another quarantine

    assert [r.new for r in load_landing(fresh_dsn, landing)] == [True, True]


def test_a_raw_table_keyed_by_an_earlier_expression_is_keyed_again(fresh_dsn):
    # Steps used to be keyed by dossier, second and status only.
    with psycopg.connect(fresh_dsn) as conn:
        ensure_schema(conn)
        conn.execute(
            "DROP TABLE onestop.tientrinh; CREATE TABLE onestop.tientrinh (load_id bigint, "
            "extract_id text, landing_file text, extracted_at timestamptz, window_start date, "
            "window_end date, record jsonb, record_key text GENERATED ALWAYS AS ("
            "(record->>'MaHoSo') || '|' || (record->>'ThoiDiemXuLy') || '|' || "
            "(record->>'TrangThai')) STORED, line_no integer)"
        )
        conn.execute(
            "INSERT INTO onestop.tientrinh (record) VALUES (%s)",
            (
                '{"MaHoSo": "H1", "ThoiDiemXuLy": "20230105100000", "TrangThai": "4", '
                '"MaDonVi": "D", "PhongBanXuLy": "Tư pháp"}',
            ),
        )
        conn.commit()

        ensure_schema(conn)
        ensure_schema(conn)  # and once keyed again, left alone

        assert conn.execute("SELECT record_key FROM onestop.tientrinh").fetchall() == [
            ("H1|20230105100000|4|D|Tư pháp|",)
        ]
