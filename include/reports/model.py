"""The structure of a draft report, independent of its output format (Word or HTML)."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Follows a figure that counts a divided old commune whole at its default successor
#: (``is_approximate``, reform2025.md §4); the report's footnotes say what it means.
APPROXIMATE_MARK = "(*)"


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; ``lead`` is an emphasised opening (``Cấp huyện:``), ``bullet`` the
    dash or plus the officers start list lines with."""

    text: str
    lead: str = ""
    bullet: str = ""


@dataclass(frozen=True)
class Heading:
    """A numbered sub-heading inside a section (``1. Dịch vụ công trực tuyến``)."""

    text: str


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]


Block = Paragraph | Heading | Table


@dataclass
class Section:
    """A top-level section, numbered with a Roman numeral (``I. Kết quả …``)."""

    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    issuer_parent: str  # the line above the issuer, e.g. "UBND TỈNH HƯNG YÊN"
    issuer: str  # "UBND THỊ XÃ MỸ HÀO"
    number_line: str  # "Số: /BC-UBND"
    place_date: str  # "Mỹ Hào, ngày    tháng 7 năm 2023"
    title: str  # "BÁO CÁO"
    subtitle: str
    recipient: str  # "Kính gửi: …"
    intro: str
    sections: list[Section]
    closing: str
    copies_to: list[str]
    signature: list[str]
    #: Notes printed under the body, each starting with the mark it explains.
    footnotes: list[str] = field(default_factory=list)

    def all_text(self) -> str:
        """Every piece of text in reading order (for search and tests)."""
        parts = [
            self.issuer_parent,
            self.issuer,
            self.number_line,
            self.place_date,
            self.title,
            self.subtitle,
            self.recipient,
            self.intro,
        ]
        for section in self.sections:
            parts.append(section.title)
            for block in section.blocks:
                if isinstance(block, Paragraph):
                    parts.append(f"{block.lead} {block.text}".strip())
                elif isinstance(block, Heading):
                    parts.append(block.text)
                else:
                    parts.extend(" | ".join(row) for row in [block.headers, *block.rows])
        parts += [*self.footnotes, self.closing, *self.copies_to, *self.signature]
        return "\n".join(parts)
