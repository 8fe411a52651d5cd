"""A draft report as a standalone HTML page (no external resources: the network is closed)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from include.reports.formatting import roman
from include.reports.model import APPROXIMATE_MARK, Heading, Paragraph, Report, Table

#: The approximate figures' footnote, which every mark links to.
APPROXIMATE_NOTE_ID = "ghi-chu-so-lieu-gan-dung"
_MARK_HTML = (
    f'<sup class="approx"><a href="#{APPROXIMATE_NOTE_ID}" title="Số liệu gần đúng">'
    f"{escape(APPROXIMATE_MARK)}</a></sup>"
)

_STYLE = """
body { font-family: "Times New Roman", Times, serif; font-size: 14pt; max-width: 21cm;
       margin: 1cm auto; padding: 0 1.5cm; line-height: 1.4; color: #000; }
.header { display: flex; justify-content: space-between; text-align: center; font-size: 13pt; }
.header div { flex: 1; } .header .left { flex: 0.7; }
.title { text-align: center; font-weight: bold; margin: 0.3em 0; }
.recipient { text-align: center; margin: 0.6em 0 1em; }
p.body { text-align: justify; text-indent: 1.27cm; margin: 0 0 6pt; }
h2, h3 { font-size: 14pt; margin: 0.8em 0 0.4em; }
table.data { border-collapse: collapse; margin: 0.5em auto 1em; font-size: 13pt; }
table.data th, table.data td { border: 1px solid #000; padding: 2pt 5pt; vertical-align: top; }
.footer { display: flex; justify-content: space-between; margin-top: 1.5em; }
.copies { font-size: 11pt; } .copies b { font-size: 12pt; font-style: italic; }
.signature { text-align: center; font-weight: bold; min-width: 40%; }
sup.approx a { color: inherit; text-decoration: none; }
p.footnote { font-size: 12pt; font-style: italic; margin: 0 0 4pt; }
"""


def _text(text: str) -> str:
    """Escaped body text, each approximate mark raised and linked to its footnote."""
    return escape(text).replace(escape(APPROXIMATE_MARK), _MARK_HTML)


def _footnote(text: str) -> str:
    mark = escape(APPROXIMATE_MARK)
    if text.startswith(APPROXIMATE_MARK):
        rest = escape(text[len(APPROXIMATE_MARK) :])
        return f'<p class="footnote" id="{APPROXIMATE_NOTE_ID}"><sup>{mark}</sup>{rest}</p>'
    return f'<p class="footnote">{escape(text)}</p>'


def render_html(report: Report) -> str:
    out = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>{escape(report.subtitle)}</title><style>{_STYLE}</style></head><body>",
        '<div class="header"><div class="left">',
    ]
    if report.issuer_parent:
        out.append(f"{escape(report.issuer_parent)}<br>")
    out += [
        f"<b>{escape(report.issuer)}</b><br>───────<br>{escape(report.number_line)}</div>",
        "<div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>",
        "<b>Độc lập - Tự do - Hạnh phúc</b><br>───────────────<br>",
        f"<i>{escape(report.place_date)}</i></div></div>",
        f'<p class="title">{escape(report.title)}</p>',
        f'<p class="title">{escape(report.subtitle)}</p>',
        f'<p class="recipient">{escape(report.recipient)}</p>',
        f'<p class="body">{escape(report.intro)}</p>',
    ]
    for number, section in enumerate(report.sections, start=1):
        out.append(f"<h2>{roman(number)}. {escape(section.title)}</h2>")
        for block in section.blocks:
            out.append(_block(block))
    out.extend(_footnote(note) for note in report.footnotes)
    out.append(f'<p class="body">{escape(report.closing)}</p>')
    heading, *copies = report.copies_to
    out.append(f'<div class="footer"><div class="copies"><b>{escape(heading)}</b><br>')
    out.append("<br>".join(escape(line) for line in copies))
    out.append('</div><div class="signature">')
    out.append("<br>".join(escape(line) for line in report.signature))
    out.append("</div></div></body></html>")
    return "\n".join(out)


def _block(block: Paragraph | Heading | Table) -> str:
    if isinstance(block, Heading):
        return f"<h3>{escape(block.text)}</h3>"
    if isinstance(block, Paragraph):
        bullet = f"{escape(block.bullet)} " if block.bullet else ""
        lead = f"<b>{escape(block.lead)}</b> " if block.lead else ""
        return f'<p class="body">{bullet}{lead}{_text(block.text)}</p>'
    head = "".join(f"<th>{escape(cell)}</th>" for cell in block.headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_text(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
    )
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def write_html(report: Report, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
    return path
