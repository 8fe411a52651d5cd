"""A minimal W3C WebDriver client over HTTP for Debian's chromium + chromedriver (no selenium).

CI installs the browser with ``apt-get install -y chromium chromium-driver``.
"""

from __future__ import annotations

import base64
import shutil
import socket
import subprocess
import tempfile
import time
from typing import Any

import requests

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
MISSING = (
    None
    if CHROMIUM and CHROMEDRIVER
    else "chromium and chromedriver are not installed "
    "(apt-get update && apt-get install -y chromium chromium-driver)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """One headless chromium session driven through chromedriver."""

    def __init__(self) -> None:
        self._profile = tempfile.mkdtemp(prefix="chromium-profile-")
        port = free_port()
        self._driver = subprocess.Popen(
            [CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{self._base}/status", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    self._driver.kill()
                    raise
                time.sleep(0.1)
        flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={self._profile}", "--window-size=1200,1600",
        ]  # fmt: skip
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": flags},
            "goog:loggingPrefs": {"browser": "ALL"},
        }
        session = self._call("post", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self._session = f"/session/{session['sessionId']}"

    def _call(self, method: str, path: str, payload: dict | None = None) -> Any:
        response = requests.request(method, self._base + path, json=payload, timeout=60)
        body = response.json()
        if response.status_code != 200:
            raise RuntimeError(f"webdriver {path}: {body}")
        return body["value"]

    def get(self, url: str) -> None:
        self._call("post", f"{self._session}/url", {"url": url})

    def run(self, script: str) -> Any:
        return self._call("post", f"{self._session}/execute/sync", {"script": script, "args": []})

    def wait_for(self, script: str, *, timeout: float = 30) -> Any:
        """Poll ``script`` until it returns something truthy (a single-page app renders after
        its API calls answer); its last value once ``timeout`` has passed."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.run(script)
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.5)

    def add_cookie(self, name: str, value: str) -> None:
        """A cookie for the current page's site (open a page of it first)."""
        cookie = {"name": name, "value": value, "path": "/"}
        self._call("post", f"{self._session}/cookie", {"cookie": cookie})

    def console(self) -> list[dict]:
        """Browser console entries since the last call (chromedriver's log extension)."""
        return self._call("post", f"{self._session}/se/log", {"type": "browser"})

    def screenshot(self) -> bytes:
        return base64.b64decode(self._call("get", f"{self._session}/screenshot"))

    def close(self) -> None:
        try:
            self._call("delete", self._session)
        finally:
            self._driver.terminate()
            self._driver.wait(timeout=10)
            shutil.rmtree(self._profile, ignore_errors=True)
