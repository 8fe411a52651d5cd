"""The scorecard in a real headless chromium: pages load without console errors, charts render
with a size, every internal link leads to a page that loads, and a reader of the site with both
schemes lands on the 2025 one after the reform (the old one before) and can switch. Screenshots
are kept in ``.local/artifacts/screenshots`` (gitignored) for a person to look at."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from include.paths import PROJECT_ROOT
from include.scorecard import build_site
from include.scorecard.__main__ import make_server
from tests.webdriver import MISSING, Browser, free_port

pytestmark = [pytest.mark.slow, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

SCREENSHOTS = PROJECT_ROOT / ".local" / "artifacts" / "screenshots"


def _serve(dsn: str, out: Path) -> Iterator[str]:
    """Build the site of a marts into ``out`` and serve it over HTTP while the test runs."""
    build_site(dsn, out)
    server = make_server(out, free_port(), quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def served_site(marts_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(marts_dsn, tmp_path_factory.mktemp("site"))


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


def _crawl(site: str, browser: Browser) -> set[str]:
    """Every page reachable from index.html, each loaded without console errors, each
    fragment present on its page."""
    origin = urlparse(site).netloc
    seen: set[str] = set()
    queue = [site + "index.html"]
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
    return seen


def test_every_internal_link_loads(served_site: str, browser: Browser) -> None:
    seen = _crawl(served_site, browser)
    pages = {Path(urlparse(url).path).name for url in seen}
    assert {"index.html", "definitions.html", "freshness.html", "unit-524.html"} <= pages


# --- both schemes (reform2025.md §4) ----------------------------------------------------------


@pytest.fixture(scope="module")
def served_reform_site(
    reform_marts_dsn: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    yield from _serve(reform_marts_dsn, tmp_path_factory.mktemp("site2025"))


@pytest.fixture(scope="module")
def served_site_before_reform(
    reform_marts_before_dsn: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    yield from _serve(reform_marts_before_dsn, tmp_path_factory.mktemp("site2025before"))


_SHOWN_SCHEME = "return document.querySelector('nav.schemes b').dataset.scheme"


def _click(browser: Browser, selector: str, page: str) -> None:
    """Click a link as a reader would, and wait until the page it leads to has loaded."""
    browser.run(f"document.querySelector({selector!r}).click()")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if browser.run("return location.pathname").endswith(page) and (
            browser.run("return document.readyState") == "complete"
        ):
            return
        time.sleep(0.1)
    raise AssertionError(f"clicking {selector} did not load {page}")


def test_a_reader_switches_scheme(served_reform_site: str, browser: Browser) -> None:
    browser.console()
    browser.get(served_reform_site + "index.html")
    assert browser.run(_SHOWN_SCHEME) == "2025"  # the latest quarter is after the reform
    assert "Xếp hạng cấp xã — Tỉnh Hưng Yên" in browser.run("return document.body.innerText")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "index-2025.png").write_bytes(browser.screenshot())
    _click(browser, "nav.schemes a[data-scheme='pre2025']", "index-pre2025.html")
    assert browser.run(_SHOWN_SCHEME) == "pre2025"
    assert "Xếp hạng cấp huyện — Tỉnh Hưng Yên" in browser.run("return document.body.innerText")
    _click(browser, "nav.schemes a[data-scheme='2025']", "index.html")
    assert browser.run(_SHOWN_SCHEME) == "2025"
    # A unit and its counterpart: new phường Thượng Hồng → old phường Minh Đức (same code).
    browser.get(served_reform_site + "unit-2025-12127.html")
    assert browser.run("return document.querySelector('h1').innerText") == "Phường Thượng Hồng"
    (SCREENSHOTS / "unit-2025-12127.png").write_bytes(browser.screenshot())
    _click(browser, "p.related a[data-scheme='pre2025']", "unit-12127.html")
    assert browser.run("return document.querySelector('h1').innerText") == "Phường Minh Đức"
    assert browser.run(_SHOWN_SCHEME) == "pre2025"
    charts = browser.run(_CHART_SIZES)
    assert len(charts) >= 2 and all(w > 100 and h > 50 and n > 0 for w, h, n in charts)
    assert _errors(browser) == []


def test_before_the_reform_the_site_opens_on_the_old_map(
    served_site_before_reform: str, browser: Browser
) -> None:
    browser.console()
    browser.get(served_site_before_reform + "index.html")
    assert browser.run(_SHOWN_SCHEME) == "pre2025"
    browser.get(served_site_before_reform + "unit-2025-11986.html")
    # Như Quỳnh's 2025-Q2 figures count the divided old xã Đình Dù: marked, with the note.
    marked = browser.run("return document.querySelectorAll('td[data-approximate] sup').length")
    assert marked > 0
    assert browser.run("return document.getElementById('so-lieu-gan-dung') !== null")
    (SCREENSHOTS / "unit-2025-11986-approximate.png").write_bytes(browser.screenshot())
    assert _errors(browser) == []


def test_every_internal_link_of_both_schemes_loads(
    served_reform_site: str, browser: Browser
) -> None:
    seen = _crawl(served_reform_site, browser)
    pages = {Path(urlparse(url).path).name for url in seen}
    assert {"index-pre2025.html", "unit-2025-33.html", "unit-12127.html"} <= pages
