"""The generator's ``small`` scenario served completely: every record of every entity can be
pulled through the spec's windows, malformed ones included, and no annotation leaks."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pytest
import requests

from include.scenario import DataFaults, build_scenario
from include.scenario.model import Scenario
from include.simulators import DvcPortalSimulator, OnestopSimulator, QlvbSimulator
from include.simulators.qlvb import KEY_COLUMN

VIETNAM = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(scope="module")
def small() -> Scenario:
    return build_scenario("small", 0, DataFaults.all())


def _windows(first: dt.date, last: dt.date, days: int) -> Iterator[tuple[dt.date, dt.date]]:
    """[start, end) windows of ``days`` days covering first..last."""
    start = first
    while start <= last:
        yield start, start + dt.timedelta(days=days)
        start += dt.timedelta(days=days)


def _no_annotations(records: list[dict]) -> None:
    assert all(not key.startswith("_") for record in records for key in record)


def test_onestop_serves_every_dossier_and_step(small: Scenario, onestop_login) -> None:
    first = small.start - dt.timedelta(days=62)  # dossiers may predate the activity span
    with OnestopSimulator(small) as sim:
        http = requests.Session()
        http.headers["X-Session"] = onestop_login(sim.url)
        for entity, source in (("hoso", small.dossiers), ("tientrinh", small.steps)):
            served = []
            for start, end in _windows(first, small.now.date(), 31):
                params = {
                    "tu_ngay": f"{start:%Y%m%d}000000",
                    "den_ngay": f"{end:%Y%m%d}000000",
                    "so_ban_ghi": 1000,
                }
                for trang in range(1, 100):
                    body = http.get(f"{sim.url}/api/v1/{entity}", params={**params, "trang": trang})
                    served.extend(body.json()["data"])
                    if trang * 1000 >= body.json()["tong_so_ban_ghi"]:
                        break
            assert len(served) == len(source), entity
            _no_annotations(served)
        assert sim.stats["requests"] > 0 and sim.stats["drift"] == 0


def test_dvc_serves_every_record(small: Scenario, dvc_token) -> None:
    with DvcPortalSimulator(small) as sim:
        http = requests.Session()
        http.headers["Authorization"] = f"Bearer {dvc_token(sim.url)}"
        history = http.get(
            f"{sim.url}/api/v1/services", params={"includeHistory": "true", "size": 1000}
        ).json()
        assert history["page"]["totalElements"] == len(small.services)
        _no_annotations(history["content"])
        for entity, source in (("payments", small.payments), ("ratings", small.ratings)):
            served = []
            first = small.start - dt.timedelta(days=62)
            for start, end in _windows(first, small.now.date() + dt.timedelta(days=1), 31):
                params = {
                    "updatedFrom": dt.datetime.combine(start, dt.time(), VIETNAM).isoformat(),
                    "updatedTo": dt.datetime.combine(end, dt.time(), VIETNAM).isoformat(),
                    "size": 1000,
                }
                body = http.get(f"{sim.url}/api/v1/{entity}", params=params).json()
                assert body["page"]["totalPages"] <= 1
                served.extend(body["content"])
            assert len(served) == len(source), entity
            _no_annotations(served)


def test_qlvb_exports_every_row_malformed_ones_included(small: Scenario, qlvb_headers) -> None:
    with QlvbSimulator(small) as sim:
        units = requests.get(f"{sim.url}/api/qlvb/v2/donvi", headers=qlvb_headers, timeout=5).json()
        for loai, rows in small.documents.items():
            served = []
            for unit in units:
                for start, end in _windows(small.start - dt.timedelta(days=93), small.end, 93):
                    params = {
                        "loai": loai,
                        "don_vi": unit["id"],
                        "tu_ngay": f"{start:%d/%m/%Y}",
                        "den_ngay": f"{end - dt.timedelta(days=1):%d/%m/%Y}",
                        "dinh_dang": "csv",
                    }
                    answer = requests.get(
                        f"{sim.url}/api/qlvb/v2/so-van-ban",
                        params=params,
                        headers=qlvb_headers,
                        timeout=10,
                    )
                    assert answer.status_code == 200, answer.text
                    served.extend(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
            key = KEY_COLUMN[loai]
            assert sorted(r[key] for r in served) == sorted(r[key] for r in rows), loai
            _no_annotations(served)
