"""Administrative units (pre-1/7/2025 three-level list) and the agencies that serve them.

Units come from the ``vietnam-provinces`` package (``NESTED_DIVISIONS_JSON_PATH``). Codes are GSO
codes: province 2 digits, district 3 digits, commune 5 digits, zero-padded.

Agency identifier codes follow the shape of QĐ 20/2020/QĐ-TTg (``000.<L3>.<L2>.H<L1>``) and are
derived deterministically:

* L1 = ``H`` + the province's 2-digit GSO code (``H33`` Hưng Yên, as in the one-stop spec's
  example; ``H51`` Quảng Ngãi). The real letter codes are assigned by the decision's appendix and
  may differ; nothing may derive meaning from them (the spec says so).
* L2 = ``00`` for the province's own level; a district gets ``06 + its rank`` among the
  province's districts in GSO order (Mỹ Hào, 5th of Hưng Yên → ``11``, as in the spec's example);
  provincial departments get ``40 + n``.
* L3 = ``00`` for a district's UBND; communes are numbered ``01..`` in GSO order inside their
  district (phường Minh Đức, 9th of Mỹ Hào → ``000.09.11.H33``, the spec's example); district
  departments take ``50 + n``.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from functools import cache

import vietnam_provinces

from .model import Record


@dataclass
class Commune:
    code: str  # 5 digits
    name: str  # "Phường Minh Đức"
    kind: str  # "Phường" / "Xã" / "Thị trấn"
    short: str  # "Minh Đức"


@dataclass
class District:
    code: str  # 3 digits
    name: str  # "Thị xã Mỹ Hào"
    kind: str  # "Thị xã" / "Huyện" / "Thành phố"
    short: str
    rank: int  # 1-based rank in its province (GSO order)
    communes: list[Commune] = field(default_factory=list)


@dataclass
class Province:
    code: str  # 2 digits
    name: str  # "Tỉnh Hưng Yên"
    short: str
    districts: list[District] = field(default_factory=list)

    def district(self, code: str) -> District:
        for d in self.districts:
            if d.code == code:
                return d
        raise KeyError(code)


_KINDS = ("Thành phố", "Thị xã", "Thị trấn", "Huyện", "Phường", "Quận", "Xã", "Tỉnh")


def _split(name: str) -> tuple[str, str]:
    for k in _KINDS:
        if name.startswith(k + " "):
            return k, name[len(k) + 1 :]
    return "", name


@cache
def load_province(code: str) -> Province:
    """One province of the pre-2025 list, with its districts and communes, in GSO order."""
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as f:
        data = json.load(f)
    for p in data:
        if int(p["code"]) != int(code):
            continue
        _, pshort = _split(p["name"])
        prov = Province(code=f"{int(p['code']):02d}", name=p["name"], short=pshort)
        for rank, d in enumerate(sorted(p["districts"], key=lambda x: int(x["code"])), start=1):
            dkind, dshort = _split(d["name"])
            dist = District(
                code=f"{int(d['code']):03d}", name=d["name"], kind=dkind, short=dshort, rank=rank
            )
            for w in sorted(d.get("wards", []), key=lambda x: int(x["code"])):
                wkind, wshort = _split(w["name"])
                dist.communes.append(
                    Commune(code=f"{int(w['code']):05d}", name=w["name"], kind=wkind, short=wshort)
                )
            prov.districts.append(dist)
        return prov
    raise KeyError(code)


def lower_kind(name: str) -> str:
    """``Thị xã Mỹ Hào`` → ``thị xã Mỹ Hào`` (as written inside a sentence or an agency name)."""
    kind, short = _split(name)
    return f"{kind.lower()} {short}" if kind else name


# --- agencies -------------------------------------------------------------------------------

#: District departments: key, name pattern, the fields (lĩnh vực keys) they handle, weight of
#: the department in the district's dossier volume.
DISTRICT_DEPARTMENTS: list[tuple[str, str]] = [
    ("VP", "Văn phòng HĐND và UBND"),
    ("TP", "Phòng Tư pháp"),
    ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("KTHT", "Phòng Kinh tế và Hạ tầng"),  # "Phòng Quản lý đô thị" in a town/city
    ("KT", "Phòng Kinh tế"),  # "Phòng Nông nghiệp và PTNT" in a rural district
    ("LDTBXH", "Phòng Lao động - Thương binh và Xã hội"),
    ("VHTT", "Phòng Văn hóa và Thông tin"),
    ("GDDT", "Phòng Giáo dục và Đào tạo"),
    ("TCKH", "Phòng Tài chính - Kế hoạch"),
    ("NV", "Phòng Nội vụ"),
    ("YT", "Phòng Y tế"),
    ("TTRA", "Thanh tra"),
]

#: Provincial departments (Sở) used by the province-scale scenario.
PROVINCE_DEPARTMENTS: list[tuple[str, str]] = [
    ("STP", "Sở Tư pháp"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư"),
    ("STNMT", "Sở Tài nguyên và Môi trường"),
    ("SXD", "Sở Xây dựng"),
    ("SGTVT", "Sở Giao thông vận tải"),
    ("SLDTBXH", "Sở Lao động - Thương binh và Xã hội"),
    ("SYT", "Sở Y tế"),
    ("SCT", "Sở Công Thương"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("STTTT", "Sở Thông tin và Truyền thông"),
]


def dept_name(key: str, base: str, dist: District) -> str:
    urban = dist.kind in ("Thị xã", "Thành phố")
    if key == "KTHT" and urban:
        base = "Phòng Quản lý đô thị"
    if key == "KT" and not urban:
        base = "Phòng Nông nghiệp và Phát triển nông thôn"
    return f"{base} {lower_kind(dist.name)}"


@dataclass
class Agency:
    code: str  # MaDonVi
    name: str
    level: str  # "1" province, "2" district, "3" commune
    parent: str  # MaDonViCha ("" for the province)
    unit: str  # MaDVHC
    kind: str  # "UBND_T", "SO", "UBND_H", "PHONG", "UBND_X"
    dept: str  # department key ("" for UBNDs)
    district: str  # district code ("" at province level)
    weight: float = 1.0  # relative dossier volume inside its group
    qlvb_id: int = 0
    staff: list[tuple[str, str, str]] = field(default_factory=list)  # (name, title, department)
    #: ``PhienBanDVHC`` (reform2025.md §2): None for systems that predate the reform, whose
    #: ``/donvi`` records carry none of the three reform fields (the old scenarios).
    scheme: str | None = None
    closed: str = ""  # NgayNgungHoatDong (yyyyMMdd, last day of intake; "" while active)
    successor: str = ""  # MaDonViTiepNhan (who took over its unfinished dossiers)

    def record(self) -> Record:
        rec = {
            "MaDonVi": self.code,
            "TenDonVi": self.name,
            "CapDonVi": self.level,
            "MaDonViCha": self.parent,
            "MaDVHC": self.unit,
        }
        if self.scheme is not None:
            rec["PhienBanDVHC"] = self.scheme
            rec["NgayNgungHoatDong"] = self.closed
            rec["MaDonViTiepNhan"] = self.successor
        return rec


def province_letter(prov: Province) -> str:
    return f"H{prov.code}"


def build_agencies(
    prov: Province,
    district_codes: list[str] | None,
    *,
    with_province_departments: bool = False,
    seed: int = 0,
) -> list[Agency]:
    """Province UBND (+ optional Sở), then per district: UBND, departments, commune UBNDs."""
    rng = random.Random(f"agencies:{prov.code}:{seed}")
    letter = province_letter(prov)
    out: list[Agency] = []
    root = Agency(
        code=f"000.00.00.{letter}",
        name=f"UBND {prov.name[0].lower()}{prov.name[1:]}",
        level="1",
        parent="",
        unit=prov.code,
        kind="UBND_T",
        dept="",
        district="",
    )
    out.append(root)
    if with_province_departments:
        for n, (key, name) in enumerate(PROVINCE_DEPARTMENTS, start=1):
            out.append(
                Agency(
                    code=f"000.00.{40 + n:02d}.{letter}",
                    name=f"{name} {prov.name[0].lower()}{prov.name[1:]}",
                    level="1",
                    parent=root.code,
                    unit=prov.code,
                    kind="SO",
                    dept=key,
                    district="",
                    weight=rng.uniform(0.5, 1.5),
                )
            )
    for dist in prov.districts:
        if district_codes is not None and dist.code not in district_codes:
            continue
        l2 = f"{6 + dist.rank:02d}"
        ubnd = Agency(
            code=f"000.00.{l2}.{letter}",
            name=f"UBND {lower_kind(dist.name)}",
            level="2",
            parent=root.code,
            unit=dist.code,
            kind="UBND_H",
            dept="",
            district=dist.code,
        )
        out.append(ubnd)
        for n, (key, base) in enumerate(DISTRICT_DEPARTMENTS, start=1):
            out.append(
                Agency(
                    code=f"000.{50 + n:02d}.{l2}.{letter}",
                    name=dept_name(key, base, dist),
                    level="2",
                    parent=ubnd.code,
                    unit=dist.code,
                    kind="PHONG",
                    dept=key,
                    district=dist.code,
                )
            )
        for n, com in enumerate(dist.communes, start=1):
            out.append(
                Agency(
                    code=f"000.{n:02d}.{l2}.{letter}",
                    name=f"UBND {com.kind.lower()} {com.short}",
                    level="3",
                    parent=ubnd.code,
                    unit=com.code,
                    kind="UBND_X",
                    dept="",
                    district=dist.code,
                    weight=rng.lognormvariate(0.0, 0.35),
                )
            )
    # QLVB ids: this system's own numbers (unrelated to the identifier codes).
    for i, a in enumerate(sorted(out, key=lambda a: a.code)):
        a.qlvb_id = int(prov.code) * 1000 + 100 + i
    return out
