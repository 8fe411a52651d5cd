"""What one run of ``dti_nightly`` extracts: its window, and the extract items it maps over.

A run loads either the nightly window (the Vietnam day before the run, plus each entity's
lookback in the registry: the QLVB registers' re-exports) or, when triggered with the conf
``{"window_start": "YYYY-MM-DD", "window_end": "YYYY-MM-DD"}``, that inclusive range (an
initial load or a backfill, no lookback). The range is cut into the pieces the APIs accept —
calendar months for the one-stop and DVC listings, calendar quarters for QLVB exports, the
same aligned cuts the extractors make — and each (entity, piece) becomes one mapped extract task,
so a two-year load is a few dozen small, separately retried tasks rather than one long one.
Snapshots (the agency/unit/service lists) are one item per run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from include.extract.http import ExtractSettings
from include.extract.windows import VN_TZ, Window, nightly_window, with_lookback
from include.pipeline.outputs import parse_report_period
from include.sources import registry

#: The conf keys a run accepts (warehouse.md §2).
CONF_KEYS = ("window_start", "window_end")
#: Optional conf: a period to draft reports for after publishing, e.g. ``"half:2023-H1"``.
REPORT_PERIOD_KEY = "report_period"

Cut = Callable[[Window], list[Window]]

#: Source -> entity -> how its window is cut (None: a snapshot, one extract per run), from the
#: registry. The entity names are the extractors', the raw tables' and the dbt sources' (one
#: name each).
SOURCE_ENTITIES: Mapping[str, Mapping[str, Cut | None]] = {
    source.slug: {name: entity.cut for name, entity in source.entities.items()}
    for source in registry.SOURCES.values()
}
SOURCES = registry.SLUGS


class ConfError(ValueError):
    """The run's conf is unusable; the message names the setting."""


@dataclass(frozen=True)
class RunWindow:
    """The Vietnam dates a run loads, and whether it is the nightly run (with lookback)."""

    start: dt.date
    end: dt.date
    nightly: bool

    @property
    def window(self) -> Window:
        return Window(self.start, self.end)

    def as_xcom(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "nightly": self.nightly,
        }

    @classmethod
    def from_xcom(cls, value: Mapping[str, Any]) -> RunWindow:
        return cls(
            dt.date.fromisoformat(value["start"]),
            dt.date.fromisoformat(value["end"]),
            bool(value["nightly"]),
        )

    def __str__(self) -> str:
        return f"{self.window}{' (nightly)' if self.nightly else ''}"


def _conf_date(conf: Mapping[str, Any], key: str) -> dt.date:
    value = conf.get(key)
    if not isinstance(value, str):
        raise ConfError(
            f"conf {key}: expected a Vietnam date 'YYYY-MM-DD', got {value!r} "
            f"(give both {CONF_KEYS[0]} and {CONF_KEYS[1]}, or neither for the nightly window)"
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfError(
            f"conf {key}: {value!r} is not a date 'YYYY-MM-DD' (Vietnam date, inclusive)"
        ) from None


def resolve_run_window(conf: Mapping[str, Any] | None, run_after: dt.datetime) -> RunWindow:
    """The window of a run triggered at ``run_after`` with ``conf`` (raises ``ConfError``).

    The extraction settings of the deployment (``DTI_EXTRACT_*``) are checked here too, so a
    bad one stops the run at its start, naming it (``ConfigurationError``), before any extract.
    """
    ExtractSettings.from_environment()
    conf = {key: value for key, value in (conf or {}).items() if value is not None}
    unknown = sorted(set(conf) - {*CONF_KEYS, REPORT_PERIOD_KEY})
    if unknown:
        raise ConfError(
            f"conf {unknown[0]}: not a setting of dti_nightly; expected "
            f"{', '.join(CONF_KEYS)} (and optionally {REPORT_PERIOD_KEY})"
        )
    report_period = conf.pop(REPORT_PERIOD_KEY, None)
    try:
        parse_report_period(report_period)
    except ValueError as exc:
        raise ConfError(str(exc)) from None
    today = run_after.astimezone(VN_TZ).date()
    if not conf:
        window = nightly_window(today)
        return RunWindow(window.start, window.end, nightly=True)
    start = _conf_date(conf, "window_start")
    end = _conf_date(conf, "window_end")
    if end < start:
        raise ConfError(f"conf window_end: {end} is before window_start {start}")
    if end >= today:
        raise ConfError(
            f"conf window_end: {end} is not over yet in Vietnam (today is {today}); "
            "load only finished days"
        )
    return RunWindow(start, end, nightly=False)


@dataclass(frozen=True)
class ExtractItem:
    """One mapped extract task: one entity of one source over one API-sized window."""

    source: str
    entity: str
    start: str
    end: str

    def label(self) -> str:
        return f"{self.source}.{self.entity} {self.start}..{self.end}"


def plan_extracts(source: str, run: RunWindow) -> list[dict[str, str]]:
    """The extract items of ``source`` for ``run`` (as XCom-ready dicts), snapshots first."""
    if source not in SOURCE_ENTITIES:
        raise ValueError(f"unknown source {source!r}; expected one of {SOURCES}")
    items: list[ExtractItem] = []
    for entity in registry.SOURCES[source].entities.values():
        cut = entity.cut
        if cut is None:
            items.append(
                ExtractItem(source, entity.name, run.start.isoformat(), run.end.isoformat())
            )
            continue
        span = run.window
        if run.nightly and entity.lookback_days is not None:
            span = with_lookback(span, entity.lookback_days)
        items += [
            ExtractItem(source, entity.name, piece.start.isoformat(), piece.end.isoformat())
            for piece in cut(span)
        ]
    return [asdict(item) for item in items]
