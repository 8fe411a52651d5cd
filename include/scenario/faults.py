"""Data-level faults a real source produces, off by default, switchable and seeded.

* ``nfd_text``: some one-stop text fields (and QLVB ``Trích yếu``) in Unicode NFD — the same text
  as its NFC form, so no figure changes.
* ``extra_fields``: fields the specs do not list on some records (the systems are upgraded
  without notice); one of them, ``DinhDanhCHS``, is personal data.
* ``malformed``: a few *extra* records per entity that break their spec (impossible dates, a
  status outside 1..10, a missing key, an unknown enumeration value, ...). Each carries
  ``_malformed: "<short reason>"``. They are copies of good records with a new identity, so no
  good record changes and — since invalid records count nowhere (indicators.md §4) — no figure
  changes either.

Keys starting with ``_`` (``_malformed``, ``_nfd``, ``_extra``) are ground truth for tests; the
simulators strip them.
"""

from __future__ import annotations

import copy
import random
import unicodedata
from dataclasses import dataclass

from .model import Scenario


@dataclass(frozen=True)
class DataFaults:
    nfd_text: bool = False
    extra_fields: bool = False
    malformed: bool = False
    #: share of records touched by ``nfd_text`` / ``extra_fields``
    rate: float = 0.02

    @classmethod
    def all(cls, rate: float = 0.02) -> DataFaults:
        return cls(nfd_text=True, extra_fields=True, malformed=True, rate=rate)

    @property
    def any(self) -> bool:
        return self.nfd_text or self.extra_fields or self.malformed


def _nfd(s):
    return unicodedata.normalize("NFD", s) if isinstance(s, str) else s


DOSSIER_TEXT = ("TenTTHC", "TenLinhVuc", "ChuHoSo", "DiaChi", "TrichYeuHoSo")
STEP_TEXT = ("NguoiXuLy", "ChucDanh", "PhongBanXuLy", "NoiDungXuLy")


def apply(sc: Scenario, faults: DataFaults, rng: random.Random) -> None:
    if faults.nfd_text:
        for d in sc.dossiers:
            if rng.random() < faults.rate:
                for k in DOSSIER_TEXT:
                    d[k] = _nfd(d[k])
                d["_nfd"] = True
        for s in sc.steps:
            if rng.random() < faults.rate:
                for k in STEP_TEXT:
                    s[k] = _nfd(s[k])
                s["_nfd"] = True
        for r in sc.documents.get("den", []):
            if rng.random() < faults.rate:
                r["Trích yếu"] = _nfd(r["Trích yếu"])
                r["_nfd"] = True
    if faults.extra_fields:
        for d in sc.dossiers:
            if rng.random() < faults.rate:
                d["DinhDanhCHS"] = d["SoGiayToChuHoSo"]
                d["MaHoSoLienThong"] = ""
                d["PhienBanDongBo"] = "2.1"
                d["_extra"] = ["DinhDanhCHS", "MaHoSoLienThong", "PhienBanDongBo"]
        for s in sc.steps:
            if rng.random() < faults.rate:
                s["SoNgayXuLyThucTe"] = str(rng.randint(0, 9))
                s["_extra"] = ["SoNgayXuLyThucTe"]
        for p in sc.payments:
            if rng.random() < faults.rate:
                p["bankCode"] = rng.choice(("VCB", "BIDV", "VTB", "AGR", "MB"))
                p["_extra"] = ["bankCode"]
        for r in sc.ratings:
            if rng.random() < faults.rate:
                r["deviceType"] = rng.choice(("web", "android", "ios", "kiosk"))
                r["_extra"] = ["deviceType"]
        for o in sc.services:
            if rng.random() < faults.rate:
                o["portalVersion"] = "3.2.1"
                o["_extra"] = ["portalVersion"]
    if faults.malformed:
        _malformed(sc, rng)


def _malformed(sc: Scenario, rng: random.Random) -> None:
    # --- dossiers ---
    resolved = [d for d in sc.dossiers if d["TrangThaiHoSo"] == "10" and "_malformed" not in d]
    bad: list[dict] = []
    n = 0

    def clone(src: dict, reason: str) -> dict:
        nonlocal n
        n += 1
        d = copy.deepcopy(src)
        d["MaHoSo"] = f"{src['MaHoSo']}-L{n}"
        d["_malformed"] = reason
        return d

    if resolved:
        mid = len(resolved) // 2
        for _ in range(2):
            d = clone(rng.choice(resolved[: mid or 1]), "impossible date in NgayTiepNhan")
            ts = d["NgayTiepNhan"]
            d["NgayTiepNhan"] = ts[:4] + "0231" + ts[8:]
            bad.append(d)
        d = clone(rng.choice(resolved), "status outside 1..10")
        d["TrangThaiHoSo"] = "11"
        bad.append(d)
        d = clone(rng.choice(resolved), "status outside 1..10")
        d["TrangThaiHoSo"] = "0"
        bad.append(d)
        d = clone(rng.choice(resolved), "missing MaHoSo")
        del d["MaHoSo"]
        bad.append(d)
        d = clone(rng.choice(resolved), "resolved without NgayKetThucXuLy and NgayTra")
        d["NgayKetThucXuLy"] = ""
        d["NgayTra"] = ""
        bad.append(d)
        d = clone(rng.choice(resolved), "impossible date in NgayKetThucXuLy")
        d["NgayKetThucXuLy"] = d["NgayKetThucXuLy"][:8] + "256100"
        bad.append(d)
    sc.dossiers.extend(bad)
    sc.dossiers.sort(key=lambda r: (r.get("NgayCapNhat") or "", r.get("MaHoSo") or ""))

    # --- steps ---
    if sc.steps:
        for reason, mut in (
            ("status outside 1..10", lambda s: s.__setitem__("TrangThai", "12")),
            (
                "impossible date in ThoiDiemXuLy",
                lambda s: s.__setitem__(
                    "ThoiDiemXuLy", s["ThoiDiemXuLy"][:4] + "0230" + s["ThoiDiemXuLy"][8:]
                ),
            ),
            ("missing MaHoSo", lambda s: s.pop("MaHoSo")),
        ):
            s = copy.deepcopy(rng.choice(sc.steps))
            mut(s)
            s["_malformed"] = reason
            sc.steps.append(s)
        sc.steps.sort(key=lambda r: (r.get("ThoiDiemXuLy") or "", r.get("MaHoSo") or ""))

    # --- payments ---
    success = [p for p in sc.payments if p["status"] == "SUCCESS"]
    if success:
        for k, (reason, mut) in enumerate(
            (
                ("missing transactionId", lambda p: p.pop("transactionId")),
                ("unknown status", lambda p: p.__setitem__("status", "CANCELLED")),
                ("amount is not a number", lambda p: p.__setitem__("amount", "12O000")),
                ("unparseable paidAt", lambda p: p.__setitem__("paidAt", "2023-02-30T10:00:00Z")),
            ),
            start=1,
        ):
            p = copy.deepcopy(rng.choice(success))
            if "transactionId" in p:
                p["transactionId"] = p["transactionId"] + f"X{k}"
            mut(p)
            p["_malformed"] = reason
            sc.payments.append(p)
        sc.payments.sort(key=lambda r: (r["updatedAt"], r.get("transactionId") or ""))

    # --- ratings ---
    if sc.ratings:
        top = max(r["ratingId"] for r in sc.ratings)
        for i, (reason, mut) in enumerate(
            (
                ("unknown level", lambda r: r.__setitem__("level", "RAT_TOT")),
                ("missing ratingId", lambda r: r.pop("ratingId")),
                ("unparseable ratedAt", lambda r: r.__setitem__("ratedAt", "31/12/2023 08:00")),
            ),
            start=1,
        ):
            r = copy.deepcopy(rng.choice(sc.ratings))
            r["ratingId"] = top + i
            mut(r)
            r["_malformed"] = reason
            sc.ratings.append(r)
        sc.ratings.sort(key=lambda r: (r["updatedAt"], r.get("ratingId") or 0))

    # --- services ---
    if sc.services:
        top = max(o["serviceId"] for o in sc.services)
        for i, (reason, mut) in enumerate(
            (
                ("unknown onlineLevel", lambda o: o.__setitem__("onlineLevel", "LEVEL_4")),
                (
                    "impossible publishedFrom",
                    lambda o: o.__setitem__("publishedFrom", "2023-02-30"),
                ),
            ),
            start=1,
        ):
            o = copy.deepcopy(rng.choice(sc.services))
            o["serviceId"] = top + i
            mut(o)
            o["_malformed"] = reason
            sc.services.append(o)
        sc.services.sort(key=lambda r: (r["updatedAt"], r["serviceId"]))

    # --- QLVB rows ---
    for loai, muts in (
        (
            "den",
            (
                ("unparseable date", lambda r: r.__setitem__("Ngày đến", "31/02/2023")),
                ("unknown Hình thức", lambda r: r.__setitem__("Hình thức", "Fax")),
            ),
        ),
        (
            "di",
            (
                ("unparseable date", lambda r: r.__setitem__("Ngày ban hành", "00/00/0000")),
                (
                    "unknown Hình thức phát hành",
                    lambda r: r.__setitem__("Hình thức phát hành", "Bưu điện"),
                ),
            ),
        ),
        (
            "hscv",
            (("unparseable date", lambda r: r.__setitem__("Ngày mở", "2023-13-01")),),
        ),
    ):
        rows = sc.documents.get(loai, [])
        if not rows:
            continue
        key = "Mã hồ sơ" if loai == "hscv" else "Mã văn bản"
        for i, (reason, mut) in enumerate(muts, start=1):
            r = copy.deepcopy(rng.choice(rows))
            r[key] = f"{r[key]}-L{i}"
            mut(r)
            r["_malformed"] = reason
            rows.append(r)

    # --- the reform's fields (only where the agencies carry them) ---
    if any("PhienBanDVHC" in a for a in sc.agencies):
        _reform_malformed(sc, rng)


#: An agency code no /donvi lists (L2 99 is never assigned).
UNKNOWN_AGENCY = "000.99.99.H99"


def _reform_malformed(sc: Scenario, rng: random.Random) -> None:
    """The bad inputs of the reform (issue 9): an agency whose ``PhienBanDVHC`` contradicts its
    code's shape (``_malformed``: quarantined), and three well-formed anomalies the load's
    validation warns of (``_anomaly``: they count at their ``MaDonVi``): a closed agency whose
    successor is unknown, a dossier received after its agency closed and a takeover by an
    unknown agency. Extra records, as above."""
    by_code = {a["MaDonVi"]: a for a in sc.agencies}
    district = next((a for a in sc.agencies if a["CapDonVi"] == "2"), None)
    commune = next(
        (a for a in sc.agencies if a["CapDonVi"] == "3" and a["NgayNgungHoatDong"]), None
    )
    if district is not None:
        a = copy.deepcopy(district)
        a["MaDonVi"] = a["MaDonVi"][:4] + "98" + a["MaDonVi"][6:]
        a["TenDonVi"] = a["TenDonVi"] + " (bản ghi lỗi)"
        a.update(PhienBanDVHC="2025", NgayNgungHoatDong="", MaDonViTiepNhan="")
        a["_malformed"] = "PhienBanDVHC 2025 with a 3-digit district code (CapDonVi 2)"
        sc.agencies.append(a)
    if commune is not None:
        a = copy.deepcopy(commune)
        a["MaDonVi"] = a["MaDonVi"][:4] + "97" + a["MaDonVi"][6:]
        a["TenDonVi"] = a["TenDonVi"] + " (bản ghi lỗi)"
        a["MaDonViTiepNhan"] = UNKNOWN_AGENCY
        a["_anomaly"] = "MaDonViTiepNhan is not an agency of /donvi"
        sc.agencies.append(a)
    good = [d for d in sc.dossiers if "_malformed" not in d and d.get("TrangThaiHoSo") == "10"]
    closed = {c for c, a in by_code.items() if a.get("NgayNgungHoatDong")}
    late = [
        d
        for d in good
        if by_code.get(d["MaDonVi"], {}).get("PhienBanDVHC") == "2025"
        and d["NgayTiepNhan"][:8] > "20250630"
    ]
    taken = [d for d in good if d.get("MaDonViXuLy")]
    bad = []
    if late and closed:
        d = copy.deepcopy(rng.choice(late))
        d["MaHoSo"] = d["MaHoSo"] + "-R1"
        d["MaDonVi"] = rng.choice(sorted(closed))
        d["_anomaly"] = "received after its agency's NgayNgungHoatDong"
        bad.append(d)
    if taken:
        d = copy.deepcopy(rng.choice(taken))
        d["MaHoSo"] = d["MaHoSo"] + "-R2"
        d["MaDonViXuLy"] = UNKNOWN_AGENCY
        d["_anomaly"] = "MaDonViXuLy is not an agency of /donvi"
        bad.append(d)
    sc.dossiers.extend(bad)
    sc.dossiers.sort(key=lambda r: (r.get("NgayCapNhat") or "", r.get("MaHoSo") or ""))
