"""年报 published as attachments: PDF / DOCX / DOC text extraction, the spider hook, inspect.

The files are generated here from the simulator's report texts (crawler/simulator/reports.py)
with reportlab (PDF, ruled tables, CID font) and python-docx (DOCX, merged label cells), each
with one injected inconsistency of every kind; the checker must find exactly that kind in the
extracted text, and nothing in a clean file. A PDF without a text layer must say
"无法读取文字（扫描件）" and yield no problems (unknown content is not missing content).
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from scrapy.http import HtmlResponse, Request, Response

from _report_files import docx_bytes, pdf_bytes, scanned_pdf
from audits.reports import read_report
from crawler import attachments
from crawler.items import DocumentItem, LinkItem
from crawler.seeds import Portal
from crawler.simulator.reports import DEFECTS, report_text
from crawler.spiders.portal import PortalSpider

pytest.importorskip("reportlab")

UNIT = "松岭区人民政府"
KIND = {"missing_section": "section_missing", "sum_mismatch": "sum_mismatch", "table_rule": "table_rule",
        "total_row": "total_row", "total_column": "total_column", "review_total": "review_total",
        "repeated_paragraph": "repeated_paragraph", "copied_report": "copied_report",
        "carryover": "carryover_mismatch", "valid_count": "valid_count_mismatch",
        "prose_figure": "prose_table_mismatch"}
MAKERS = {"pdf": pdf_bytes, "docx": docx_bytes}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("year", [2020, 2022])
def test_clean_attachment_reports_are_clean(kind, year):
    extracted = attachments.extract(MAKERS[kind](report_text(UNIT, year)), f"nb.{kind}")
    assert extracted.status == "ok" and extracted.tables >= 3
    reading = read_report(extracted.text, previous_text=report_text(UNIT, year - 1))
    assert reading.year == year and reading.unit == UNIT
    assert reading.table_format == ("2021" if year >= 2021 else "2019")
    assert reading.problems == [], [p.detail for p in reading.problems]
    assert all(reading.sections.values())


@pytest.mark.parametrize(("kind", "year"), [("pdf", 2022), ("docx", 2022), ("docx", 2020)])
@pytest.mark.parametrize("defect", DEFECTS)
def test_each_injected_defect_is_found_in_attachments(kind, year, defect):
    text = report_text(UNIT, year, defects=(defect,))
    extracted = attachments.extract(MAKERS[kind](text), f"nb.{kind}")
    reading = read_report(extracted.text, previous_text=report_text(UNIT, year - 1))
    expected = set() if defect == "valid_count" and year < 2022 else {KIND[defect]}   # 60号: no 现行有效件数
    assert {p.kind for p in reading.problems} == expected, [p.detail for p in reading.problems]


def test_pdf_tables_come_out_cell_by_cell():
    extracted = attachments.extract(pdf_bytes(report_text(UNIT, 2022)), "nb.pdf")
    lines = extracted.text.splitlines()
    first = next(line for line in lines if "一、本年新收" in line)
    cells = [c.strip() for c in first.split(" | ") if c.strip()]
    assert len(cells) == 8 and all(c.isdigit() for c in cells[1:])   # label + 6 applicant columns + 总计
    total = next(line for line in lines if "（七）总计" in line)
    assert len([c for c in total.split(" | ") if c.strip().isdigit()]) == 7


def test_scanned_pdf_is_unreadable_not_empty():
    extracted = attachments.extract(scanned_pdf(), "scan.pdf")
    assert extracted.status == "scanned" and extracted.note == "无法读取文字（扫描件）"
    assert extracted.text == ""
    assert read_report(extracted.text).problems == []


def test_broken_and_oversized_files_give_a_status_not_a_traceback():
    assert attachments.extract(b"%PDF-1.4 garbage", "x.pdf").status == "error"
    assert attachments.extract(b"PK\x03\x04word/ broken", "x.docx").status == "error"
    big = attachments.extract(b"%PDF" + b"0" * (attachments.MAX_BYTES + 1), "x.pdf")
    assert big.status == "error" and "MB" in big.note
    assert attachments.extract(b"hello", "x.xls").status == "unsupported"


@pytest.mark.skipif(not shutil.which("antiword"), reason="antiword (Debian package) is not installed")
def test_legacy_doc_without_a_word_file_is_an_error_status():
    # No .doc writer is available headless, so only the failure path is exercised on a fake file.
    result = attachments.extract(b"\xd0\xcf\x11\xe0" + b"\0" * 600, "nb.doc")
    assert result.kind == "doc" and result.status == "error" and result.text == ""


def test_doc_without_antiword_says_so(monkeypatch):
    monkeypatch.setattr(attachments.shutil, "which", lambda name: None)
    result = attachments.extract(b"\xd0\xcf\x11\xe0" + b"\0" * 600, "nb.doc")
    assert result.status == "unsupported" and "antiword" in result.note


# --- the spider hook: a report page whose body only links the PDF -----------------------------

def _spider():
    portal = Portal(id="sl", url="http://127.0.0.1:9/", name=UNIT)
    return PortalSpider(portals=[portal])


def _detail_response(spider, html: str, url: str, title: str):
    from crawler import listing

    request = Request(url, meta={"site_id": "sl", "kind": "detail", "column_url": "http://127.0.0.1:9/nb/",
                                 "list_url": "http://127.0.0.1:9/nb/",
                                 "list_item": listing.ListItem(url=url, title=title, date="2023-01-20")})
    return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8", request=request)


def test_spider_reads_the_attached_pdf_of_a_report_page():
    spider = _spider()
    spider.sites["sl"].entry_url = "http://127.0.0.1:9/"
    title = f"{UNIT}2022年政府信息公开工作年度报告"
    html = (f"<html><head><title>{title}</title></head><body><div class='TRS_Editor'><p>{title}</p>"
            "<p>附件：<a href='/nb/2022.pdf'>2022年年度报告.pdf</a></p></div></body></html>")
    out = list(spider.parse_detail(_detail_response(spider, html, "http://127.0.0.1:9/nb/t1.html", title)))
    requests = [o for o in out if isinstance(o, Request)]
    assert not [o for o in out if isinstance(o, DocumentItem)]      # held back until the file is read
    pdf_request = next(r for r in requests if r.url.endswith("2022.pdf"))
    assert pdf_request.method == "GET" and pdf_request.meta["download_maxsize"] == attachments.MAX_BYTES
    assert pdf_request.dont_filter    # a file linked from two pages must not lose the second document
    assert len([r for r in requests if r.url.endswith("2022.pdf")]) == 1     # no extra HEAD for it
    body = pdf_bytes(report_text(UNIT, 2022, defects=("total_row",)))
    response = Response(pdf_request.url, body=body, request=pdf_request, status=200,
                        headers={"Content-Type": "application/pdf"})
    items = list(spider.parse_report_file(response))
    doc = next(i for i in items if isinstance(i, DocumentItem))
    assert any(isinstance(i, LinkItem) and i.status == 200 for i in items)
    assert "本年新收" in doc.text and doc.metadata["report_file_status"] == "ok"
    assert {p.kind for p in read_report(doc.text, title=doc.title).problems} == {"total_row"}


def test_spider_keeps_a_scanned_report_unread_not_empty():
    spider = _spider()
    title = f"{UNIT}2022年政府信息公开工作年度报告"
    from crawler import listing

    url = "http://127.0.0.1:9/nb/2022.pdf"
    request = Request(url, meta={"site_id": "sl", "kind": "attachment_item", "column_url": "http://127.0.0.1:9/nb/",
                                 "list_url": "http://127.0.0.1:9/nb/",
                                 "list_item": listing.ListItem(url=url, title=title, date="2023-01-20")})
    response = Response(url, body=scanned_pdf(), request=request, status=200)
    doc = next(i for i in spider.parse_detail(response) if isinstance(i, DocumentItem))
    assert not doc.text
    assert doc.metadata["report_file_note"] == "无法读取文字（扫描件）"


# --- inspect ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_inspect_reads_attachment_files(tmp_path, kind):
    path = tmp_path / f"nb.{kind}"
    path.write_bytes(MAKERS[kind](report_text(UNIT, 2021, defects=("review_total",))))
    out = subprocess.run(["xxgk", "inspect", str(path), "--format", "json"], capture_output=True, text=True,
                         timeout=300, check=True)
    report = json.loads(out.stdout)["report"]
    assert report["year"] == 2021 and report["unit"] == UNIT and report["file"]["kind"] == kind
    assert [p["kind"] for p in report["problems"]] == ["review_total"]


def test_inspect_says_a_scan_is_unreadable(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf())
    out = subprocess.run(["xxgk", "inspect", str(path)], capture_output=True, text=True, timeout=300, check=True)
    assert "无法读取文字（扫描件）" in out.stdout
