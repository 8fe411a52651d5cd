"""Extractors: pull the registry's portals into the landing area (docs/extraction.md)."""

from include.extract.dvc_portal import extract_dvc_portal
from include.extract.http import AuthenticationError, ExtractSettings, SourceError
from include.extract.onestop import extract_onestop
from include.extract.qlvb import extract_qlvb
from include.extract.sources import SOURCES, extract_source
from include.extract.windows import QLVB_LOOKBACK_DAYS, Window, nightly_window

__all__ = [
    "QLVB_LOOKBACK_DAYS",
    "SOURCES",
    "AuthenticationError",
    "ExtractSettings",
    "SourceError",
    "Window",
    "extract_dvc_portal",
    "extract_onestop",
    "extract_qlvb",
    "extract_source",
    "nightly_window",
]
