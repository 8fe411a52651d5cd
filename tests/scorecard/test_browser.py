"""The scorecard in a real headless chromium: pages load without console errors, charts render
with a size, every internal link leads to a page that loads. Screenshots are kept in
``.local/artifacts/screenshots`` (gitignored) for a person to look at."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from include.paths import PROJECT_ROOT
from include.scorecard import build_site
from include.scorecard.__main__ import make_server
from tests.scorecard.webdriver import MISSING, Browser, free_port

pytestmark = [pytest.mark.slow, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

SCREENSHOTS = PROJECT_ROOT / ".local" / "artifacts" / "screenshots"


@pytest.fixture(scope="module")
def served_site(marts_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("site")
    build_site(marts_dsn, out)
    server = make_server(out, free_port(), quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    session = Browser()
    yield session
    session.close()


_CHART_SIZES = (
    "return Array.from(document.querySelectorAll('svg.chart')).map(s => {"
    "const r = s.getBoundingClientRect(); return [r.width, r.height, "
    "s.querySelectorAll('rect, polyline, circle').length]; })"
)
# getAttribute, not .href: links inside the SVG charts have an SVGAnimatedString there.
_LINKS = "return Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"


def _errors(browser: Browser) -> list[dict]:
    return [entry for entry in browser.console() if entry.get("level") == "SEVERE"]


@pytest.mark.parametrize("page", ["index.html", "unit-328.html", "unit-12127.html"])
def test_page_renders_charts_without_console_errors(
    served_site: str, browser: Browser, page: str
) -> None:
    browser.console()  # drop what earlier pages logged
    browser.get(served_site + page)
    assert browser.run("return document.readyState") == "complete"
    assert browser.run("return document.documentElement.lang") == "vi"
    charts = browser.run(_CHART_SIZES)
    assert len(charts) >= 2
    assert all(width > 100 and height > 50 and marks > 0 for width, height, marks in charts)
    assert _errors(browser) == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = browser.screenshot()
    assert shot.startswith(b"\x89PNG")
    (SCREENSHOTS / page.replace(".html", ".png")).write_bytes(shot)


def test_every_internal_link_loads(served_site: str, browser: Browser) -> None:
    origin = urlparse(served_site).netloc
    seen: set[str] = set()
    queue = [served_site + "index.html"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        browser.console()
        browser.get(url)
        assert browser.run("return document.title"), url
        assert browser.run("return document.querySelector('h1') !== null"), url
        assert _errors(browser) == [], url
        for href in browser.run(_LINKS):
            page, fragment = urldefrag(urljoin(url, href))
            if urlparse(page).netloc != origin:
                continue
            if fragment:
                browser.get(page + "#" + fragment)
                found = browser.run(f"return document.getElementById('{fragment}') !== null")
                assert found, href
            queue.append(page)
    pages = {Path(urlparse(url).path).name for url in seen}
    assert {"index.html", "definitions.html", "freshness.html", "unit-524.html"} <= pages
