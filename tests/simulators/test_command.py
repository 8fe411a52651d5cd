"""The command line's serving loop: URLs printed, every simulator reachable, clean stop."""

from __future__ import annotations

import re
import threading
import time

import pytest
import requests

from include.scenario.model import Scenario
from include.simulators.__main__ import serve


def test_serve_all_prints_reachable_urls_and_stops(
    scenario: Scenario, capsys: pytest.CaptureFixture[str], qlvb_headers
) -> None:
    stop = threading.Event()
    thread = threading.Thread(
        target=serve,
        args=(["onestop", "qlvb", "dvc_portal"], scenario),
        kwargs={
            "host": "127.0.0.1",
            "port": 0,
            "faults_name": "none",
            "seed": 0,
            "stop": stop,
        },
    )
    thread.start()
    output = ""
    try:
        deadline = time.monotonic() + 10
        while "Serving" not in output and time.monotonic() < deadline:
            time.sleep(0.05)
            output += capsys.readouterr().out
        urls = dict(re.findall(r"^(\w+): (http://\S+)", output, flags=re.MULTILINE))
        assert set(urls) == {"onestop", "qlvb", "dvc_portal"}
        assert "curl -s -X POST" in output and "demo-qlvb-api-key" in output
        assert requests.get(f"{urls['onestop']}/api/v1/donvi", timeout=5).status_code == 401
        units = requests.get(f"{urls['qlvb']}/api/qlvb/v2/donvi", headers=qlvb_headers, timeout=5)
        assert units.status_code == 200
        assert requests.get(f"{urls['dvc_portal']}/api/v1/services", timeout=5).status_code == 401
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert "Stopped." in capsys.readouterr().out
