"""The columns of the QLVB register exports, as sources/qlvb.md lists them, in export order.

One declaration for the extractor, its spec rules, the scenario that generates the registers
and the tests. The QLVB simulator keeps its own copy on purpose: it is the extractor's test
oracle, written from the spec independently.
"""

from __future__ import annotations

from collections.abc import Mapping

COLUMNS: Mapping[str, tuple[str, ...]] = {
    "den": (
        "STT", "Mã văn bản", "Số đến", "Ngày đến", "Số, ký hiệu", "Ngày văn bản",
        "Cơ quan ban hành", "Loại văn bản", "Trích yếu", "Độ mật", "Độ khẩn", "Hình thức",
        "Qua trục liên thông", "Ký số", "Đơn vị xử lý chính", "Hạn xử lý", "Ngày hoàn thành",
        "Trạng thái xử lý",
    ),
    "di": (
        "STT", "Mã văn bản", "Số, ký hiệu", "Ngày ban hành", "Loại văn bản", "Trích yếu",
        "Người ký", "Chức vụ", "Nơi nhận", "Độ mật", "Độ khẩn", "Hình thức phát hành", "Ký số",
        "Gửi qua trục liên thông", "Số lượng bản",
    ),
    "hscv": (
        "STT", "Mã hồ sơ", "Tiêu đề", "Đơn vị", "Ngày mở", "Ngày đóng", "Trạng thái",
        "Xử lý trên môi trường mạng", "Độ mật",
    ),
}  # fmt: skip

KEY_COLUMN: Mapping[str, str] = {"den": "Mã văn bản", "di": "Mã văn bản", "hscv": "Mã hồ sơ"}
#: The column an export selects rows by (required in every row).
REGISTRATION_DATE: Mapping[str, str] = {"den": "Ngày đến", "di": "Ngày ban hành", "hscv": "Ngày mở"}
DATE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "den": ("Ngày đến", "Ngày văn bản", "Hạn xử lý", "Ngày hoàn thành"),
    "di": ("Ngày ban hành",),
    "hscv": ("Ngày mở", "Ngày đóng"),
}

#: The registers, in export order.
REGISTERS: tuple[str, ...] = tuple(COLUMNS)
