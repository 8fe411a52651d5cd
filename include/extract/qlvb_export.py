"""Reading and redacting one QLVB register export (sources/qlvb.md, xlsx and csv layouts).

The bytes as received hold personal data (``Trích yếu``, ``Tiêu đề``, ``Nơi nhận``): they are
parsed in memory, and the copy kept in the landing area holds only what the spec's layout
defines, with those columns' cells blanked. An xlsx export comes from a server we do not
control: its zip is checked for its unpacked size before anything is unpacked, its XML is parsed
by defusedxml (no entities: no "billion laughs"), and the workbook is read in openpyxl's
read-only (streaming) mode. The kept copy is rebuilt from the first sheet's cells up to the
footer (titles, header, data rows, the footer's text) — never what follows the footer or other
sheets, where anything may hide. A csv row whose field count differs from the header's (an
unquoted comma in a text) would shift values into other columns: it is rejected with its reason
instead, and its cells from the first personal-data column on are blanked in the kept copy.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell

from include.pii import is_pii_field
from include.sources.qlvb_columns import DATE_COLUMNS, KEY_COLUMN

HEADER_ROW = 5
FIRST_DATA_ROW = 6
_FOOTER = re.compile(r"^\s*Tổng số\s*:?\s*(\d+)", re.IGNORECASE)
_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Serial numbers of 1950-01-01 .. 2099-12-31: a bare number in that range in a date column is
#: an Excel date cell that lost its format.
_SERIAL_RANGE = (18264, 73415)
#: An xlsx file has a dozen parts; thousands mean a crafted zip, not an export.
_MAX_ZIP_MEMBERS = 1000


class ExportFormatError(ValueError):
    """The export does not have the layout the spec describes."""


@dataclass(frozen=True)
class RejectedRow:
    """A data row that cannot be read as the header says; already without personal data."""

    reason: str
    record: dict[str, Any]


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
    #: Rows that are data but could not be parsed (they go to the quarantine).
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def data_rows(self) -> int:
        """Every data row of the file, parsed or rejected (what a footer counts)."""
        return len(self.rows) + len(self.rejected)


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


def _kept_indexes(header: Sequence[str]) -> set[int]:
    """Columns whose data cells the kept copy holds: named, and not personal data."""
    return {i for i, name in enumerate(header) if name and not is_pii_field(name)}


def _check_zip(content: bytes, max_unpacked: int) -> None:
    """Refuse a zip bomb from the sizes the archive declares, before unpacking anything.

    Python's zipfile never inflates a member past its declared size, so the declared sum is
    the most that reading the workbook can unpack.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ExportFormatError("unreadable xlsx export (not a zip file)") from None
    if len(members) > _MAX_ZIP_MEMBERS:
        raise ExportFormatError(f"xlsx export has {len(members)} parts, not a workbook")
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked:
        raise ExportFormatError(
            f"xlsx export unpacks to {unpacked} bytes, more than max_export_unpacked_bytes "
            f"({max_unpacked}): refused"
        )


def _require_defusedxml() -> None:
    if not openpyxl.DEFUSEDXML:
        raise RuntimeError(
            "xlsx exports are parsed only with defusedxml, which openpyxl does not use here: "
            "install requirements/pipeline.txt and leave OPENPYXL_DEFUSEDXML unset"
        )


def _cause(exc: BaseException) -> str:
    """The innermost error's type (openpyxl wraps e.g. defusedxml's EntitiesForbidden)."""
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return type(exc).__name__


class _FirstSheet:
    """The first sheet of a workbook read in read-only (streaming) mode; read errors become
    format errors, whenever openpyxl meets them."""

    def __init__(self, content: bytes) -> None:
        try:
            self._workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
            self._sheet = self._workbook.worksheets[0]
            self.title: str = self._sheet.title
        except Exception as exc:  # openpyxl raises zipfile/KeyError/defusedxml/... errors
            raise ExportFormatError(f"unreadable xlsx export ({_cause(exc)})") from None

    def rows(self) -> Iterator[tuple[Any, ...]]:
        try:
            yield from self._sheet.iter_rows(min_row=1)
        except Exception as exc:
            raise ExportFormatError(f"unreadable xlsx export ({_cause(exc)})") from None
        finally:
            self._workbook.close()


#: A cell of the kept copy: its value and number format (so a date stays a date).
_KeptCell = tuple[Any, str | None]


def _kept(cell: Any) -> _KeptCell | None:
    value = getattr(cell, "value", None)
    if value is None:
        return None
    number_format = getattr(cell, "number_format", None)
    return value, number_format if number_format and number_format != "General" else None


def _workbook(title: str, rows: list[list[_KeptCell | None]]) -> bytes:
    """The kept copy: a fresh workbook with one sheet of those cells (streamed out)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=title)
    for row in rows:
        cells = []
        for kept in row:
            if kept is None:
                cells.append(None)
                continue
            cell = WriteOnlyCell(sheet, value=kept[0])
            if kept[1]:
                cell.number_format = kept[1]
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parse_xlsx(register: str, content: bytes, max_unpacked: int) -> ParsedExport:
    """Parse an xlsx export and collect its redacted copy in the same pass over its cells."""
    _require_defusedxml()
    _check_zip(content, max_unpacked)
    copy: list[list[_KeptCell | None]] = []
    header: list[str] = []
    kept_columns: set[int] = set()
    rows: list[dict[str, Any]] = []
    footer_count: int | None = None
    sheet = _FirstSheet(content)
    for number, cells in enumerate(sheet.rows(), start=1):
        values = [cell.value for cell in cells]
        if number < HEADER_ROW:
            copy.append([_kept(cell) for cell in cells])
            continue
        if number == HEADER_ROW:
            header = [str(v).strip() if v is not None else "" for v in values]
            _check_header(register, header, "xlsx")
            kept_columns = _kept_indexes(header)
            copy.append([_kept(cell) for cell in cells])
            continue
        first = values[0] if values else None
        if isinstance(first, str) and (match := _FOOTER.match(first)):
            footer_count = int(match.group(1))
            copy.append([_kept(cells[0])])
            break
        if all(_blank(v) for v in values):
            copy.append([])
            continue
        rows.append(_row_dict(register, header, values))
        copy.append([_kept(c) if i in kept_columns else None for i, c in enumerate(cells)])
    if not header:
        raise ExportFormatError(f"xlsx export has no header row {HEADER_ROW}")
    if footer_count is None:
        raise ExportFormatError("xlsx export has no 'Tổng số: N' footer row")
    redacted_columns = [name for name in header if name and is_pii_field(name)]
    return ParsedExport(header, rows, footer_count, _workbook(sheet.title, copy), redacted_columns)


def _misaligned(
    header: Sequence[str], values: list[str], line: int, first_pii: int
) -> tuple[RejectedRow, list[str]]:
    """A csv row whose field count is not the header's, and its cells for the kept copy.

    With more fields than columns (an unquoted comma), values only shift right: those before
    the first personal-data column are still no personal data, and the key is among them. With
    fewer, values shift left and any may be personal data: none is kept.
    """
    keep = first_pii if len(values) > len(header) else 0
    record: dict[str, Any] = {
        "csv_line": line,
        "fields": len(values),
        "header_fields": len(header),
    }
    for index in range(min(keep, len(values))):
        name = header[index]
        if name and name != "STT":
            record[name] = values[index] if values[index] != "" else None
    reason = (
        f"csv row {line} has {len(values)} fields, the header {len(header)}: its values "
        "cannot be matched to columns (an unquoted comma in a text?)"
    )
    kept = [value if index < keep else "" for index, value in enumerate(values)]
    return RejectedRow(reason, record), kept


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
    first_pii = min(pii_indexes, default=len(header))
    rows = []
    rejected = []
    for line, values in enumerate(table[1:], start=2):
        if all(_blank(v) for v in values):
            continue
        if len(values) != len(header):
            entry, table[line - 1] = _misaligned(header, values, line, first_pii)
            rejected.append(entry)
            continue
        rows.append(_row_dict(register, header, values))
        for index in pii_indexes:
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
    return ParsedExport(header, rows, None, redacted, [header[i] for i in pii_indexes], rejected)


def parse_export(register: str, fmt: str, content: bytes, max_unpacked: int) -> ParsedExport:
    """``max_unpacked``: the most an xlsx export may unpack to (``max_export_unpacked_bytes``)."""
    if fmt == "xlsx":
        return parse_xlsx(register, content, max_unpacked)
    return parse_csv(register, content)
