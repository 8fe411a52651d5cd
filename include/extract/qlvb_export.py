"""Reading and redacting one QLVB register export (sources/qlvb.md, xlsx and csv layouts).

The bytes as received hold personal data (``Trích yếu``, ``Tiêu đề``, ``Nơi nhận``): they are
parsed in memory, and the copy kept in the landing area has those columns' cells blanked: the
workbook re-saved by openpyxl (titles, merged cells, header, footer and styles kept), the csv
rewritten with its byte-order mark and quoting.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import openpyxl

from include.extract.validators.qlvb import DATE_COLUMNS, KEY_COLUMN
from include.pii import is_pii_field

HEADER_ROW = 5
FIRST_DATA_ROW = 6
_FOOTER = re.compile(r"^\s*Tổng số\s*:?\s*(\d+)", re.IGNORECASE)
_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Serial numbers of 1950-01-01 .. 2099-12-31: a bare number in that range in a date column is
#: an Excel date cell that lost its format.
_SERIAL_RANGE = (18264, 73415)


class ExportFormatError(ValueError):
    """The export does not have the layout the spec describes."""


@dataclass(frozen=True)
class ParsedExport:
    header: list[str]
    #: Data rows as ``{column: value}``, personal-data columns already dropped.
    rows: list[dict[str, Any]]
    #: N of the ``Tổng số: N`` footer (xlsx), ``None`` for csv (which has none).
    footer_count: int | None
    #: The received file with personal-data cells blanked.
    redacted: bytes
    redacted_columns: list[str]


def to_iso_date(value: Any) -> Any:
    """A date cell as ``YYYY-MM-DD``; a cell that is no date is returned unchanged."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1] and float(value).is_integer():
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
        return value
    if isinstance(value, str):
        match = _DMY.match(value)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day).isoformat()
            except ValueError:
                return value
    return value


def _row_dict(register: str, header: Sequence[str], values: Sequence[Any]) -> dict[str, Any]:
    date_columns = DATE_COLUMNS[register]
    row: dict[str, Any] = {}
    for name, value in zip(header, values, strict=False):
        if not name or name == "STT" or is_pii_field(name):
            continue
        if isinstance(value, str) and value == "":
            value = None
        row[name] = to_iso_date(value) if name in date_columns and value is not None else value
    return row


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_header(register: str, header: list[str], fmt: str) -> None:
    key = KEY_COLUMN[register]
    if key not in header:
        raise ExportFormatError(f"{fmt} export header has no column {key!r}")


def parse_xlsx(register: str, content: bytes) -> ParsedExport:
    """Parse an xlsx export and produce its redacted copy from the same workbook."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content))
    except Exception as exc:  # openpyxl raises zipfile/KeyError/... on a broken file
        raise ExportFormatError(f"unreadable xlsx export ({type(exc).__name__})") from None
    sheet = workbook.worksheets[0]
    header = [str(c.value).strip() if c.value is not None else "" for c in sheet[HEADER_ROW]]
    _check_header(register, header, "xlsx")
    pii_indexes = [i for i, name in enumerate(header) if name and is_pii_field(name)]
    rows: list[dict[str, Any]] = []
    footer_count: int | None = None
    for cells in sheet.iter_rows(min_row=FIRST_DATA_ROW):
        values = [cell.value for cell in cells]
        first = values[0] if values else None
        if isinstance(first, str) and (match := _FOOTER.match(first)):
            footer_count = int(match.group(1))
            break
        if all(_blank(v) for v in values):
            continue
        rows.append(_row_dict(register, header, values))
        for index in pii_indexes:
            if index < len(cells):
                cells[index].value = None
    if footer_count is None:
        raise ExportFormatError("xlsx export has no 'Tổng số: N' footer row")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return ParsedExport(
        header, rows, footer_count, buffer.getvalue(), [header[i] for i in pii_indexes]
    )


def parse_csv(register: str, content: bytes) -> ParsedExport:
    """Parse a csv export (UTF-8 with BOM, header first) and rewrite it without personal data."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExportFormatError("csv export is not UTF-8") from None
    table = list(csv.reader(io.StringIO(text, newline="")))
    if not table:
        raise ExportFormatError("csv export is empty")
    header = [name.strip() for name in table[0]]
    _check_header(register, header, "csv")
    pii_indexes = [i for i, name in enumerate(header) if name and is_pii_field(name)]
    rows = []
    for values in table[1:]:
        if all(_blank(v) for v in values):
            continue
        rows.append(_row_dict(register, header, values))
        for index in pii_indexes:
            if index < len(values):
                values[index] = ""
    out = io.StringIO(newline="")
    line_end = "\r\n" if "\r\n" in text else "\n"
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator=line_end)
    writer.writerows(table)
    redacted = (
        ("\ufeff" + out.getvalue()).encode("utf-8")
        if content.startswith(b"\xef\xbb\xbf")
        else out.getvalue().encode("utf-8")
    )
    return ParsedExport(header, rows, None, redacted, [header[i] for i in pii_indexes])


def parse_export(register: str, fmt: str, content: bytes) -> ParsedExport:
    return parse_xlsx(register, content) if fmt == "xlsx" else parse_csv(register, content)
