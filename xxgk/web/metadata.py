"""Datasette metadata for ``xxgk serve``: Chinese titles, descriptions, column labels, facets,
canned queries, the dashboards and the review plugin's settings, for one database file."""

from __future__ import annotations

from pathlib import Path

from xxgk.web.queries import PROBLEM_VIEW, canned_queries, dashboard_queries

TABLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "sites": ("监测单位", "受监测的单位及其门户网站（种子文件中的站点）。",
              {"id": "站点 id", "name": "单位名称", "url": "门户网站首页", "entry": "信息公开入口",
               "annual_reports_since": "年报起始年度", "config": "站点配置（JSON）"}),
    "runs": ("运行记录", "每次采集/月度任务的运行：开始、结束、状态（ok 成功，partial 部分，failed 失败）。",
             {"id": "运行编号", "started_at": "开始时间", "finished_at": "结束时间", "status": "状态",
              "kind": "类型", "as_of": "检查基准日", "sites": "站点数", "pages": "页面数",
              "documents": "信息数", "errors": "错误数", "message": "说明"}),
    "crawls": ("站点采集", "每次运行中每个站点的采集结果（能否访问、页面数、错误）。",
               {"run_id": "运行编号", "site_id": "站点 id", "status": "状态（unreachable 为无法访问）",
                "error": "错误", "pages": "页面数", "columns": "栏目数", "documents": "信息数"}),
    "columns": ("栏目", "每次采集看到的信息公开栏目：分类、条数、最新日期、能否读取。",
                {"run_id": "运行编号", "site_id": "站点 id", "name": "栏目名称", "url": "栏目网址",
                 "category": "栏目分类", "item_count": "信息条数", "latest_date": "最新信息日期",
                 "empty_note": "空栏目说明", "status": "读取状态（ok 已读全，unreadable 无法读取，incomplete 未读全）",
                 "status_reason": "未读全的原因"}),
    "documents": ("信息（文件）", "采集到的每条公开信息及其元数据。",
                  {"site_id": "站点 id", "url": "网址", "title": "标题", "column_url": "所在栏目",
                   "index_no": "索引号", "publisher": "发布机构", "published": "发布日期",
                   "written": "成文日期", "doc_no": "文号", "topic": "主题分类"}),
    "links": ("链接检查", "列表项和附件链接的 HTTP 状态。",
              {"url": "链接", "source_url": "所在页面", "status": "HTTP 状态", "error": "错误"}),
    "findings": ("问题（原始）", "自动检查发现的问题（每次检查重写；审核状态见“问题审核”）。",
                 {"id": "编号", "run_id": "运行编号", "site_id": "站点 id", "check": "检查项",
                  "severity": "严重程度（veto 单项否决、deduct 扣分、warn 预警、info 提示）", "column": "栏目",
                  "url": "证据网址", "year": "年度", "detail": "问题描述", "as_of": "检查基准日"}),
    "verdicts": ("监测结论", "每次检查每个站点的结论；reviewed_* 为剔除审核驳回问题后的结论。",
                 {"verdict": "自动检查结论", "vetoes": "否决项", "findings": "问题数",
                  "reviewed_verdict": "审核后结论", "reviewed_vetoes": "审核后否决项"}),
    "reviews": ("审核记录", "每一次确认、驳回、撤销：问题、理由、审核人、时间（只增不改）。",
                {"problem_key": "问题标识（站点、检查项、年度、网址）", "state": "审核结论",
                 "reason": "理由", "reviewer": "审核人", "decided_at": "审核时间", "run_id": "审核时的运行"}),
    "finding_reviews": ("问题审核状态", "每条问题当前的审核状态（由审核记录推出，随每次检查和审核更新）。",
                        {"state_name": "审核状态", "period": "监测期", "in_period": "是否为本期通报所用监测"}),
    PROBLEM_VIEW: ("问题审核", "全部问题及其审核状态。按单位、问题类型、严重程度、审核状态筛选；"
                               "“本期通报”为 1 的是该监测期通报所用的监测。", {}),
}

FACETS = {PROBLEM_VIEW: ["单位", "问题类型", "严重程度", "审核状态"],
          "findings": ["site_id", "check", "severity"], "columns": ["site_id", "status"]}


def dashboards(db: str) -> dict:
    q = dashboard_queries()
    return {"xxgk-overview": {
        "title": "监测概览",
        "description": "合格率、问题类型和各单位问题数的逐月变化（已剔除审核驳回的问题）。",
        "layout": [["pending", "rate"], ["by-type", "by-type"], ["per-unit", "per-unit"]],
        "filters": {"site": {"name": "站点", "type": "select", "db": db,
                             "query": "select id from sites order by id"}},
        "charts": {
            "pending": {"title": "本期待审核问题", "db": db, "query": q["pending"], "library": "metric",
                        "display": {"field": "n", "suffix": " 条"}},
            "rate": {"title": "合格率（按月）", "db": db, "query": q["rate"], "library": "vega-lite",
                     "display": {"mark": {"type": "line", "point": True, "tooltip": True},
                                 "encoding": {"x": {"field": "监测期", "type": "ordinal", "title": "监测期", "axis": {"labelAngle": 0}},
                                              "y": {"field": "合格率", "type": "quantitative",
                                                    "title": "合格率（%）", "scale": {"domain": [0, 100]}}}}},
            "by-type": {"title": "各类问题数（按月）", "db": db, "query": q["by_type"], "library": "vega-lite",
                        "display": {"mark": {"type": "bar", "tooltip": True},
                                    "encoding": {"x": {"field": "监测期", "type": "ordinal", "title": "监测期", "axis": {"labelAngle": 0}},
                                                 "y": {"field": "问题数", "type": "quantitative", "title": "问题数"},
                                                 "color": {"field": "问题类型", "type": "nominal",
                                                           "title": "问题类型"}}}},
            "per-unit": {"title": "各单位问题数趋势", "db": db, "query": q["per_unit"], "library": "vega-lite",
                         "display": {"mark": {"type": "line", "point": True, "tooltip": True},
                                     "encoding": {"x": {"field": "监测期", "type": "ordinal", "title": "监测期", "axis": {"labelAngle": 0}},
                                                  "y": {"field": "问题数", "type": "quantitative", "title": "问题数"},
                                                  "color": {"field": "单位", "type": "nominal", "title": "单位"}}}},
        }}}


def _contents(db: str) -> str:
    """The database page's Chinese table of contents (Datasette lists tables by their ids)."""
    from html import escape

    links = ['<li><a href="/-/review">问题审核页面</a>（确认/驳回；须 xxgk serve --review）</li>',
             '<li><a href="/-/dashboards/xxgk-overview">监测概览（图表）</a></li>']
    for name in (PROBLEM_VIEW, "verdicts", "sites", "findings", "reviews", "columns", "documents", "links",
                 "crawls", "runs"):
        title, description, _ = TABLES[name]
        links.append(f'<li><a href="/{escape(db)}/{name}">{escape(title)}</a>（{name}）：{escape(description)}</li>')
    return "<ul>" + "".join(links) + "</ul>"


def build_metadata(db_file: str | Path, review: bool = False) -> dict:
    """The metadata dict for serving ``db_file`` (Datasette names the database after its stem)."""
    db = Path(db_file).stem
    tables = {}
    for name, (title, description, columns) in TABLES.items():
        entry = {"title": title, "description": description}
        if columns:
            entry["columns"] = columns
        if name in FACETS:
            entry["facets"] = FACETS[name]
        tables[name] = entry
    tables[PROBLEM_VIEW]["sort_desc"] = "编号"
    return {
        "title": "政府网站信息公开专栏监测工作台",
        "description": "采集、检查结果和通报前的人工审核。问题清单、整改跟踪等见下方“查询”；"
                       "图表见“监测概览”（/-/dashboards）；审核见“问题审核”（/-/review）。",
        "databases": {db: {"title": "监测数据库", "description_html": _contents(db), "tables": tables,
                           "queries": canned_queries()}},
        "plugins": {"datasette-dashboards": dashboards(db),
                    "xxgk-review": {"database": db, "writable": bool(review)}},
    }
