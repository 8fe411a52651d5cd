"""Simulator of the document-management register exports v2 (specs/sources/qlvb.md).

No change feed and no paging: a register is exported for a unit and a date range as the
spreadsheet an office clerk would download (titles, header on row 5, a ``Tổng số`` footer,
mixed real and text dates) or as a BOM-prefixed CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from bisect import bisect_left, bisect_right
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from include.scenario.model import QLVB_REGISTERS, Record, Scenario
from include.simulators.base import JSON, TEXT, Request, Response, SimulatorServer
from include.simulators.credentials import DEMO_CREDENTIALS
from include.simulators.faults import FaultConfig
from include.simulators.store import served_view

MAX_RANGE_DAYS = 92
DATE_FORMAT = "%d/%m/%Y"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

_PREFIX = "/api/qlvb/v2"

#: Spec columns of each register, in order (``STT`` is numbered per export).
COLUMNS: dict[str, tuple[str, ...]] = {
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

#: The registration date that selects a row into a range, and the row's key.
REGISTRATION_COLUMN = {"den": "Ngày đến", "di": "Ngày ban hành", "hscv": "Ngày mở"}
KEY_COLUMN = {"den": "Mã văn bản", "di": "Mã văn bản", "hscv": "Mã hồ sơ"}
TITLES = {
    "den": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    "di": "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    "hscv": "DANH MỤC HỒ SƠ CÔNG VIỆC",
}
SHEET_NAMES = {"den": "Sổ văn bản đến", "di": "Sổ văn bản đi", "hscv": "Hồ sơ công việc"}
FOOTER_NOUN = {"den": "văn bản", "di": "văn bản", "hscv": "hồ sơ"}
#: Empty but bordered rows after the footer, as left by the export template.
TRAILING_EMPTY_ROWS = 2

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


class QlvbError(Exception):
    """A 4xx answered with ``{"loi": <message>}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _loi(status: int, message: str) -> Response:
    return Response(status, json.dumps({"loi": message}, ensure_ascii=False).encode(), JSON)


def registration_date(value: Any) -> dt.date | None:
    """The date a row is registered on: a date, or ``dd/mm/yyyy`` text; None if unreadable."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.strptime(value.strip(), DATE_FORMAT).date()
        except ValueError:
            return None
    return None


def _date_param(request: Request, name: str) -> dt.date:
    value = request.param(name)
    if not value:
        raise QlvbError(400, f"Thiếu tham số {name}")
    try:
        return dt.datetime.strptime(value, DATE_FORMAT).date()
    except ValueError:
        raise QlvbError(400, f"Tham số {name} phải có dạng dd/mm/yyyy") from None


class _Register:
    """One register's rows of one unit, sorted by (filing date, key) for range bisects.

    The filing date is the registration date. A row whose registration cell cannot be read
    (the export shows a corrupt value) is still in the book at its place: it is filed under the
    date of the readable row before it in the scenario's register order (the one after it when
    it comes first), so it is exported, corrupt cell and all, instead of silently vanishing.
    """

    def __init__(self, loai: str, rows: list[Record]) -> None:
        date_column, key_column = REGISTRATION_COLUMN[loai], KEY_COLUMN[loai]
        days = [registration_date(row.get(date_column)) for row in rows]
        readable = [day for day in days if day is not None]
        previous = readable[0] if readable else None
        dated = []
        for row, day in zip(rows, days, strict=True):
            previous = day or previous
            if previous is not None:
                dated.append(((previous, str(row.get(key_column) or "")), row))
        dated.sort(key=lambda pair: pair[0])
        self.keys = [key for key, _ in dated]
        self.rows = [row for _, row in dated]

    def between(self, start: dt.date, end: dt.date) -> list[Record]:
        low = bisect_left(self.keys, (start,))
        high = bisect_right(self.keys, (end, "\U0010ffff"))
        return self.rows[low:high]


class QlvbSimulator(SimulatorServer):
    """The shared document-management system's register export API, serving a Scenario."""

    source = "qlvb"

    @classmethod
    def example(cls, url: str, login: str, password: str) -> str:
        return (
            f"curl -s -H 'Authorization: ApiKey {password}' {url}/api/qlvb/v2/donvi\n"
            f"    then: curl -s -OJ -H 'Authorization: ApiKey {password}' "
            f"'{url}/api/qlvb/v2/so-van-ban?loai=den&don_vi=<id>&tu_ngay=<dd/mm/yyyy>"
            f"&den_ngay=<dd/mm/yyyy>'"
        )

    def __init__(
        self,
        scenario: Scenario,
        *,
        faults: FaultConfig | None = None,
        api_key: str = DEMO_CREDENTIALS["qlvb"]["password"],
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(scenario, faults=faults, host=host, port=port)
        self._api_key = api_key
        # Nothing here ever changes a row, so the scenario's records are served directly.
        self._units = list(scenario.qlvb_units)
        self._unit_names = {unit.get("id"): str(unit.get("ten", "")) for unit in self._units}
        self._rows = {loai: list(scenario.documents.get(loai, [])) for loai in QLVB_REGISTERS}
        by_unit: dict[tuple[str, Any], list[Record]] = {}
        for loai, rows in self._rows.items():
            for row in rows:
                by_unit.setdefault((loai, row.get("_unit_id")), []).append(row)
        self._registers = {key: _Register(key[0], rows) for key, rows in by_unit.items()}

    def current_records(self, entity: str) -> list[Record]:
        if entity == "donvi":
            return [dict(unit) for unit in self._units]
        if entity in self._rows:
            return [dict(row) for row in self._rows[entity]]
        raise KeyError(f"unknown qlvb entity {entity!r} (donvi, den, di, hscv)")

    def rate_limited(self) -> Response:
        return _loi(429, "Quá nhiều yêu cầu, vui lòng thử lại sau")

    def route(self, request: Request) -> Response:
        if request.headers.get("Authorization", "").strip() != f"ApiKey {self._api_key}":
            return Response(403, "403 Forbidden: API key không hợp lệ".encode(), TEXT)
        path = request.path.rstrip("/")
        if path not in (f"{_PREFIX}/donvi", f"{_PREFIX}/so-van-ban"):
            return _loi(404, "Không tìm thấy đường dẫn")
        if request.method != "GET":
            return _loi(405, "Phương thức không được hỗ trợ")
        if path.endswith("/donvi"):
            units = [served_view(unit) for unit in self._units]
            return Response(200, json.dumps(units, ensure_ascii=False).encode(), JSON)
        try:
            return self._export(request)
        except QlvbError as error:
            return _loi(error.status, error.message)

    def _export(self, request: Request) -> Response:
        loai = request.param("loai")
        if loai not in COLUMNS:
            raise QlvbError(400, "Tham số loai phải là den, di hoặc hscv")
        unit_param = request.param("don_vi")
        if not unit_param:
            raise QlvbError(400, "Thiếu tham số don_vi")
        try:
            unit_id = int(unit_param)
        except ValueError:
            raise QlvbError(400, "Tham số don_vi phải là mã số đơn vị") from None
        start, end = _date_param(request, "tu_ngay"), _date_param(request, "den_ngay")
        if end < start:
            raise QlvbError(400, "den_ngay phải sau hoặc bằng tu_ngay")
        if (end - start).days > MAX_RANGE_DAYS:
            raise QlvbError(400, f"Khoảng thời gian tối đa {MAX_RANGE_DAYS} ngày")
        fmt = request.param("dinh_dang") or "xlsx"
        if fmt not in ("xlsx", "csv"):
            raise QlvbError(400, "Tham số dinh_dang phải là xlsx hoặc csv")
        if unit_id not in self._unit_names:
            raise QlvbError(404, f"Không tìm thấy đơn vị {unit_id}")
        register = self._registers.get((loai, unit_id))
        rows = register.between(start, end) if register else []
        if self.faults.export_delay_seconds > 0:
            self._count("slow_export")
            self._stopping.wait(self.faults.export_delay_seconds)
        columns = _columns(loai, rows)
        name = f"so_{loai}_{unit_id}_{start:%Y%m%d}_{end:%Y%m%d}.{fmt}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        if fmt == "csv":
            return Response(200, _csv(columns, rows), CSV, headers)
        body = _xlsx(loai, self._unit_names[unit_id], start, end, columns, rows)
        return Response(200, body, XLSX, headers)


def _columns(loai: str, rows: list[Record]) -> list[str]:
    """Spec columns, then any column a newer system version added (kept, never dropped)."""
    columns = list(COLUMNS[loai])
    for row in rows:
        for name in row:
            if not name.startswith("_") and name not in columns:
                columns.append(name)
    return columns


def _cells(columns: list[str], number: int, row: Record) -> list[Any]:
    return [number if name == "STT" else row.get(name) for name in columns]


def _csv(columns: list[str], rows: list[Record]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for number, row in enumerate(rows, start=1):
        writer.writerow(_csv_value(value) for value in _cells(columns, number, row))
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime(DATE_FORMAT)
    return str(value)


def _xlsx(
    loai: str,
    unit_name: str,
    start: dt.date,
    end: dt.date,
    columns: list[str],
    rows: list[Record],
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAMES[loai]
    last = get_column_letter(len(columns))
    titles = (
        TITLES[loai],
        f"Đơn vị: {unit_name}",
        f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}",
    )
    for line, title in enumerate(titles, start=1):
        sheet.cell(row=line, column=1, value=title).font = Font(bold=line == 1)
        sheet.cell(row=line, column=1).alignment = Alignment(horizontal="center")
        sheet.merge_cells(f"A{line}:{last}{line}")
    for index, name in enumerate(columns, start=1):
        cell = sheet.cell(row=5, column=index, value=name)
        cell.font = Font(bold=True)
        cell.border = _BORDER
    for number, row in enumerate(rows, start=1):
        for index, value in enumerate(_cells(columns, number, row), start=1):
            cell = sheet.cell(row=5 + number, column=index)
            cell.border = _BORDER
            if isinstance(value, dt.date):
                # Exports mix real dates with dd/mm/yyyy text (rows pasted in by clerks); a
                # checkerboard guarantees both kinds in any file with two dated cells.
                day = value.date() if isinstance(value, dt.datetime) else value
                if (number + index) % 2:
                    cell.value = day.strftime(DATE_FORMAT)
                    cell.number_format = "@"
                else:
                    cell.value = day
                    cell.number_format = "dd/mm/yyyy"
            else:
                cell.value = value
    footer = 6 + len(rows)
    sheet.cell(row=footer, column=1, value=f"Tổng số: {len(rows)} {FOOTER_NOUN[loai]}")
    sheet.cell(row=footer, column=1).font = Font(bold=True)
    for extra in range(1, TRAILING_EMPTY_ROWS + 1):
        for index in range(1, len(columns) + 1):
            sheet.cell(row=footer + extra, column=index).border = _BORDER
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
