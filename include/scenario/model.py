"""The in-memory shape of a generated scenario: what the simulators serve and the tests check.

Every record is stored exactly as the source spec (``../shared/specs/sources/*.md``) describes
it on the wire, personal data included (the simulators play the real systems, which hold it).
Keys starting with ``_`` are the generator's own annotations (ground truth for tests); the
simulators never serve them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]

#: The three QLVB registers, by their ``loai`` code.
QLVB_REGISTERS = ("den", "di", "hscv")


@dataclass
class Scenario:
    """A deterministic population of records for the three portals.

    Times:
      * ``start``/``end``: the Vietnam calendar dates the scenario's activity spans (inclusive).
      * ``now``: the scenario's clock (naive Vietnam time). Nothing in the data is later.
    """

    name: str
    seed: int
    start: dt.date
    end: dt.date
    now: dt.datetime

    # --- one-stop (sources/onestop.md) ---------------------------------------------------
    #: ``GET /api/v1/donvi`` records: MaDonVi, TenDonVi, CapDonVi, MaDonViCha, MaDVHC.
    agencies: list[Record] = field(default_factory=list)
    #: ``GET /api/v1/hoso`` records, current state of each dossier, spec field names, timestamps
    #: as ``yyyyMMddHHmmss`` strings. Sorted by (NgayCapNhat, MaHoSo).
    dossiers: list[Record] = field(default_factory=list)
    #: ``GET /api/v1/tientrinh`` records, sorted by (ThoiDiemXuLy, MaHoSo).
    steps: list[Record] = field(default_factory=list)

    # --- QLVB (sources/qlvb.md) ---------------------------------------------------------
    #: ``GET /api/qlvb/v2/donvi`` records: id, ten, ma_dinh_danh.
    qlvb_units: list[Record] = field(default_factory=list)
    #: Register rows by ``loai`` (den/di/hscv): keys are the spec's column names except
    #: ``STT`` (numbered per export); dates are ``datetime.date`` (or ``None``); plus
    #: ``_unit_id`` (the QLVB unit id the row belongs to).
    documents: dict[str, list[Record]] = field(default_factory=dict)

    # --- DVC portal (sources/dvc_portal.md) ----------------------------------------------
    #: Every catalogue offering ever published (``includeHistory=true`` view); dates as ISO
    #: strings, timestamps ISO 8601 with offset, exactly as served.
    services: list[Record] = field(default_factory=list)
    #: Latest state of each payment transaction, as served.
    payments: list[Record] = field(default_factory=list)
    #: Latest state of each rating, as served.
    ratings: list[Record] = field(default_factory=list)

    # --- generator ground truth (optional; no portal serves these) -------------------------
    #: The procedure catalogue entries the scenario uses (MaTTHC, names, processing days,
    #: fees, ...), each with ``synthetic``: True when the code is made up (``9.xxxxxx``).
    procedures: list[Record] = field(default_factory=list)
    #: What the generator was asked to produce (calibration quotas, scale, ...).
    notes: dict[str, Any] = field(default_factory=dict)
