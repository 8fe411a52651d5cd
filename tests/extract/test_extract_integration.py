"""End to end over real HTTP: each simulator with every fault on, the landed records checked
against the simulator's ground truth; personal data searched for everywhere; immutability,
replay without a portal, and the refusals.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import hmac
import io
import json
import logging
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import requests

from include.connections import ConfigurationError, SourceConnection
from include.extract import AuthenticationError, ExtractSettings, extract_source
from include.extract.qlvb import UNIT_FIELD
from include.landing import LandingArea
from include.pii import APPLICANT_KEY_FIELD
from include.scenario import DataFaults, build_scenario
from include.scenario.model import Scenario
from include.simulators import (
    DEMO_CREDENTIALS,
    DvcPortalSimulator,
    FaultConfig,
    OnestopSimulator,
    QlvbSimulator,
)

pytestmark = pytest.mark.slow

SEED = 20230
CONN_IDS = {"onestop": "onestop_api", "qlvb": "qlvb_api", "dvc_portal": "dvc_portal_api"}
SIMULATORS = {"onestop": OnestopSimulator, "qlvb": QlvbSimulator, "dvc_portal": DvcPortalSimulator}
ENTITIES = {
    "onestop": ("donvi", "hoso", "tientrinh"),
    "qlvb": ("donvi", "den", "di", "hscv"),
    "dvc_portal": ("services", "payments", "ratings"),
}
KEYS = {
    ("onestop", "donvi"): ("MaDonVi",),
    ("onestop", "hoso"): ("MaHoSo",),
    ("onestop", "tientrinh"): ("MaHoSo", "ThoiDiemXuLy", "TrangThai"),
    ("qlvb", "donvi"): ("id",),
    ("qlvb", "den"): (UNIT_FIELD, "Mã văn bản"),
    ("qlvb", "di"): (UNIT_FIELD, "Mã văn bản"),
    ("qlvb", "hscv"): (UNIT_FIELD, "Mã hồ sơ"),
    ("dvc_portal", "services"): ("serviceId",),
    ("dvc_portal", "payments"): ("transactionId",),
    ("dvc_portal", "ratings"): ("ratingId",),
}
ONESTOP_PII = ("ChuHoSo", "SoGiayToChuHoSo", "SoDienThoai", "Email", "DiaChi", "TrichYeuHoSo")
ONESTOP_PII += ("DinhDanhCHS", "NoiDungXuLy")
QLVB_PII = ("Trích yếu", "Tiêu đề", "Nơi nhận")
HMAC_KEY = b"integration-test-hmac-key-0123456789"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return build_scenario("small", SEED, data_faults=DataFaults.all())


@pytest.fixture
def settings() -> ExtractSettings:
    # Client timeouts (1 s) well under the simulator's hangs (3 s); no real sleeping; small
    # pages so listings span several pages and drift can strike between them.
    return ExtractSettings(
        connect_timeout=1.0,
        read_timeout=1.0,
        page_size=200,
        sleep=lambda seconds: None,
    )


def _connection(source: str, url: str, password: str | None = None) -> SourceConnection:
    credentials = DEMO_CREDENTIALS[source]
    return SourceConnection.from_url(
        CONN_IDS[source], url, credentials["login"], password or credentials["password"]
    )


def _span(scenario: Scenario) -> tuple[dt.date, dt.date]:
    # Records drift to the simulator clock, after scenario.now: include the following day.
    return scenario.start, max(scenario.end, scenario.now.date()) + dt.timedelta(days=1)


# ---------------------------------------------------------------- expected records
def _applicant_key(id_number: Any) -> str | None:
    if id_number in (None, ""):
        return None
    normalised = "".join(str(id_number).split()).replace(".", "").replace("-", "").upper()
    return hmac.new(HMAC_KEY, normalised.encode(), hashlib.sha256).hexdigest()


def _expected(source: str, entity: str, record: dict[str, Any]) -> dict[str, Any]:
    """The record as the extractor must land it, computed independently of include.pii."""
    out: dict[str, Any] = {}
    for name, value in record.items():
        if name.startswith("_"):
            continue
        if source == "onestop" and name in ONESTOP_PII:
            continue
        if source == "qlvb" and name in QLVB_PII:
            continue
        if source == "qlvb" and entity != "donvi":
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif value == "":
                value = None
        out[name] = value
    if source == "onestop" and "SoGiayToChuHoSo" in record:
        out[APPLICANT_KEY_FIELD] = _applicant_key(record["SoGiayToChuHoSo"])
    if source == "qlvb" and entity != "donvi":
        out[UNIT_FIELD] = record["_unit_id"]
    return out


def _key(source: str, entity: str, record: dict[str, Any]) -> tuple:
    return tuple(record.get(name) for name in KEYS[(source, entity)])


def _canonical(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)


def _truth(sim, source: str, entity: str) -> list[dict[str, Any]]:
    return sim.current_records(entity)


# ---------------------------------------------------------------- the big runs
@pytest.fixture(scope="module")
def landed(scenario, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """Each source extracted once over the scenario's whole span, every fault on."""
    root = tmp_path_factory.mktemp("landing")
    area = LandingArea(root)
    runs: dict[str, Any] = {"area": area, "root": root}
    settings = ExtractSettings(
        connect_timeout=1.0, read_timeout=1.0, page_size=200, sleep=lambda s: None
    )
    start, end = _span(scenario)
    for source, simulator in SIMULATORS.items():
        with simulator(scenario, faults=FaultConfig.all(SEED)) as sim:
            manifests = extract_source(
                source,
                start,
                end,
                landing=area,
                connection=_connection(source, sim.url),
                settings=settings,
                hmac_key=HMAC_KEY,
            )
            runs[source] = {
                "manifests": manifests,
                "stats": sim.stats,
                "truth": {entity: _truth(sim, source, entity) for entity in ENTITIES[source]},
            }
    yield runs


@pytest.mark.parametrize("source", list(SIMULATORS))
def test_landed_records_equal_the_ground_truth(landed, source):
    area: LandingArea = landed["area"]
    run = landed[source]
    assert sum(run["stats"][name] for name in run["stats"] if name != "requests") > 0
    assert sum(m.timings.retries for m in run["manifests"]) > 0

    for entity in ENTITIES[source]:
        truth = run["truth"][entity]
        good = [r for r in truth if not r.get("_malformed")]
        expected = {
            _key(source, entity, e): e for e in (_expected(source, entity, r) for r in good)
        }
        assert len(expected) == len(good), f"{entity}: duplicate keys in the ground truth"
        got_list = area.latest_records(source, entity)
        got = {_key(source, entity, r): r for r in got_list}
        assert len(got) == len(got_list), f"{source} {entity}: duplicated records landed"
        missing = expected.keys() - got.keys()
        extra = got.keys() - expected.keys()
        assert not missing, (
            f"{source} {entity}: {len(missing)} records lost, e.g. {sorted(missing, key=str)[:3]}"
        )
        assert not extra, (
            f"{source} {entity}: {len(extra)} unexpected records, e.g. {sorted(extra, key=str)[:3]}"
        )
        differing = [k for k in expected if expected[k] != got[k]]
        assert not differing, f"{source} {entity}: {expected[differing[0]]} != {got[differing[0]]}"

        quarantined = [
            entry
            for manifest in run["manifests"]
            if manifest.entity == entity
            for entry in manifest.quarantine
        ]
        quarantined_records = {_canonical(entry.record) for entry in quarantined}
        assert all(entry.reason for entry in quarantined)
        for record in truth:
            if record.get("_malformed"):
                expected_record = _canonical(_expected(source, entity, record))
                assert expected_record in quarantined_records, (
                    f"{source} {entity}: malformed record not quarantined"
                )


def test_faults_fired(landed):
    faults = ("rate_limit", "server_error", "hang", "session_expiry", "drift", "duplicate_page")
    fired = {name: sum(landed[source]["stats"][name] for source in SIMULATORS) for name in faults}
    assert all(count > 0 for count in fired.values()), fired
    assert landed["onestop"]["stats"]["business_error"] > 0
    restarts = sum(m.timings.restarts for s in SIMULATORS for m in landed[s]["manifests"])
    assert restarts > 0


def test_every_malformed_kind_is_exercised(landed):
    malformed = sum(
        1
        for s in SIMULATORS
        for records in landed[s]["truth"].values()
        for r in records
        if r.get("_malformed")
    )
    assert malformed > 0


# ---------------------------------------------------------------- personal data
def _pii_values(scenario: Scenario) -> set[str]:
    values: set[str] = set()
    public: list[str] = []

    def collect(record: dict[str, Any], pii_fields: tuple[str, ...]) -> None:
        for name, value in record.items():
            if name.startswith("_") or not isinstance(value, str):
                continue
            text = unicodedata.normalize("NFC", value).strip()
            if name in pii_fields:
                values.add(text)
            else:
                public.append(text)

    for record in [*scenario.dossiers, *scenario.steps]:
        collect(record, ONESTOP_PII)
    for rows in scenario.documents.values():
        for row in rows:
            collect(row, QLVB_PII)
    for record in [
        *scenario.agencies,
        *scenario.qlvb_units,
        *scenario.services,
        *scenario.payments,
        *scenario.ratings,
    ]:
        collect(record, ())
    # A value that also occurs in public data (e.g. a confidential row's "(Văn bản mật)"
    # placeholder or a summary that equals a document type) proves nothing when found.
    public_text = "\n".join(public)
    return {v for v in values if len(v) >= 4 and v not in public_text}


def _landing_text(root: Path) -> str:
    parts = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            parts.append(gzip.decompress(data).decode("utf-8"))
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(io.BytesIO(data))
            parts.extend(
                str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
            )
        else:
            parts.append(data.decode("utf-8-sig"))
    return unicodedata.normalize("NFC", "\n".join(parts))


def test_personal_data_appears_nowhere(scenario, tmp_path, settings, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    area = LandingArea(tmp_path)
    start, end = _span(scenario)
    for source, simulator in SIMULATORS.items():
        with simulator(scenario, faults=FaultConfig.all(SEED + 1)) as sim:
            extract_source(
                source,
                start,
                end,
                landing=area,
                connection=_connection(source, sim.url),
                settings=settings,
                hmac_key=HMAC_KEY,
            )
    pii = _pii_values(scenario)
    assert len(pii) > 50
    haystacks = {
        "landing area": _landing_text(tmp_path),
        "logs": unicodedata.normalize("NFC", caplog.text),
        "stdout/stderr": unicodedata.normalize("NFC", "".join(capfd.readouterr())),
    }
    assert "onestop hoso window" in haystacks["logs"]  # the logs were captured
    for where, text in haystacks.items():
        leaked = [value for value in pii if value in text]
        assert not leaked, (
            f"{len(leaked)} personal-data values in the {where}, e.g. {leaked[0][:3]}…"
        )


# ---------------------------------------------------------------- immutability & replay
def _files(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_reextracting_adds_an_extract_and_replay_needs_no_portal(
    scenario, tmp_path, settings, monkeypatch
):
    area = LandingArea(tmp_path)
    # A calendar month with dossiers in it.
    middle = scenario.dossiers[len(scenario.dossiers) // 2]["NgayCapNhat"]
    first_day = dt.date(int(middle[:4]), int(middle[4:6]), 1)
    month = (first_day, (first_day + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1))
    with OnestopSimulator(scenario, faults=FaultConfig.none()) as sim:
        connection = _connection("onestop", sim.url)
        first = extract_source(
            "onestop",
            *month,
            landing=area,
            connection=connection,
            settings=settings,
            hmac_key=HMAC_KEY,
        )
        before = {m.extract_id: _files(m.directory) for m in first}
        second = extract_source(
            "onestop",
            *month,
            landing=area,
            connection=connection,
            settings=settings,
            hmac_key=HMAC_KEY,
        )

    assert {m.extract_id for m in first}.isdisjoint(m.extract_id for m in second)
    for manifest in first:
        assert _files(manifest.directory) == before[manifest.extract_id]
    for old, new in zip(first, second, strict=True):
        assert (old.entity, old.window, old.record_count) == (
            new.entity,
            new.window,
            new.record_count,
        )
        assert old.directory.parent == new.directory.parent

    def no_http(*args, **kwargs):
        raise AssertionError("replay must not call a portal")

    monkeypatch.setattr(requests.Session, "request", no_http)
    replayed = area.manifests("onestop", "hoso")
    assert len(replayed) == 2
    records = [list(area.read_records(manifest)) for manifest in replayed]
    assert records[0] == records[1]
    assert len(records[0]) == first[1].record_count > 0


# ---------------------------------------------------------------- refusals
def test_no_hmac_key_refuses_before_any_request(scenario, tmp_path, settings, monkeypatch):
    monkeypatch.delenv("AIRFLOW_VAR_DTI_PII_HMAC_KEY", raising=False)
    monkeypatch.setattr("include.connections._variable_from_airflow", lambda key: None)
    with OnestopSimulator(scenario) as sim:
        with pytest.raises(ConfigurationError, match="dti_pii_hmac_key"):
            extract_source(
                "onestop",
                scenario.start,
                scenario.start,
                landing=LandingArea(tmp_path),
                connection=_connection("onestop", sim.url),
                settings=settings,
            )
        assert sim.stats["requests"] == 0
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("source", list(SIMULATORS))
def test_bad_credentials_fail_clearly(scenario, tmp_path, settings, source):
    with SIMULATORS[source](scenario) as sim, pytest.raises(AuthenticationError) as raised:
        extract_source(
            source,
            scenario.start,
            scenario.start,
            landing=LandingArea(tmp_path),
            connection=_connection(source, sim.url, password="wrong-password"),
            settings=settings,
            hmac_key=HMAC_KEY,
        )
    assert str(raised.value).startswith(f"{source} ")
    assert CONN_IDS[source] in str(raised.value)
    assert "wrong-password" not in str(raised.value)
