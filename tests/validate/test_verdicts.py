"""The publishing gate of raw loads: each validation's verdict, releases and operator accepts."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from validate_helpers import WINDOW, dossier

from include.validate import accept_load, validate_loads
from include.validate.__main__ import main
from include.validate.verdicts import VerdictError, held_loads

GOOD = [dossier(f"H33-{n:04d}") for n in range(3)]
BAD = [*GOOD, dossier("H33-0999", TrangThaiHoSo="11")]  # 1 of 4: beyond any tolerance


def validate(dsn, load_ids, landing, tmp_path):
    return validate_loads(dsn, load_ids, landing_root=landing.root, output=tmp_path / "v")


def verdicts(dsn: str) -> dict[int, tuple]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT load_id, verdict, release_seq, decided_by, reason FROM ops.load_verdict"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def test_each_validation_records_a_verdict_releases_are_numbered_and_final(
    load, landing, fresh_dsn, tmp_path
):
    # `never` holds other records: the same records again would be `later` again (a repeat).
    good, bad, later, never = load(GOOD), load(BAD), load(GOOD), load(GOOD[:2])

    validate(fresh_dsn, [good, bad, later], landing, tmp_path)

    found = verdicts(fresh_dsn)
    assert {k: v[0] for k, v in found.items()} == {good: "passed", bad: "failed", later: "passed"}
    assert found[bad][1] is None
    assert found[good][1] < found[later][1]  # released in the order they passed
    # Only a failed load is accepted, and only with a reason; nothing changes otherwise.
    for load_id, reason, refusal in [
        (good, "looks fine", "already passed"),
        (never, "looks fine", "never validated"),
        (bad, "  ", "needs a reason"),
    ]:
        with pytest.raises(VerdictError, match=refusal):
            accept_load(fresh_dsn, load_id, reason=reason, by="operator", landing_root=landing.root)
    assert verdicts(fresh_dsn) == found
    # A release is final: its rows may be in the marts already, whatever a later run finds.
    with psycopg.connect(fresh_dsn) as conn:
        conn.execute("DELETE FROM onestop.hoso WHERE load_id = %s", (good,))
    [again] = validate(fresh_dsn, [good], landing, tmp_path)
    assert not again.passed and verdicts(fresh_dsn)[good] == found[good]


def test_an_operator_accepts_a_failed_load_with_the_command(
    load, landing, fresh_dsn, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("DTI_LANDING_DIR", str(landing.root))
    monkeypatch.setenv("DTI_VALIDATION_DIR", str(tmp_path / "v"))
    load_id = load(BAD)
    validate(fresh_dsn, [load_id], landing, tmp_path)

    assert main(["--dsn", fresh_dsn, "held"]) == 0
    listed = capsys.readouterr().out
    assert f"load {load_id} onestop.hoso" in listed and "failed validation" in listed
    assert "[blocking] onestop.hoso: expect_column_values_to_be_in_set(TrangThaiHoSo)" in listed

    reason = "status 11 is the portal's test status"
    assert main(["--dsn", fresh_dsn, "accept", str(load_id), "--reason", reason, "--by", "an"]) == 0

    assert f"load {load_id} accepted by an" in capsys.readouterr().out
    verdict, release, by, kept_reason = verdicts(fresh_dsn)[load_id]
    assert (verdict, by, kept_reason) == ("accepted", "an", reason) and release is not None
    # Accepted as it is, except its records invalid under the spec: those count nowhere.
    with psycopg.connect(fresh_dsn) as conn:
        kept = conn.execute("SELECT count(*) FROM onestop.hoso").fetchone()[0]
        held = conn.execute("SELECT record->>'MaHoSo', stage FROM ops.quarantine").fetchall()
    assert (kept, held) == (3, [("H33-0999", "validation")])
    assert main(["--dsn", fresh_dsn, "accept", str(load_id), "--reason", "again"]) == 1
    assert "already accepted" in capsys.readouterr().err
    assert main(["--dsn", fresh_dsn, "held"]) == 0
    assert capsys.readouterr().out.strip() == "no load is held back"


def test_held_loads_are_listed_until_a_later_released_load_covers_them(
    load, landing, fresh_dsn, tmp_path
):
    month = (WINDOW[0].replace(day=1), WINDOW[0].replace(day=1) + dt.timedelta(days=27))
    failed = load(BAD, window=month)
    never = load(GOOD, window=month)
    validate(fresh_dsn, [failed], landing, tmp_path)
    with psycopg.connect(fresh_dsn) as conn:
        assert [(h.load_id, h.verdict) for h in held_loads(conn)] == [
            (failed, "failed"),
            (never, None),
        ]

    covering = load(GOOD, window=month)  # the window re-extracted after the source was fixed
    validate(fresh_dsn, [covering], landing, tmp_path)

    with psycopg.connect(fresh_dsn) as conn:
        assert held_loads(conn) == []
