"""One entry point for every source, for DAG tasks and scripts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from include.landing import LandingArea, Manifest
from include.sources import registry

#: Source name -> extractor, as the registry names them. Every extractor takes (start, end, *,
#: landing, connection=None, settings=None, hmac_key=None, entities=...) and returns the
#: manifests it wrote.
SOURCES: dict[str, Callable[..., list[Manifest]]] = {
    source.slug: source.extractor() for source in registry.SOURCES.values()
}


def extract_source(
    source_name: str,
    start: dt.date | str,
    end: dt.date | str,
    *,
    landing: LandingArea,
    **options: Any,
) -> list[Manifest]:
    """Extract ``source_name`` (a slug of the registry) for [start, end].

    ``options`` go to the source's extractor (``connection``, ``settings``, ``hmac_key``,
    ``entities``; ``lookback_days`` for ``qlvb``).
    """
    try:
        extractor = SOURCES[source_name]
    except KeyError:
        raise ValueError(
            f"unknown source {source_name!r}; expected one of {sorted(SOURCES)}"
        ) from None
    return extractor(start, end, landing=landing, **options)
