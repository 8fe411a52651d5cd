"""The draft's text: the sections and sentence shapes of the officers' own reports.

Sentence shapes follow the seed reports (``/work/shared/seeds``): the one-stop paragraph of
Mỹ Hào 2023-H1 ("tổng số hồ sơ TTHC đã tiếp nhận: …, trong đó: số hồ sơ tiếp nhận trực tuyến
là: …"), the resolution figures of Đức Phổ ("đã giải quyết …/… hồ sơ, chiếm …%"), the
digitisation, documents, payments and catalogue sentences of Bình Sơn 2023, and the target
count of Mộc Hóa ("…/14 chỉ tiêu …, 02/14 chỉ tiêu chưa có cơ sở đánh giá, 01/14 chỉ tiêu chưa
đạt"). Every figure comes from :class:`UnitPeriod`; nothing is typed in.

A unit of the ``2025`` scheme (reform2025.md §5) reports to the Sở Khoa học và Công nghệ, by
"cấp tỉnh" and "cấp xã" (a province adds "cấp huyện (cũ)" for the old district agencies'
records of a period that begins before 01/07/2025), names the old units its figures before
that date are totalled from, and marks approximate figures with :data:`APPROXIMATE_MARK` and
a footnote. Drafts of ``pre2025`` units read exactly as before.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from include.reports.figures import Figure, OldUnit, Points766, Score, UnitPeriod
from include.reports.formatting import (
    nfc,
    vn_amount_words,
    vn_count,
    vn_date,
    vn_datetime,
    vn_number,
    vn_percent,
    vn_two_digits,
)
from include.reports.model import APPROXIMATE_MARK, Heading, Paragraph, Report, Section, Table
from include.reports.schemes import REFORM_DATE, SCHEME_2025, begins_before_reform
from include.reports.unworded import catalogue_sentence, unworded_codes
from include.reports.wording import (
    OLD_DISTRICT_LABEL,
    TARGET_STATUS_LABELS,
    children_word,
    handling_level_label,
    period_phrase,
    place_name,
    split_unit_name,
    ubnd_of,
    unit_in_prose,
)

DTI_GROUP_LABELS = {
    "all": "Chỉ số chung",
    "service_delivery": "Cung cấp dịch vụ công trực tuyến",
    "processing": "Giải quyết hồ sơ thủ tục hành chính",
    "digitization": "Số hóa hồ sơ, kết quả giải quyết",
    "e_office": "Văn phòng điện tử",
}
_LEVELS = ("province", "district", "commune", "all")
_COMPARATOR_SIGNS = {">=": "≥", "<=": "≤"}
# Fee kinds the way Bình Sơn groups them: land tax apart, fees and charges together.
_PAYMENT_GROUPS = (
    (("LAND_TAX",), "thu thuế đất"),
    (("FEE", "CHARGE"), "phí, lệ phí"),
    (("OTHER",), "các khoản thu khác"),
)
_PAYMENT_KINDS = [kind for kinds, _label in _PAYMENT_GROUPS for kind in kinds]
#: The indicators the sentences below word by hand (fee kinds in Bình Sơn's groups). Any other
#: catalogue indicator with a figure is stated from its catalogue row (include/reports/
#: unworded.py), so that no published figure is missing from a draft.
WORDED_INDICATORS = frozenset(
    {
        *(f"tthc.{name}" for name in (
            "received", "received_online", "received_in_person", "received_postal",
            "carried_over", "in_scope", "resolved", "resolved_early", "resolved_on_time",
            "resolved_late", "withdrawn", "stopped", "pending", "pending_overdue",
            "pending_not_due", "online_rate", "resolved_rate", "late_rate", "pending_rate",
            "digitized_rate", "result_digitized_rate", "reuse_rate", "online_payment_rate",
            "full_online_dossier_rate",
        )),
        *(f"dvc.{name}" for name in (
            "procedures", "full", "partial", "payments", "payment_amount", "ratings",
            "satisfaction_rate",
        )),
        *(f"dvc.{measure}.{kind}" for measure in ("payments", "payment_amount")
          for kind in _PAYMENT_KINDS),
        *(f"qlvb.{name}" for name in (
            "incoming", "outgoing", "electronic_rate", "fully_electronic_rate",
            "outgoing_signed_rate", "incoming_signed_rate", "interlinked_rate",
            "work_file_online_rate",
        )),
    }
)  # fmt: skip


def build_report(period: UnitPeriod, *, issued_on: dt.date, generated_at: dt.datetime) -> Report:
    """The draft report of one unit and period."""
    where = unit_in_prose(period.unit_name)
    when = period_phrase(
        period.period_type, period.period_key, period.period_start, period.period_end
    )
    subject = "Kết quả thực hiện chuyển đổi số và giải quyết thủ tục hành chính"
    sections = [
        _targets_section(period),
        _procedures_section(period),
        _documents_section(period),
        _scores_section(period),
        _data_section(period, generated_at),
    ]
    report = Report(
        issuer_parent=_issuer_parent(period),
        issuer=ubnd_of(period.unit_name).upper(),
        number_line="Số:      /BC-UBND",
        place_date=(
            f"{place_name(period.unit_name)}, ngày      tháng {issued_on.month} "
            f"năm {issued_on.year}"
        ),
        title="BÁO CÁO",
        subtitle=f"{subject} trên địa bàn {where} {when}",
        recipient=f"Kính gửi: {_recipient(period)}.",
        intro=(
            f"{ubnd_of(period.unit_name)} báo cáo {subject[0].lower()}{subject[1:]} trên địa "
            f"bàn {split_unit_name(period.unit_name)[0]} {when} (số liệu từ ngày "
            f"{vn_date(period.period_start)} đến ngày {vn_date(period.period_end)}, tổng hợp "
            "từ Hệ thống thông tin giải quyết thủ tục hành chính, Cổng Dịch vụ công và phần "
            "mềm Quản lý văn bản và điều hành), cụ thể như sau:"
        ),
        sections=[section for section in sections if section.blocks],
        closing=f"{ubnd_of(period.unit_name)} trân trọng báo cáo./.",
        copies_to=["Nơi nhận:", "- Như trên;", "- Chủ tịch, các Phó Chủ tịch;", "- Lưu: VT."],
        signature=["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        footnotes=_footnotes(period),
    )
    return _normalised(report)


def _normalised(report: Report) -> Report:
    """Every string NFC, whatever the database or a future sentence brings in."""
    for name in (
        "issuer_parent",
        "issuer",
        "place_date",
        "subtitle",
        "recipient",
        "intro",
        "closing",
    ):
        setattr(report, name, nfc(getattr(report, name)))
    report.footnotes = [nfc(note) for note in report.footnotes]
    for section in report.sections:
        section.title = nfc(section.title)
        section.blocks = [_nfc_block(block) for block in section.blocks]
    return report


def _nfc_block(block: Paragraph | Heading | Table) -> Paragraph | Heading | Table:
    if isinstance(block, Paragraph):
        return Paragraph(nfc(block.text), nfc(block.lead), block.bullet)
    if isinstance(block, Heading):
        return Heading(nfc(block.text))
    return Table([nfc(h) for h in block.headers], [[nfc(c) for c in row] for row in block.rows])


def _issuer_parent(period: UnitPeriod) -> str:
    if period.unit_level == "province":
        return ""
    return ubnd_of(period.parent_name or "").upper() if period.parent_name else ""


def _recipient(period: UnitPeriod) -> str:
    if period.scheme == SCHEME_2025:
        # Since 2025 the Sở Khoa học và Công nghệ (which absorbed the Sở Thông tin và Truyền
        # thông) receives both the communes' and the province's reports (reform2025.md §1, §5).
        province = period.unit_name if period.unit_level == "province" else period.province_name
        return f"Sở Khoa học và Công nghệ {unit_in_prose(province or '')}".strip()
    if period.unit_level == "commune" and period.parent_name:
        return ubnd_of(period.parent_name)
    if period.unit_level == "district" and period.province_name:
        return f"Sở Thông tin và Truyền thông {unit_in_prose(period.province_name)}"
    return "Bộ Thông tin và Truyền thông"


def _reported_levels(period: UnitPeriod) -> list[str]:
    """The handling levels the report breaks figures down by: the unit's own and those below
    ("cấp huyện", "cấp xã"); ``all`` is only their sum. A 2025 province's ``district`` level
    (old district agencies) is zero by definition for a period that begins on or after
    01/07/2025, so only earlier periods report it."""
    levels = [level for level in period.handling_levels if level != "all"]
    if period.scheme == SCHEME_2025 and not begins_before_reform(period.period_start):
        levels = [level for level in levels if level != "district"]
    return levels or period.handling_levels


def _level_label(period: UnitPeriod, level: str) -> str:
    return handling_level_label(period.scheme, level)


# --- approximate figures (2025 scheme) ---------------------------------------------------------


def _mark(approximate: bool) -> str:
    return APPROXIMATE_MARK if approximate else ""


def _approximate(period: UnitPeriod, level: str, *codes: str) -> bool:
    return any((f := period.figure(level, code)) is not None and f.is_approximate for code in codes)


def _count_text(period: UnitPeriod, level: str, code: str) -> str:
    """A count as the prose prints it, marked when the figure is approximate."""
    return vn_count(period.count(level, code)) + _mark(_approximate(period, level, code))


def _total_level(period: UnitPeriod) -> str:
    return "all" if "all" in period.handling_levels else period.handling_levels[0]


def _level_lead(period: UnitPeriod, level: str) -> str:
    label = _level_label(period, level)
    if level == "commune" and period.unit_level != "commune" and period.children:
        label += f" ({vn_two_digits(len(period.children))} {children_word(period.children)})"
    return f"{label}:"


def _ratio_text(figure: Figure | None) -> str:
    if figure is None or figure.value is None:
        return "chưa có số liệu"
    return vn_percent(figure.value) + _mark(figure.is_approximate)


# --- I. Targets -------------------------------------------------------------------------------


def _targets_section(period: UnitPeriod) -> Section:
    section = Section("Kết quả thực hiện các chỉ tiêu")
    targeted = [
        (level, code, figure)
        for (level, code), figure in sorted(
            period.figures.items(), key=lambda item: (_LEVELS.index(item[0][0]), item[0][1])
        )
        if figure.target is not None
    ]
    if not targeted:
        section.blocks.append(
            Paragraph(
                f"Năm {period.period_end.year} chưa có chỉ tiêu nào được giao cho "
                f"{unit_in_prose(period.unit_name)} trong dữ liệu kế hoạch của hệ thống."
            )
        )
        return section
    total = len(targeted)
    by_status: dict[str, list[str]] = {"achieved": [], "not_achieved": [], "no_basis": []}
    rows = []
    for level, code, figure in targeted:
        name = _target_name(period, level, code)
        by_status[figure.target_status or "no_basis"].append(name)
        rows.append(
            [
                name,
                _level_label(period, level),
                _figure_value(figure),
                _target_text(period, level, code, figure),
                TARGET_STATUS_LABELS[figure.target_status or "no_basis"],
            ]
        )
    of_total = f"/{vn_two_digits(total)} chỉ tiêu"
    summary = f"Năm {period.period_end.year} có {vn_two_digits(total)} chỉ tiêu được giao; "
    summary += f"đến hết kỳ báo cáo đạt {vn_two_digits(len(by_status['achieved']))}{of_total}"
    for status in ("no_basis", "not_achieved"):
        names = by_status[status]
        if names:
            summary += (
                f"; {vn_two_digits(len(names))}{of_total} "
                f"{TARGET_STATUS_LABELS[status].lower()} ({'; '.join(names)})"
            )
    section.blocks.append(Paragraph(summary + "."))
    section.blocks.append(Table(["Chỉ tiêu", "Cấp", "Kết quả", "Chỉ tiêu giao", "Đánh giá"], rows))
    sources = sorted({rule.source_document for rule in period.target_rules.values()})
    if sources:
        section.blocks.append(Paragraph("Căn cứ giao chỉ tiêu: " + "; ".join(sources) + "."))
    return section


def _target_name(period: UnitPeriod, level: str, code: str) -> str:
    name = period.indicator_names.get(code, code)
    if len(_reported_levels(period)) > 1:
        name += f" ({_level_label(period, level).lower()})"
    return name


def _is_ratio(figure: Figure) -> bool:
    return figure.denominator is not None


def _figure_value(figure: Figure) -> str:
    if figure.value is None:
        return "Chưa có số liệu"
    if _is_ratio(figure):
        return (
            f"{vn_percent(figure.value)} ({vn_count(figure.numerator)}/"
            f"{vn_count(figure.denominator)}){_mark(figure.is_approximate)}"
        )
    return vn_count(figure.value) + _mark(figure.is_approximate)


def _target_text(period: UnitPeriod, level: str, code: str, figure: Figure) -> str:
    rule = period.target_rules.get((level, code))
    sign = _COMPARATOR_SIGNS.get(rule.comparator, rule.comparator) if rule else "≥"
    target = figure.target or Decimal(0)
    shown = vn_percent(target) if _is_ratio(figure) else vn_count(target)
    return f"{sign} {shown}"


# --- II. Administrative procedures -------------------------------------------------------------


def _procedures_section(period: UnitPeriod) -> Section:
    section = Section("Kết quả giải quyết thủ tục hành chính và cung cấp dịch vụ công trực tuyến")
    section.blocks.append(Heading("1. Danh mục thủ tục hành chính, dịch vụ công trực tuyến"))
    section.blocks.extend(_catalogue_paragraphs(period))
    section.blocks.append(Heading("2. Tình hình tiếp nhận, giải quyết hồ sơ thủ tục hành chính"))
    for level in _reported_levels(period):
        section.blocks.append(
            Paragraph(_dossier_sentence(period, level), lead=_level_lead(period, level), bullet="+")
        )
    section.blocks.append(Heading("3. Hồ sơ trực tuyến, thanh toán trực tuyến và đánh giá"))
    for level in _reported_levels(period):
        section.blocks.append(
            Paragraph(_online_sentence(period, level), lead=_level_lead(period, level), bullet="+")
        )
    section.blocks.append(Paragraph(_payments_sentence(period), bullet="-"))
    section.blocks.append(Paragraph(_ratings_sentence(period), bullet="-"))
    others = _unworded_paragraphs(period, {"onestop", "dvc_portal"})
    if others:
        section.blocks.append(Heading("4. Các chỉ tiêu khác"))
        section.blocks.extend(others)
    return section


def _unworded_paragraphs(period: UnitPeriod, systems: set[str]) -> list[Paragraph]:
    """One paragraph per reported level stating the indicators of these systems that the
    sentences do not word, from the catalogue."""
    codes = unworded_codes(period, WORDED_INDICATORS, systems)
    paragraphs = []
    for level in _reported_levels(period):
        sentences = [s for code in codes if (s := catalogue_sentence(period, level, code))]
        if sentences:
            paragraphs.append(
                Paragraph("; ".join(sentences) + ".", lead=_level_lead(period, level), bullet="+")
            )
    return paragraphs


def _catalogue_paragraphs(period: UnitPeriod) -> list[Paragraph]:
    total = _total_level(period)
    c = lambda level, code: _count_text(period, level, code)  # noqa: E731
    paragraphs = [
        Paragraph(
            "Tổng số thủ tục hành chính được công bố trên Cổng Dịch vụ công của tỉnh (tính "
            f"đến ngày {vn_date(period.period_end)}) là {c(total, 'dvc.procedures')} "
            "thủ tục, trong đó tổng số dịch vụ công trực tuyến một phần là "
            f"{c(total, 'dvc.partial')} dịch vụ; tổng số dịch vụ công trực tuyến "
            f"toàn trình là {c(total, 'dvc.full')} dịch vụ."
        )
    ]
    levels = _reported_levels(period)
    if period.scheme == SCHEME_2025 and period.period_end >= REFORM_DATE:
        # The catalogue is counted on the period's last day, when district-level offerings
        # have ended (30/06/2025): the old district level would only print zeros.
        levels = [level for level in levels if level != "district"]
    if len(levels) > 1:
        parts = [
            f"một phần {_level_label(period, level).lower()} là "
            f"{c(level, 'dvc.partial')}, toàn trình "
            f"{_level_label(period, level).lower()} là {c(level, 'dvc.full')}"
            for level in levels
        ]
        paragraphs.append(
            Paragraph("Tổng số dịch vụ công trực tuyến " + "; ".join(parts) + ".", bullet="-")
        )
    return paragraphs


def _dossier_sentence(period: UnitPeriod, level: str) -> str:
    c = lambda code: period.count(level, code)  # noqa: E731 - a local shorthand reads best here
    n = lambda code: _count_text(period, level, code)  # noqa: E731
    f = lambda code: period.figure(level, code)  # noqa: E731
    if c("tthc.in_scope") == 0:
        return "không phát sinh hồ sơ thủ tục hành chính trong kỳ."
    parts = [
        f"tổng số hồ sơ TTHC đã tiếp nhận: {n('tthc.received')} hồ sơ, trong đó: số hồ sơ "
        f"tiếp nhận trực tuyến là: {n('tthc.received_online')}; tiếp nhận trực "
        f"tiếp: {n('tthc.received_in_person')}; tiếp nhận qua dịch vụ bưu chính công "
        f"ích: {n('tthc.received_postal')}"
    ]
    in_scope, resolved = n("tthc.in_scope"), n("tthc.resolved")
    late_text = (
        "không có hồ sơ bị quá hạn"
        if c("tthc.resolved_late") == 0
        else f"quá hạn: {n('tthc.resolved_late')}/{resolved} hồ sơ, chiếm "
        f"{_ratio_text(f('tthc.late_rate'))}"
    )
    parts.append(
        f"tổng số hồ sơ phải giải quyết: {in_scope} hồ sơ (trong đó có "
        f"{n('tthc.carried_over')} hồ sơ kỳ trước chuyển sang); đã giải quyết "
        f"{resolved}/{in_scope} hồ sơ, chiếm "
        f"{_ratio_text(f('tthc.resolved_rate'))} (số hồ sơ giải quyết trước hạn: "
        f"{n('tthc.resolved_early')}, đúng hạn: {n('tthc.resolved_on_time')}, "
        f"{late_text})"
    )
    parts.append(
        f"hồ sơ đang giải quyết {n('tthc.pending')}/{in_scope} hồ sơ, chiếm "
        f"{_ratio_text(f('tthc.pending_rate'))} (chưa đến hạn {n('tthc.pending_not_due')}"
        f" hồ sơ; quá hạn {n('tthc.pending_overdue')} hồ sơ)"
    )
    if c("tthc.withdrawn") or c("tthc.stopped"):
        parts.append(
            f"công dân rút {n('tthc.withdrawn')} hồ sơ, dừng xử lý {n('tthc.stopped')} hồ sơ"
        )
    parts.append(
        f"số hóa hồ sơ TTHC khi tiếp nhận: {n('tthc.digitized_rate')} hồ sơ, đạt "
        f"{_ratio_text(f('tthc.digitized_rate'))}; số hóa kết quả giải quyết TTHC: "
        f"{n('tthc.result_digitized_rate')} hồ sơ, đạt "
        f"{_ratio_text(f('tthc.result_digitized_rate'))}"
    )
    return "; ".join(parts) + "."


def _online_sentence(period: UnitPeriod, level: str) -> str:
    f = lambda code: period.figure(level, code)  # noqa: E731
    n = lambda code: _count_text(period, level, code)  # noqa: E731
    return (
        f"tỷ lệ hồ sơ trực tuyến đạt {_ratio_text(f('tthc.online_rate'))}; tỷ lệ hồ sơ trực "
        "tuyến trên các thủ tục cung cấp dịch vụ công trực tuyến toàn trình đạt "
        f"{_ratio_text(f('tthc.full_online_dossier_rate'))}; tỷ lệ hồ sơ có phí, lệ phí được "
        f"thanh toán trực tuyến đạt {_ratio_text(f('tthc.online_payment_rate'))} "
        f"({n('tthc.online_payment_rate')} hồ sơ); tỷ lệ hồ sơ tái sử dụng dữ liệu "
        f"số hóa đạt {_ratio_text(f('tthc.reuse_rate'))}."
    )


def _payments_sentence(period: UnitPeriod) -> str:
    level = _total_level(period)
    c = lambda code: period.count(level, code)  # noqa: E731
    count, amount = c("dvc.payments"), c("dvc.payment_amount")
    if count == 0:
        return "Trong kỳ chưa phát sinh giao dịch thanh toán trực tuyến trên Cổng Dịch vụ công."
    mark = _mark(_approximate(period, level, "dvc.payments", "dvc.payment_amount"))
    text = (
        f"Thanh toán trực tuyến qua Cổng Dịch vụ công: trong kỳ đã thực hiện "
        f"{vn_count(count)}{mark} giao dịch với tổng số tiền {vn_amount_words(amount)}{mark}"
    )
    parts = []
    for kinds, label in _PAYMENT_GROUPS:
        kind_count = sum(c(f"dvc.payments.{kind}") for kind in kinds)
        kind_amount = sum(c(f"dvc.payment_amount.{kind}") for kind in kinds)
        codes = [f"dvc.{m}.{kind}" for kind in kinds for m in ("payments", "payment_amount")]
        kind_mark = _mark(_approximate(period, level, *codes))
        if kind_count:
            parts.append(
                f"thanh toán trực tuyến {label} được {vn_count(kind_count)}{kind_mark} giao dịch "
                f"với tổng số tiền {vn_amount_words(kind_amount)}{kind_mark}"
            )
    if parts:
        text += ", trong đó: " + "; ".join(parts)
    return text + "."


def _ratings_sentence(period: UnitPeriod) -> str:
    level = _total_level(period)
    ratings = period.count(level, "dvc.ratings")
    if ratings == 0:
        return "Trong kỳ chưa có lượt đánh giá sự hài lòng của tổ chức, cá nhân."
    return (
        f"Tổ chức, cá nhân đã thực hiện {_count_text(period, level, 'dvc.ratings')} lượt đánh giá "
        "sự hài lòng; tỷ lệ "
        f"hài lòng đạt {_ratio_text(period.figure(level, 'dvc.satisfaction_rate'))}."
    )


# --- III. Documents and digital signatures -----------------------------------------------------


def _documents_section(period: UnitPeriod) -> Section:
    section = Section("Ứng dụng văn bản điện tử, chữ ký số")
    for level in _reported_levels(period):
        section.blocks.append(
            Paragraph(
                _documents_sentence(period, level), lead=_level_lead(period, level), bullet="+"
            )
        )
    section.blocks.extend(_unworded_paragraphs(period, {"qlvb"}))
    return section


def _documents_sentence(period: UnitPeriod, level: str) -> str:
    n = lambda code: _count_text(period, level, code)  # noqa: E731
    f = lambda code: period.figure(level, code)  # noqa: E731

    def signed_split(code: str) -> tuple[str, str]:
        """(signed, not signed) of a signed-rate figure, as printed."""
        figure = f(code)
        if figure is None or figure.denominator is None:
            return vn_count(0), vn_count(0)
        mark = _mark(figure.is_approximate)
        return (
            vn_count(figure.numerator) + mark,
            vn_count(figure.denominator - figure.numerator) + mark,
        )

    in_signed, in_unsigned = signed_split("qlvb.incoming_signed_rate")
    out_signed, out_unsigned = signed_split("qlvb.outgoing_signed_rate")
    work_files = f("qlvb.work_file_online_rate")
    work_text = (
        f"{vn_count(work_files.numerator)}/{vn_count(work_files.denominator)}"
        f"{_mark(work_files.is_approximate)} hồ sơ công việc "
        f"được xử lý trên môi trường mạng, đạt {_ratio_text(work_files)}"
        if work_files and work_files.denominator
        else "chưa có hồ sơ công việc được đóng trong kỳ"
    )
    return (
        f"từ {vn_date(period.period_start)} đến {vn_date(period.period_end)} có "
        f"{n('qlvb.outgoing')} văn bản đi, {n('qlvb.incoming')} văn bản đến "
        "được cập nhật, xử lý trên phần mềm Quản lý văn bản và điều hành; tỷ lệ văn bản điện tử "
        f"(trừ văn bản mật) đạt {_ratio_text(f('qlvb.electronic_rate'))}, trong đó văn bản "
        f"hoàn toàn điện tử đạt {_ratio_text(f('qlvb.fully_electronic_rate'))}; văn bản đến có "
        f"ký số {in_signed}, không ký số {in_unsigned}; văn bản đi có ký "
        f"số: {out_signed} văn bản (đạt {_ratio_text(f('qlvb.outgoing_signed_rate'))}"
        f"), không ký số: {out_unsigned} văn bản; tỷ lệ văn bản đi gửi qua Trục liên "
        f"thông văn bản quốc gia đạt {_ratio_text(f('qlvb.interlinked_rate'))}; {work_text}."
    )


# --- IV. Scores --------------------------------------------------------------------------------


def _scores_section(period: UnitPeriod) -> Section:
    section = Section("Chỉ số chính quyền số và điểm chất lượng phục vụ")
    for level in _reported_levels(period):
        overall = period.scores.get((level, "all"))
        if overall is None:
            continue
        groups = "; ".join(
            f"{DTI_GROUP_LABELS[group].lower()}: "
            + _score_text(
                period.scores.get((level, group)), _group_approximate(period, level, group)
            )
            for group in ("service_delivery", "processing", "digitization", "e_office")
        )
        rank = (
            f", xếp thứ {overall.rank}/{overall.siblings} đơn vị cùng cấp"
            if overall.rank is not None and overall.siblings > 1
            else ""
        )
        section.blocks.append(
            Paragraph(
                f"chỉ số chính quyền số (tính theo phương pháp DTI, thang điểm 0 – 1) đạt "
                f"{_score_text(overall, _group_approximate(period, level, 'all'))}{rank} "
                f"({groups}).",
                lead=_level_lead(period, level),
                bullet="+",
            )
        )
    level = _total_level(period) if (_total_level(period), "total") in period.points_766 else None
    level = level or next((lv for lv, item in period.points_766 if item == "total"), None)
    if level is not None:
        total = period.points_766[(level, "total")]
        section.blocks.append(
            Paragraph(
                "Điểm chất lượng giải quyết thủ tục hành chính theo Quyết định số 766/QĐ-TTg "
                f"(các tiêu chí tính được từ dữ liệu, {_level_label(period, level).lower()}): "
                f"đạt {_points_text(total.points)}{_mark(_points_approximate(period, level))}/"
                f"{_points_text(total.max_points)} điểm "
                f"({vn_percent(_share(total.points, total.max_points))}).",
                bullet="-",
            )
        )
        rows = [
            [
                item,
                points.item_name,
                vn_percent(points.value) + _mark(_item_approximate(period, level, points))
                if points.value is not None
                else "Chưa có số liệu",
                _points_text(points.points) + _mark(_item_approximate(period, level, points))
                if points.points is not None
                else "—",
                _points_text(points.max_points),
            ]
            for (lv, item), points in sorted(period.points_766.items())
            if lv == level and item != "total"
        ]
        section.blocks.append(Table(["Tiêu chí", "Nội dung", "Tỷ lệ", "Điểm", "Tối đa"], rows))
    return section


def _score_text(score: Score | None, approximate: bool = False) -> str:
    if score is None or score.score is None:
        return "chưa có cơ sở tính"
    return vn_number(score.score, 2) + _mark(approximate)


def _group_approximate(period: UnitPeriod, level: str, group: str) -> bool:
    """A score is as approximate as the figures it is built from (``all``: every group's)."""
    codes = [
        code
        for code, code_group in period.indicator_groups.items()
        if code_group and (group == "all" or code_group == group)
    ]
    return _approximate(period, level, *codes)


def _item_approximate(period: UnitPeriod, level: str, item: Points766) -> bool:
    return bool(item.indicator_code) and _approximate(period, level, item.indicator_code or "")


def _points_approximate(period: UnitPeriod, level: str) -> bool:
    return any(
        _item_approximate(period, level, item)
        for (lv, code), item in period.points_766.items()
        if lv == level and code != "total"
    )


def _points_text(points: Decimal | None) -> str:
    return vn_number(points or 0, 2, trim=True)


def _share(points: Decimal | None, max_points: Decimal) -> Decimal | None:
    return None if points is None or not max_points else points / max_points


# --- V. About the data -------------------------------------------------------------------------


def _data_section(period: UnitPeriod, generated_at: dt.datetime) -> Section:
    completeness = (
        "Số liệu kỳ báo cáo đã đầy đủ (kỳ đã kết thúc và dữ liệu của cả ba hệ thống đã được "
        "cập nhật đến hết ngày cuối kỳ)."
        if period.is_complete
        else "Lưu ý: số liệu kỳ báo cáo CHƯA đầy đủ (kỳ chưa kết thúc hoặc dữ liệu chưa được "
        "cập nhật đến hết ngày cuối kỳ); đề nghị kiểm tra lại trước khi ký ban hành."
    )
    return Section(
        "Nguồn số liệu",
        [
            Paragraph(
                "Số liệu trong báo cáo được tổng hợp tự động từ kho dữ liệu chỉ tiêu chuyển đổi "
                "số của tỉnh (Hệ thống thông tin giải quyết thủ tục hành chính, Cổng Dịch vụ "
                "công, phần mềm Quản lý văn bản và điều hành), theo cách đếm thống nhất cho mọi "
                f"đơn vị. Bản dự thảo được tạo lúc {vn_datetime(generated_at)}.",
                bullet="-",
            ),
            *(Paragraph(text, bullet="-") for text in _reform_sentences(period)),
            Paragraph(completeness, bullet="-"),
        ],
    )


# --- the 2025 scheme: predecessors and approximate figures -------------------------------------

_REFORM = vn_date(REFORM_DATE)


def _old_units_in_prose(units: list[OldUnit], *, say_divided: bool = True) -> str:
    """``xã Dương Quang, phường Minh Đức thuộc thị xã Mỹ Hào; xã … thuộc huyện …``: old
    communes in code order, grouped by the old district they lay in (which the officers
    still know them by); a divided one says only part of it lies here."""
    groups: dict[str | None, list[str]] = {}
    for old in units:
        part = " (một phần địa bàn)" if old.is_divided and say_divided else ""
        name = unit_in_prose(old.name) + part
        groups.setdefault(old.district_name, []).append(name)
    return "; ".join(
        ", ".join(names) + (f" thuộc {unit_in_prose(district)}" if district else "")
        for district, names in groups.items()
    )


def _successor_in_prose(old: OldUnit) -> str:
    """The 2025 unit an old one's records count in; ``(mới)`` when it kept the old name
    (xã Lạc Đạo → xã Lạc Đạo), so the sentence does not read as a unit counted in itself."""
    successor = unit_in_prose(old.default_successor or "đơn vị kế thừa")
    return f"{successor} (mới)" if old.default_successor == old.name else successor


def _predecessor_sentence(period: UnitPeriod) -> str:
    """Reform2025.md §5: a 2025 unit's figures before 01/07/2025 are totals of the old units
    that form it, and the draft names them."""
    where = unit_in_prose(period.unit_name)
    kind = "cấp tỉnh" if period.unit_level == "province" else "cấp xã"
    units = period.predecessors
    if not units:
        source = (
            f"(bảng chuyển đổi đơn vị hành chính không có đơn vị {kind} cũ nào tương ứng với "
            f"{where})"
        )
    elif len(units) == 1:
        source = f"{_old_units_in_prose(units)} (cũ)"
    else:
        source = (
            f"{vn_two_digits(len(units))} đơn vị hành chính {kind} cũ nay hợp thành {where}: "
            + _old_units_in_prose(units)
        )
    after = (
        f"; từ ngày {_REFORM} là số liệu của các cơ quan, đơn vị của {where}"
        if period.period_end >= REFORM_DATE
        else ""
    )
    return f"Số liệu trước ngày {_REFORM} được tổng hợp từ số liệu của {source}{after}."


def _reform_sentences(period: UnitPeriod) -> list[str]:
    """What a reader of a 2025 unit's draft must know about the old map; nothing for a
    pre2025 unit or a period wholly after the reform."""
    if period.scheme != SCHEME_2025 or not begins_before_reform(period.period_start):
        return []
    sentences = [_predecessor_sentence(period)]
    where = unit_in_prose(period.unit_name)
    for old in period.partly_here:
        sentences.append(
            f"Một phần địa bàn {unit_in_prose(old.name)} (cũ) nay thuộc {where}; số liệu trước "
            f"ngày {_REFORM} của {unit_in_prose(old.name)} được tính toàn bộ vào "
            f"{_successor_in_prose(old)}."
        )
    if "district" in _reported_levels(period):
        sentences.append(
            f"“{OLD_DISTRICT_LABEL}”: hồ sơ, văn bản của các cơ quan cấp huyện đến ngày "
            f"30/06/2025 (kể cả hồ sơ các cơ quan này đã tiếp nhận và được chuyển cho cơ quan "
            "mới tiếp tục giải quyết)."
        )
    return sentences


def _footnotes(period: UnitPeriod) -> list[str]:
    """The footnote of :data:`APPROXIMATE_MARK`, when some figure of the draft carries it."""
    if not any(figure.is_approximate for figure in period.figures.values()):
        return []
    divided = period.divided_counted_here
    if not divided:
        detail = (
            "có số liệu của đơn vị hành chính cấp xã cũ được chia cho nhiều đơn vị mới, tính "
            "toàn bộ vào đơn vị kế thừa"
        )
    elif period.unit_level == "commune":
        detail = (
            f"{_old_units_in_prose(divided, say_divided=False)} được chia cho "
            f"nhiều đơn vị hành chính cấp xã mới từ ngày {_REFORM}; toàn bộ số liệu trước ngày "
            f"đó của {'đơn vị này' if len(divided) == 1 else 'các đơn vị này'} được tính vào "
            f"{unit_in_prose(period.unit_name)}"
        )
    else:
        moved = "; ".join(
            f"{_old_units_in_prose([old], say_divided=False)} vào {_successor_in_prose(old)}"
            for old in divided
        )
        detail = (
            f"các đơn vị hành chính cấp xã cũ sau được chia cho nhiều đơn vị mới từ ngày "
            f"{_REFORM}, toàn bộ số liệu trước ngày đó của mỗi đơn vị được tính vào đơn vị kế "
            f"thừa: {moved}"
        )
    return [f"{APPROXIMATE_MARK} Số liệu gần đúng: {detail}."]
