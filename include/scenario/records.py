"""Compact record dicts.

A record is a plain ``dict``. For the millions of small records (processing steps, submitted
components, fees, results) the generator builds them as the ``__dict__`` of a throw-away
instance: CPython then stores them as *key-sharing* dicts (one shared key table per record
kind, values only per record), about 40% smaller than a dict literal. They are ordinary dicts
in every other respect (type, equality, JSON, copying, mutation).
"""

from __future__ import annotations

from include.sources.qlvb_columns import COLUMNS


def factory(name: str, fields: tuple[str, ...]):
    """A function ``make(*values) -> dict`` with ``fields`` as keys, in that order."""
    for f in fields:
        if not f.isidentifier():
            raise ValueError(f)
    args = ", ".join(f"v{i}" for i in range(len(fields)))
    body = "".join(f"        self.{f} = v{i}\n" for i, f in enumerate(fields))
    src = (
        f"class {name}:\n    def __init__(self, {args}):\n{body}\n"
        f"def make({args}):\n    return {name}({args}).__dict__\n"
    )
    ns: dict = {}
    exec(src, ns)
    return ns["make"]


step = factory(
    "Step",
    (
        "MaHoSo",
        "MaDonVi",
        "ThoiDiemXuLy",
        "TrangThai",
        "PhongBanXuLy",
        "NguoiXuLy",
        "ChucDanh",
        "NoiDungXuLy",
    ),
)
component = factory(
    "Component",
    (
        "TepDinhKemId",
        "TenTepDinhKem",
        "MaThanhPhanHoSo",
        "DuocSoHoa",
        "DuocTaiSuDung",
        "DuocLayTuKhoDMQG",
        "IsDeleted",
    ),
)
fee = factory("Fee", ("MaPhiLePhi", "TenPhiLePhi", "LoaiPhiLePhi", "Gia"))
result = factory("Result", ("GiayToId", "TenGiayTo", "MaGiayToKetQua", "DuongDanTepTinKetQua"))


def keyed_factory(name: str, keys: tuple[str, ...]):
    """Like :func:`factory` for keys that are not identifiers (QLVB column names)."""
    cls = type(name, (), {})

    def make(*values):
        d = cls().__dict__
        for k, v in zip(keys, values, strict=True):
            d[k] = v
        return d

    return make


# A register row holds the export's columns (STT is the export's row number, not the row's)
# and the unit it belongs to.
den_row = keyed_factory("DenRow", (*COLUMNS["den"][1:], "_unit_id"))
di_row = keyed_factory("DiRow", (*COLUMNS["di"][1:], "_unit_id"))
hscv_row = keyed_factory("HscvRow", (*COLUMNS["hscv"][1:], "_unit_id"))
