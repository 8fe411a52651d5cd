"""A draft report as a standalone HTML page (no external resources: the network is closed)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from include.reports.formatting import roman
from include.reports.model import Heading, Paragraph, Report, Table

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
"""


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
        return f'<p class="body">{bullet}{lead}{escape(block.text)}</p>'
    head = "".join(f"<th>{escape(cell)}</th>" for cell in block.headers)
    rows = "".join(
        "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
    )
    return f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def write_html(report: Report, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(report), encoding="utf-8")
    return path
