"""The draft's text: the sections and sentence shapes of the officers' own reports.

Sentence shapes follow the seed reports (``/work/shared/seeds``): the one-stop paragraph of
Mỹ Hào 2023-H1 ("tổng số hồ sơ TTHC đã tiếp nhận: …, trong đó: số hồ sơ tiếp nhận trực tuyến
là: …"), the resolution figures of Đức Phổ ("đã giải quyết …/… hồ sơ, chiếm …%"), the
digitisation, documents, payments and catalogue sentences of Bình Sơn 2023, and the target
count of Mộc Hóa ("…/14 chỉ tiêu …, 02/14 chỉ tiêu chưa có cơ sở đánh giá, 01/14 chỉ tiêu chưa
đạt"). Every figure comes from :class:`UnitPeriod`; nothing is typed in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from include.reports.figures import Figure, UnitPeriod
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
from include.reports.model import Heading, Paragraph, Report, Section, Table
from include.reports.wording import (
    HANDLING_LEVEL_LABELS,
    TARGET_STATUS_LABELS,
    children_word,
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
    if period.unit_level == "commune" and period.parent_name:
        return ubnd_of(period.parent_name)
    if period.unit_level == "district" and period.province_name:
        return f"Sở Thông tin và Truyền thông {unit_in_prose(period.province_name)}"
    return "Bộ Thông tin và Truyền thông"


def _reported_levels(period: UnitPeriod) -> list[str]:
    """The handling levels the report breaks figures down by: the unit's own and those below
    ("cấp huyện", "cấp xã"); ``all`` is only their sum."""
    levels = [level for level in period.handling_levels if level != "all"]
    return levels or period.handling_levels


def _total_level(period: UnitPeriod) -> str:
    return "all" if "all" in period.handling_levels else period.handling_levels[0]


def _level_lead(period: UnitPeriod, level: str) -> str:
    label = HANDLING_LEVEL_LABELS[level]
    if level == "commune" and period.unit_level != "commune" and period.children:
        label += f" ({vn_two_digits(len(period.children))} {children_word(period.children)})"
    return f"{label}:"


def _ratio_text(figure: Figure | None) -> str:
    return vn_percent(figure.value) if figure and figure.value is not None else "chưa có số liệu"


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
                HANDLING_LEVEL_LABELS[level],
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
        name += f" ({HANDLING_LEVEL_LABELS[level].lower()})"
    return name


def _is_ratio(figure: Figure) -> bool:
    return figure.denominator is not None


def _figure_value(figure: Figure) -> str:
    if figure.value is None:
        return "Chưa có số liệu"
    if _is_ratio(figure):
        return (
            f"{vn_percent(figure.value)} ({vn_count(figure.numerator)}/"
            f"{vn_count(figure.denominator)})"
        )
    return vn_count(figure.value)


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
    return section


def _catalogue_paragraphs(period: UnitPeriod) -> list[Paragraph]:
    total = _total_level(period)
    c = period.count
    paragraphs = [
        Paragraph(
            "Tổng số thủ tục hành chính được công bố trên Cổng Dịch vụ công của tỉnh (tính "
            f"đến ngày {vn_date(period.period_end)}) là {vn_count(c(total, 'dvc.procedures'))} "
            "thủ tục, trong đó tổng số dịch vụ công trực tuyến một phần là "
            f"{vn_count(c(total, 'dvc.partial'))} dịch vụ; tổng số dịch vụ công trực tuyến "
            f"toàn trình là {vn_count(c(total, 'dvc.full'))} dịch vụ."
        )
    ]
    levels = _reported_levels(period)
    if len(levels) > 1:
        parts = [
            f"một phần {HANDLING_LEVEL_LABELS[level].lower()} là "
            f"{vn_count(c(level, 'dvc.partial'))}, toàn trình "
            f"{HANDLING_LEVEL_LABELS[level].lower()} là {vn_count(c(level, 'dvc.full'))}"
            for level in levels
        ]
        paragraphs.append(
            Paragraph("Tổng số dịch vụ công trực tuyến " + "; ".join(parts) + ".", bullet="-")
        )
    return paragraphs


def _dossier_sentence(period: UnitPeriod, level: str) -> str:
    c = lambda code: period.count(level, code)  # noqa: E731 - a local shorthand reads best here
    f = lambda code: period.figure(level, code)  # noqa: E731
    if c("tthc.in_scope") == 0:
        return "không phát sinh hồ sơ thủ tục hành chính trong kỳ."
    received = c("tthc.received")
    parts = [
        f"tổng số hồ sơ TTHC đã tiếp nhận: {vn_count(received)} hồ sơ, trong đó: số hồ sơ "
        f"tiếp nhận trực tuyến là: {vn_count(c('tthc.received_online'))}; tiếp nhận trực "
        f"tiếp: {vn_count(c('tthc.received_in_person'))}; tiếp nhận qua dịch vụ bưu chính công "
        f"ích: {vn_count(c('tthc.received_postal'))}"
    ]
    in_scope, resolved = c("tthc.in_scope"), c("tthc.resolved")
    late = c("tthc.resolved_late")
    late_text = (
        "không có hồ sơ bị quá hạn"
        if late == 0
        else f"quá hạn: {vn_count(late)}/{vn_count(resolved)} hồ sơ, chiếm "
        f"{_ratio_text(f('tthc.late_rate'))}"
    )
    parts.append(
        f"tổng số hồ sơ phải giải quyết: {vn_count(in_scope)} hồ sơ (trong đó có "
        f"{vn_count(c('tthc.carried_over'))} hồ sơ kỳ trước chuyển sang); đã giải quyết "
        f"{vn_count(resolved)}/{vn_count(in_scope)} hồ sơ, chiếm "
        f"{_ratio_text(f('tthc.resolved_rate'))} (số hồ sơ giải quyết trước hạn: "
        f"{vn_count(c('tthc.resolved_early'))}, đúng hạn: {vn_count(c('tthc.resolved_on_time'))}, "
        f"{late_text})"
    )
    pending = c("tthc.pending")
    parts.append(
        f"hồ sơ đang giải quyết {vn_count(pending)}/{vn_count(in_scope)} hồ sơ, chiếm "
        f"{_ratio_text(f('tthc.pending_rate'))} (chưa đến hạn {vn_count(c('tthc.pending_not_due'))}"
        f" hồ sơ; quá hạn {vn_count(c('tthc.pending_overdue'))} hồ sơ)"
    )
    withdrawn, stopped = c("tthc.withdrawn"), c("tthc.stopped")
    if withdrawn or stopped:
        parts.append(
            f"công dân rút {vn_count(withdrawn)} hồ sơ, dừng xử lý {vn_count(stopped)} hồ sơ"
        )
    parts.append(
        f"số hóa hồ sơ TTHC khi tiếp nhận: {vn_count(c('tthc.digitized_rate'))} hồ sơ, đạt "
        f"{_ratio_text(f('tthc.digitized_rate'))}; số hóa kết quả giải quyết TTHC: "
        f"{vn_count(c('tthc.result_digitized_rate'))} hồ sơ, đạt "
        f"{_ratio_text(f('tthc.result_digitized_rate'))}"
    )
    return "; ".join(parts) + "."


def _online_sentence(period: UnitPeriod, level: str) -> str:
    f = lambda code: period.figure(level, code)  # noqa: E731
    c = lambda code: period.count(level, code)  # noqa: E731
    return (
        f"tỷ lệ hồ sơ trực tuyến đạt {_ratio_text(f('tthc.online_rate'))}; tỷ lệ hồ sơ trực "
        "tuyến trên các thủ tục cung cấp dịch vụ công trực tuyến toàn trình đạt "
        f"{_ratio_text(f('tthc.full_online_dossier_rate'))}; tỷ lệ hồ sơ có phí, lệ phí được "
        f"thanh toán trực tuyến đạt {_ratio_text(f('tthc.online_payment_rate'))} "
        f"({vn_count(c('tthc.online_payment_rate'))} hồ sơ); tỷ lệ hồ sơ tái sử dụng dữ liệu "
        f"số hóa đạt {_ratio_text(f('tthc.reuse_rate'))}."
    )


def _payments_sentence(period: UnitPeriod) -> str:
    level = _total_level(period)
    c = lambda code: period.count(level, code)  # noqa: E731
    count, amount = c("dvc.payments"), c("dvc.payment_amount")
    if count == 0:
        return "Trong kỳ chưa phát sinh giao dịch thanh toán trực tuyến trên Cổng Dịch vụ công."
    text = (
        f"Thanh toán trực tuyến qua Cổng Dịch vụ công: trong kỳ đã thực hiện "
        f"{vn_count(count)} giao dịch với tổng số tiền {vn_amount_words(amount)}"
    )
    parts = []
    for kinds, label in _PAYMENT_GROUPS:
        kind_count = sum(c(f"dvc.payments.{kind}") for kind in kinds)
        kind_amount = sum(c(f"dvc.payment_amount.{kind}") for kind in kinds)
        if kind_count:
            parts.append(
                f"thanh toán trực tuyến {label} được {vn_count(kind_count)} giao dịch với "
                f"tổng số tiền {vn_amount_words(kind_amount)}"
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
        f"Tổ chức, cá nhân đã thực hiện {vn_count(ratings)} lượt đánh giá sự hài lòng; tỷ lệ "
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
    return section


def _documents_sentence(period: UnitPeriod, level: str) -> str:
    c = lambda code: period.count(level, code)  # noqa: E731
    f = lambda code: period.figure(level, code)  # noqa: E731

    def signed_split(code: str) -> tuple[Decimal, Decimal]:
        figure = f(code)
        if figure is None or figure.denominator is None:
            return Decimal(0), Decimal(0)
        return figure.numerator, figure.denominator - figure.numerator

    in_signed, in_unsigned = signed_split("qlvb.incoming_signed_rate")
    out_signed, out_unsigned = signed_split("qlvb.outgoing_signed_rate")
    work_files = f("qlvb.work_file_online_rate")
    work_text = (
        f"{vn_count(work_files.numerator)}/{vn_count(work_files.denominator)} hồ sơ công việc "
        f"được xử lý trên môi trường mạng, đạt {_ratio_text(work_files)}"
        if work_files and work_files.denominator
        else "chưa có hồ sơ công việc được đóng trong kỳ"
    )
    return (
        f"từ {vn_date(period.period_start)} đến {vn_date(period.period_end)} có "
        f"{vn_count(c('qlvb.outgoing'))} văn bản đi, {vn_count(c('qlvb.incoming'))} văn bản đến "
        "được cập nhật, xử lý trên phần mềm Quản lý văn bản và điều hành; tỷ lệ văn bản điện tử "
        f"(trừ văn bản mật) đạt {_ratio_text(f('qlvb.electronic_rate'))}, trong đó văn bản "
        f"hoàn toàn điện tử đạt {_ratio_text(f('qlvb.fully_electronic_rate'))}; văn bản đến có "
        f"ký số {vn_count(in_signed)}, không ký số {vn_count(in_unsigned)}; văn bản đi có ký "
        f"số: {vn_count(out_signed)} văn bản (đạt {_ratio_text(f('qlvb.outgoing_signed_rate'))}"
        f"), không ký số: {vn_count(out_unsigned)} văn bản; tỷ lệ văn bản đi gửi qua Trục liên "
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
            f"{DTI_GROUP_LABELS[group].lower()}: {_score_text(period.scores.get((level, group)))}"
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
                f"{_score_text(overall)}{rank} ({groups}).",
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
                f"(các tiêu chí tính được từ dữ liệu, {HANDLING_LEVEL_LABELS[level].lower()}): "
                f"đạt {_points_text(total.points)}/{_points_text(total.max_points)} điểm "
                f"({vn_percent(_share(total.points, total.max_points))}).",
                bullet="-",
            )
        )
        rows = [
            [
                item,
                points.item_name,
                vn_percent(points.value) if points.value is not None else "Chưa có số liệu",
                _points_text(points.points) if points.points is not None else "—",
                _points_text(points.max_points),
            ]
            for (lv, item), points in sorted(period.points_766.items())
            if lv == level and item != "total"
        ]
        section.blocks.append(Table(["Tiêu chí", "Nội dung", "Tỷ lệ", "Điểm", "Tối đa"], rows))
    return section


def _score_text(score) -> str:
    if score is None or score.score is None:
        return "chưa có cơ sở tính"
    return vn_number(score.score, 2)


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
            Paragraph(completeness, bullet="-"),
        ],
    )
