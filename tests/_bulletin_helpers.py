"""A small two-period database for the bulletin tests, written through the Store API.

Period 2026-10 and 2026-11; between them one problem persists (songling's stale 工作动态),
two are fixed (songling's missing 2024 年报, beihu's unreachable site) and several are new
(a metadata problem whose title carries ``<script>``, a broken link, xishan's empty columns —
xishan was not monitored in October, so all its problems are new).
"""

from __future__ import annotations

from pathlib import Path

from crawler.store import Store

SCRIPT_TITLE = "<script>alert('x')</script>关于*加强*管理|的通知"

SL = "http://www.songling.gov.cn"
BH = "http://www.beihu.gov.cn"
XS = "http://www.xishan.gov.cn"


def _run(store: Store, started_at: str) -> int:
    run_id = store.start_run("crawl")
    store.db["runs"].update(run_id, {"started_at": started_at})
    return run_id


def _finding(check, severity, column, url, detail, year=None) -> dict:
    return {"check": check, "severity": severity, "column": column, "url": url, "year": year,
            "detail": detail}


def _sites(store: Store) -> None:
    store.upsert_site("songling", "松岭区人民政府", f"{SL}/")
    store.upsert_site("beihu", "北湖区人民政府", f"{BH}/")
    store.upsert_site("xishan", "西山县人民政府", f"{XS}/")


def october(store: Store) -> int:
    _sites(store)
    run = _run(store, "2026-10-05 02:00:00")
    store.upsert_crawl(run, "songling", status="ok", url=f"{SL}/")
    store.upsert_crawl(run, "beihu", status="unreachable", url=f"{BH}/", error="连接被拒绝")
    for name, path in (("工作动态", "gzdt"), ("通知公告", "tzgg"), ("年度报告", "ndbg")):
        store.upsert_column(run, "songling", f"{SL}/xxgk/{path}/", name=name)
    store.replace_findings(run, "songling", "2026-10-05", [
        _finding("column_stale", "deduct", "工作动态", f"{SL}/xxgk/gzdt/",
                 "栏目最新信息发布于2026-08-01，已65天未更新（限值14天）"),
        _finding("annual_report_missing", "deduct", "年度报告", f"{SL}/xxgk/ndbg/",
                 "未发布2024年政府信息公开工作年度报告", year=2024),
    ], "合格", [])
    store.replace_findings(run, "beihu", "2026-10-05", [
        _finding("site_unreachable", "veto", None, f"{BH}/", "网站无法访问：连接被拒绝"),
    ], "不合格", ["site_unreachable"])
    store.finish_run(run, "partial")
    return run


def november(store: Store) -> int:
    _sites(store)
    # An earlier November run, superseded by the later one (latest audited crawl counts).
    early = _run(store, "2026-11-01 02:00:00")
    store.upsert_crawl(early, "songling", status="ok", url=f"{SL}/")
    store.replace_findings(early, "songling", "2026-11-01", [
        _finding("broken_link", "deduct", "通知公告", f"{SL}/old.html", "链接返回404（早先运行）"),
    ], "合格", [])
    store.finish_run(early, "ok")

    run = _run(store, "2026-11-03 02:00:00")
    for site, url in (("songling", SL), ("beihu", BH), ("xishan", XS)):
        store.upsert_crawl(run, site, status="ok", url=f"{url}/")
    for name, path in (("工作动态", "gzdt"), ("通知公告", "tzgg"), ("年度报告", "ndbg")):
        store.upsert_column(run, "songling", f"{SL}/xxgk/{path}/", name=name)
    for name, path in (("工作动态", "gzdt"), ("政策文件", "zcwj")):
        store.upsert_column(run, "beihu", f"{BH}/xxgk/{path}/", name=name)
    empty = ["机构职能", "人事信息", "规划计划", "财政资金", "政策解读"]
    for i, name in enumerate(empty):
        store.upsert_column(run, "xishan", f"{XS}/xxgk/c{i}/", name=name)
    for i in range(4):
        store.upsert_document(run, "songling", f"{SL}/xxgk/tzgg/{i}.html", title=f"通知{i}")
    store.upsert_document(run, "beihu", f"{BH}/xxgk/zcwj/1.html", title="政策")
    store.replace_findings(run, "songling", "2026-11-03", [
        _finding("column_stale", "deduct", "工作动态", f"{SL}/xxgk/gzdt/",
                 "栏目最新信息发布于2026-08-01，已94天未更新（限值14天）"),
        _finding("metadata_missing", "deduct", "通知公告", f"{SL}/xxgk/tzgg/1.html",
                 f"《{SCRIPT_TITLE}》缺少索引号"),
        _finding("column_stale", "info", "其他", f"{SL}/xxgk/qt/", "提示：栏目未分类"),
    ], "合格", [])
    store.replace_findings(run, "beihu", "2026-11-03", [
        _finding("broken_link", "deduct", "政策文件", f"{BH}/files/a.pdf", "附件链接返回404"),
    ], "合格", [])
    store.replace_findings(run, "xishan", "2026-11-03", [
        _finding("column_empty", "deduct", name, f"{XS}/xxgk/c{i}/", "栏目无任何信息且未说明原因")
        for i, name in enumerate(empty)
    ], "不合格", ["column_empty"])
    store.finish_run(run, "ok")

    # A later crawl that was never audited: not part of the period.
    late = _run(store, "2026-11-20 02:00:00")
    store.upsert_crawl(late, "songling", status="ok", url=f"{SL}/")
    store.finish_run(late, "ok")
    return run


def two_periods(path) -> Store:
    store = Store(path)
    october(store)
    november(store)
    return store


#: A fixed issue date, so the deadline in the text does not depend on the day the tests run.
CONFIG = {"issue_date": "2026-11-20"}


def write_sample(tmp, formats=("md", "html", "docx")) -> dict[str, Path]:
    """Build the two-period database in ``tmp`` and write November's bulletin; {ext: path}."""
    from audits.bulletin import write_bulletin

    store = two_periods(Path(tmp) / "xxgk.db")
    try:
        paths = write_bulletin(store, "2026-11", Path(tmp) / "out", formats, CONFIG)
    finally:
        store.close()
    return {p.suffix.lstrip(".") if not p.name.endswith("-chart.png") else "png": p for p in paths}


# --- reading a written bulletin back ---------------------------------------------------------

def md_section(md: str, heading: str) -> str:
    """The text of the ``## heading`` section of a Markdown bulletin, up to the next ``## ``."""
    marker = f"## {heading}"
    start = md.index(marker) + len(marker)
    end = md.find("\n## ", start)
    return md[start:] if end < 0 else md[start:end]


def md_table(md: str, label: str) -> list[list[str]]:
    """The rows (header first, no separator) of the table under ``## 附件N`` of a Markdown bulletin.

    Cells are split on unescaped ``|`` and stripped; an escaped ``\\|`` stays in its cell.
    """
    rows = []
    for line in md_section(md, label).splitlines():
        if not line.startswith("|") or set(line) <= set("|-"):
            continue
        cells, cell, escaped = [], "", False
        for ch in line.strip()[1:]:
            if ch == "|" and not escaped:
                cells.append(cell.strip())
                cell = ""
            else:
                cell += ch
            escaped = ch == "\\" and not escaped
        rows.append(cells)
    return rows
