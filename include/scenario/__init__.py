"""Deterministic scenario generator: believable records for the three portals.

``build_scenario(name, seed=0, data_faults=None, **options)`` returns a
:class:`~include.scenario.model.Scenario`; ``SCENARIOS`` maps each name to a one-line
description. Same name, seed and options → identical records. See docs/scenarios.md.
"""

from __future__ import annotations

import random

from . import faults as _faults
from .faults import DataFaults
from .model import QLVB_REGISTERS, Record, Scenario
from .scenarios import BUILDERS

SCENARIOS: dict[str, str] = {name: desc for name, (_fn, desc) in BUILDERS.items()}


def build_scenario(
    name: str, seed: int = 0, data_faults: DataFaults | None = None, **options
) -> Scenario:
    """Build a named scenario.

    ``options`` are scenario parameters; ``hung_yen_province`` takes ``scale`` (default 1.0:
    about a million dossiers; e.g. 0.05 for a twentieth).
    """
    try:
        fn, _desc = BUILDERS[name]
    except KeyError:
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(BUILDERS)}") from None
    sc = fn(seed=seed, **options)
    if data_faults is not None and data_faults.any:
        _faults.apply(sc, data_faults, random.Random(f"faults:{name}:{seed}"))
    return sc


__all__ = ["QLVB_REGISTERS", "SCENARIOS", "DataFaults", "Record", "Scenario", "build_scenario"]
