"""年报 checking speed against a bare text extraction of the same files, in the same process.

HTML: the real report pages of ../shared/realreports (when present) and Word-pasted pages
generated from the simulator's report texts (tests/_report_files.py). PDF: the same generated
reports rendered with reportlab. For each we time the full path the audit takes
(``main_text`` or ``crawler.attachments.extract``, then ``read_report`` with last year's text)
and, as the yardstick, the least any reader must do: lxml ``text_content()`` of the page, and
pdfplumber's ``extract_text()`` of every page (no table finding). The ratio says how many bare
extractions one checked report costs, whatever the machine.

    python bench/report_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import lxml.html
import pdfplumber

from audits.reports import read_report
from crawler import attachments
from crawler.content import main_text
from crawler.simulator.reports import report_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _report_files import pdf_bytes, word_html  # noqa: E402

REAL = Path(__file__).resolve().parents[2] / "shared" / "realreports"
UNITS = ("松岭区人民政府", "高岳街道办事处", "新站区管委会", "楚雄市教育局")
YEARS = (2020, 2021, 2022, 2023)


def _rate(fn, items, repeat: int) -> float:
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return len(items) / best if best else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    html_pages = [(word_html(report_text(u, y)), report_text(u, y - 1)) for u in UNITS for y in YEARS]
    if REAL.exists():
        html_pages += [(p.read_text(encoding="utf-8"), None) for p in sorted(REAL.glob("*.html"))]
    pdfs = [(pdf_bytes(report_text(u, y)), report_text(u, y - 1)) for u in UNITS[:2] for y in YEARS]

    bare_html = _rate(lambda item: lxml.html.fromstring(item[0]).text_content(), html_pages, args.repeat)
    full_html = _rate(lambda item: read_report(main_text(item[0]), previous_text=item[1]), html_pages, args.repeat)

    def bare_pdf(item):
        with pdfplumber.open(io.BytesIO(item[0])) as pdf:
            return "".join(page.extract_text() or "" for page in pdf.pages)

    bare = _rate(bare_pdf, pdfs, args.repeat)
    full = _rate(lambda item: read_report(attachments.extract(item[0], "r.pdf").text, previous_text=item[1]),
                 pdfs, args.repeat)
    print(f"HTML 年报 pages: {len(html_pages)}")
    print(f"  yardstick (lxml text_content):      {bare_html:8.1f} pages/s")
    print(f"  main_text + read_report:            {full_html:8.1f} pages/s  ratio {bare_html / full_html:.2f}x")
    print(f"PDF 年报 files: {len(pdfs)}")
    print(f"  yardstick (pdfplumber extract_text): {bare:7.2f} files/s")
    print(f"  attachments.extract + read_report:   {full:7.2f} files/s  ratio {bare / full:.2f}x")


if __name__ == "__main__":
    main()
