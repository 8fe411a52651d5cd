"""Compact record dicts.

A record is a plain ``dict``. For the millions of small records (processing steps, submitted
components, fees, results) the generator builds them as the ``__dict__`` of a throw-away
instance: CPython then stores them as *key-sharing* dicts (one shared key table per record
kind, values only per record), about 40% smaller than a dict literal. They are ordinary dicts
in every other respect (type, equality, JSON, copying, mutation).
"""

from __future__ import annotations


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


den_row = keyed_factory(
    "DenRow",
    (
        "Mã văn bản",
        "Số đến",
        "Ngày đến",
        "Số, ký hiệu",
        "Ngày văn bản",
        "Cơ quan ban hành",
        "Loại văn bản",
        "Trích yếu",
        "Độ mật",
        "Độ khẩn",
        "Hình thức",
        "Qua trục liên thông",
        "Ký số",
        "Đơn vị xử lý chính",
        "Hạn xử lý",
        "Ngày hoàn thành",
        "Trạng thái xử lý",
        "_unit_id",
    ),
)
di_row = keyed_factory(
    "DiRow",
    (
        "Mã văn bản",
        "Số, ký hiệu",
        "Ngày ban hành",
        "Loại văn bản",
        "Trích yếu",
        "Người ký",
        "Chức vụ",
        "Nơi nhận",
        "Độ mật",
        "Độ khẩn",
        "Hình thức phát hành",
        "Ký số",
        "Gửi qua trục liên thông",
        "Số lượng bản",
        "_unit_id",
    ),
)
hscv_row = keyed_factory(
    "HscvRow",
    (
        "Mã hồ sơ",
        "Tiêu đề",
        "Đơn vị",
        "Ngày mở",
        "Ngày đóng",
        "Trạng thái",
        "Xử lý trên môi trường mạng",
        "Độ mật",
        "_unit_id",
    ),
)
