"""End to end over real HTTP: each simulator with every fault on, the landed records checked
against the simulator's ground truth; personal data searched for everywhere; immutability,
replay without a portal, and the refusals.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import io
import json
import logging
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import requests
from soak.truth import ENTITIES, ONESTOP_PII, QLVB_PII, expected
from soak.truth import canonical as _canonical
from soak.truth import record_key as _key

from include.connections import CONNECTION_IDS, ConfigurationError, SourceConnection
from include.extract.http import AuthenticationError, ExtractSettings
from include.extract.sources import extract_source
from include.landing import LandingArea
from include.scenario import DataFaults, build_scenario
from include.scenario.model import Scenario
from include.simulators import DEMO_CREDENTIALS, FaultConfig, OnestopSimulator
from include.sources import registry

pytestmark = pytest.mark.slow

SEED = 20230
SIMULATORS = registry.simulators()
HMAC_KEY = b"integration-test-hmac-key-0123456789"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return build_scenario("small", SEED, data_faults=DataFaults.all())


def _fast_settings() -> ExtractSettings:
    # Client timeouts (1 s; 2 s for exports, which take 0.5 s) well under the simulator's
    # hangs (3 s); no real sleeping; small pages so listings span several pages and drift can
    # strike between them.
    return ExtractSettings(
        connect_timeout=1.0,
        read_timeout=1.0,
        export_read_timeout=2.0,
        page_size=200,
        concurrency=4,
        sleep=lambda seconds: None,
    )


@pytest.fixture
def settings() -> ExtractSettings:
    return _fast_settings()


def _connection(source: str, url: str, password: str | None = None) -> SourceConnection:
    credentials = DEMO_CREDENTIALS[source]
    return SourceConnection.from_url(
        CONNECTION_IDS[source], url, credentials["login"], password or credentials["password"]
    )


def _span(scenario: Scenario, source: str) -> tuple[dt.date, dt.date]:
    """The range that holds every record the simulator of ``source`` can serve.

    QLVB registers hold what was registered in the scenario's dates. A listing record whose
    window field is corrupted (``ThoiDiemXuLy`` of 30 February) is listed where the source
    sorts it, in the calendar month its text says: listings start with the year. Records drift
    to the simulator clock, after ``scenario.now``: listings end a day later.
    """
    if source == "qlvb":
        return scenario.start, scenario.end
    return (
        scenario.start.replace(month=1, day=1),
        max(scenario.end, scenario.now.date()) + dt.timedelta(days=1),
    )


# ---------------------------------------------------------------- expected records
def _expected(source: str, entity: str, record: dict[str, Any]) -> dict[str, Any]:
    return expected(source, entity, record, HMAC_KEY)


# ---------------------------------------------------------------- the big runs
class _LogCapture(logging.Handler):
    """Every log record of the run, formatted with its traceback (a module-scoped caplog)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(scope="module")
def landed(scenario, tmp_path_factory) -> Iterator[dict[str, Any]]:
    """Each source extracted once over the scenario's whole span, every fault on.

    The run's logs and stdout/stderr are captured for the personal-data check; module scope
    (one extraction for all the checks) rules out the function-scoped caplog/capfd.
    """
    root = tmp_path_factory.mktemp("landing")
    area = LandingArea(root)
    runs: dict[str, Any] = {"area": area, "root": root}
    settings = _fast_settings()
    capture = _LogCapture()
    root_logger = logging.getLogger()
    previous_level = root_logger.level
    root_logger.addHandler(capture)
    root_logger.setLevel(logging.DEBUG)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            for source, simulator in SIMULATORS.items():
                with simulator(scenario, faults=FaultConfig.all(SEED)) as sim:
                    started = time.perf_counter()
                    manifests = extract_source(
                        source,
                        *_span(scenario, source),
                        landing=area,
                        connection=_connection(source, sim.url),
                        settings=settings,
                        hmac_key=HMAC_KEY,
                    )
                    runs[source] = {
                        "manifests": manifests,
                        "seconds": time.perf_counter() - started,
                        "stats": sim.stats,
                        "truth": {e: sim.current_records(e) for e in ENTITIES[source]},
                    }
    finally:
        root_logger.removeHandler(capture)
        root_logger.setLevel(previous_level)
    runs["logs"] = "\n".join(capture.lines)
    runs["output"] = out.getvalue() + err.getvalue()
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
    for source in SIMULATORS:
        manifests = landed[source]["manifests"]
        print(
            f"{source}: {sum(m.record_count for m in manifests)} records, "
            f"{sum(m.quarantine_count for m in manifests)} quarantined, "
            f"{sum(m.timings.requests for m in manifests)} requests, "
            f"{sum(m.timings.retries for m in manifests)} retries, "
            f"{sum(m.timings.restarts for m in manifests)} restarts in "
            f"{landed[source]['seconds']:.1f}s; faults {landed[source]['stats']}"
        )


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
    public: set[str] = set()

    def collect(record: dict[str, Any], pii_fields: tuple[str, ...]) -> None:
        for name, value in record.items():
            if name.startswith("_") or not isinstance(value, str):
                continue
            text = unicodedata.normalize("NFC", value).strip()
            if name in pii_fields:
                values.add(text)
            else:
                public.add(text)

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


def _landing_strings(root: Path) -> str:
    """Every distinct string in the landing tree (keys and values of data files and manifests,
    cells of kept workbooks, csv text), one per line: far smaller than the files themselves,
    so hundreds of personal-data values can be searched in it quickly."""
    strings: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            strings.update(value.keys())
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            strings.add(value)

    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            for line in gzip.decompress(data).decode("utf-8").splitlines():
                walk(json.loads(line))
        elif path.suffix == ".json":
            walk(json.loads(data))
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
            for sheet in book:
                for row in sheet.iter_rows(values_only=True):
                    strings.update(str(cell) for cell in row if cell is not None)
        else:
            strings.add(data.decode("utf-8-sig"))
    return unicodedata.normalize("NFC", "\n".join(strings))


def test_personal_data_appears_nowhere(scenario, landed):
    pii = _pii_values(scenario)
    assert len(pii) > 50
    haystacks = {
        "landing area": _landing_strings(landed["root"]),
        "logs": unicodedata.normalize("NFC", landed["logs"]),
        "stdout/stderr": unicodedata.normalize("NFC", landed["output"]),
    }
    assert "onestop hoso window" in haystacks["logs"]  # the logs were captured
    assert "quarantined" in haystacks["logs"]
    for where, text in haystacks.items():
        leaked = [value for value in pii if value in text]
        assert not leaked, f"{len(leaked)} personal-data values in the {where}"


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
    assert CONNECTION_IDS[source] in str(raised.value)
    assert "wrong-password" not in str(raised.value)
