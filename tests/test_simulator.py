"""The portal simulator over real HTTP: each CMS family serves its markup shape, truth matches
what is served, injected defects appear as specified, and generation is deterministic."""

from __future__ import annotations

import json
import re
import socket
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest
import yaml

from crawler.seeds import parse_seeds
from crawler.simulator import (SimulatorServer, build_portal, demo_portals, demo_ports, last_due_year,
                               report_deadline)
from crawler.text import parse_date, to_simplified
from crawler.simulator.model import REASON_NOTES

from _sim_helpers import SHARED, fetch, hrefs, text

AS_OF = date(2024, 3, 15)
MIXED = ("column_stale", "column_empty", "column_explained_empty", "metadata_missing::index_no",
         "metadata_invalid::date", "index_no_duplicate", "broken_link::404", "broken_link::attachment",
         "annual_report_missing:2020", "annual_report_late")


@pytest.fixture(scope="module")
def served():
    portals = [build_portal(f"sim-{cms}", name, cms, AS_OF, seed=7, defects=MIXED, report_years=range(2017, 2024))
               for cms, name in (("trs", "松岭区人民政府"), ("hanweb", "巢湖市人民政府"),
                                 ("legacy", "杜集区高岳街道办事处"), ("jsonapi", "楚雄高新区管委会"))]
    with SimulatorServer(portals) as server:
        yield server


def _column(truth: dict, category: str, min_items: int = 1) -> dict:
    return next(c for c in truth["columns"] if c["category"] == category and c["item_count"] >= min_items)


def _listed_urls(truth: dict, column: dict) -> set[str]:
    docs = {d["url"] for d in truth["documents"] if d["column_url"] == column["url"]}
    return docs | {b["url"] for b in truth["broken_links"] if b["kind"] == "item" and b["column_url"] == column["url"]}


# --- every portal ------------------------------------------------------------------------------

def test_homepage_links_entry_and_robots_allow_all(served):
    for site_id in served.portals:
        truth = served.truth(site_id)
        encoding = "gbk" if truth["cms"] == "legacy" else "utf-8"
        home = text(truth["url"], encoding)
        for word in ("首页", "新闻中心", "互动交流", "办事服务"):
            assert word in home
        entry_path = truth["entry"][len(truth["url"]) - 1:]
        assert entry_path in hrefs(home)
        directory = text(truth["entry"], encoding)
        for col in truth["columns"]:
            assert unescape(col["url"][len(truth["url"]) - 1:]) in hrefs(directory)
        assert fetch(truth["url"] + "robots.txt")[2] == b"User-agent: *\nAllow: /\n"
        assert fetch(truth["url"] + "no/such/page.html")[0] == 404


# --- TRS ---------------------------------------------------------------------------------------

def test_trs_countpage_script_and_index_pages(served):
    truth = served.truth("sim-trs")
    html_cols = [c for c in truth["columns"] if c["url"].endswith("index.html") and c["item_count"] > 15]
    shtml_cols = [c for c in truth["columns"] if c["url"].endswith("list.shtml") and c["item_count"] > 20]
    assert html_cols and shtml_cols
    for col in html_cols:
        page = text(col["url"])
        pages = -(-col["item_count"] // 15)
        assert f"var countPage = {pages}//共多少页\nvar currentPage = 0;\nvar countnum = {col['item_count']};\n" \
               'createPageHTML(countPage, currentPage, "index", "html");' in page
        seen = set()
        for k in range(pages):
            url = col["url"] if k == 0 else col["url"].replace("index.html", f"index_{k}.html")
            body = text(url)
            assert f"var currentPage = {k};" in body
            seen |= {url.rsplit("/", 1)[0] + h[1:] for h in hrefs(body) if h.startswith("./")}
        assert fetch(col["url"].replace("index.html", f"index_{pages}.html"))[0] == 404
        assert seen == _listed_urls(truth, col)
    for col in shtml_cols:
        pages = -(-col["item_count"] // 20)
        # 1-based, as the real script is called: page 1 list.shtml, page k list_k.shtml, 末页 list_{pages}
        calls = [re.sub(r"\s", "", text(col["url"] if k == 1 else col["url"].replace("list.shtml", f"list_{k}.shtml")))
                 for k in range(1, pages + 1)]
        for k, page in enumerate(calls, 1):
            assert f"createPageHTML('page_div',{pages},{k},'list','shtml',{col['item_count']});" in page
        assert fetch(col["url"].replace("list.shtml", f"list_{pages + 1}.shtml"))[0] == 404
        assert fetch(col["url"].replace("list.shtml", "list_1.shtml"))[0] == 404


def test_trs_detail_templates_and_decoys(served):
    truth = served.truth("sim-trs")
    pages = [text(d["url"]) for d in truth["documents"][:400]]
    handan = [p for p in pages if "<p><strong>索引号</strong>：" in p]
    gov = [p for p in pages if 'class="bd1"' in p]
    assert handan and gov
    assert all("<b>索 引 号：</b>" in p and "<b>标　　题：</b>" in p for p in gov)
    assert any("<!--<p><strong>成文日期</strong>：2010年01月01日</p>-->" in p for p in handan)
    assert not any(d["written"] == "2010-01-01" for d in truth["documents"])


# --- Hanweb ------------------------------------------------------------------------------------

def _records(xml: str) -> list[str]:
    return re.findall(r'<record><!\[CDATA\[.*?href="([^"]+)".*?\]\]></record>', xml, re.S)


def test_hanweb_first_group_inline_rest_only_by_post(served):
    truth = served.truth("sim-hanweb")
    base = truth["url"].rstrip("/")
    col = _column(truth, "news", 46)
    page = text(col["url"])
    inline = _records(page)
    assert len(inline) == 45
    assert f"<totalrecord>{col['item_count']}</totalrecord>" in page
    assert f"perPage: 15, totalRecord: {col['item_count']}, groupSize: 3}});" in page
    nextgroup = re.search(r"<nextgroup><!\[CDATA\[<a href=\"([^\"]+)\"></a>\]\]></nextgroup>", page).group(1)
    params = dict(p.split("=", 1) for p in nextgroup.split("?", 1)[1].split("&"))
    form = {k: params[k] for k in ("columnid", "unitid", "webid", "path", "webname", "permissiontype", "appid")}
    proxy = f"{base}/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15"
    assert fetch(proxy)[0] == 405          # jpage posts; a GET gets nothing
    status, headers, body = fetch(proxy, data=form)
    xml = body.decode("utf-8")
    assert status == 200 and xml.startswith('<?xml version="1.0" encoding="UTF-8"?><datastore>')
    rest = _records(xml)
    assert len(rest) == col["item_count"] - 45
    assert not set(rest) & set(inline)
    assert {base + u for u in inline + rest} == _listed_urls(truth, col)


def test_hanweb_detail_has_jcms_table_and_markers(served):
    truth = served.truth("sim-hanweb")
    doc = next(d for d in truth["documents"] if d["index_no"])
    page = text(doc["url"])
    assert 'class="xxgk"' in page and f"<td>索引号: {doc['index_no']}</td>" in page
    assert "<!--<$[标题]>begin-->" in page


# --- legacy ------------------------------------------------------------------------------------

def test_legacy_is_gbk_declared_only_in_meta(served):
    truth = served.truth("sim-legacy")
    col = _column(truth, "news", 21)
    status, headers, body = fetch(col["url"])
    assert headers["Content-Type"] == "text/html"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    html = body.decode("gbk")
    assert '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' in html
    seen, url = set(), col["url"]
    while url:                                  # follow 下一页 to the end
        html = text(url, "gbk")
        seen |= {url.rsplit("/", 1)[0] + "/" + h for h in hrefs(html) if h.startswith("content_")}
        nxt = re.search(r'<a href="([^"]+)">下一页</a>', html)
        url = url.rsplit("/", 1)[0] + "/" + nxt.group(1) if nxt else None
    assert seen == _listed_urls(truth, col)
    assert len(seen) == col["item_count"]


def test_legacy_detail_traditional_labels_and_chinese_dates(served):
    truth = served.truth("sim-legacy")
    pages = {d["url"]: text(d["url"], "gbk") for d in truth["documents"][:80]}
    assert any("索引號：" in p and "發布機構：" in p for p in pages.values())
    assert any('<td class="t1">索取号</td>' in p for p in pages.values())
    for url, page in pages.items():
        doc = next(d for d in truth["documents"] if d["url"] == url)
        assert re.search(r"\d{4}年\d{2}月\d{2}日", page)
        assert doc["title"] == to_simplified(re.search(r'<h2 id="ivs_title"[^>]*>([^<]+)</h2>', page).group(1))


# --- JSON API ----------------------------------------------------------------------------------

def test_jsonapi_pages_match_truth(served):
    truth = served.truth("sim-jsonapi")
    base = truth["url"].rstrip("/")
    for col in truth["columns"]:
        page = text(col["url"])
        assert '<ul id="list"></ul>' in page
        key = re.search(r'data: \{col: "([^"]+)", page: 1, size: 15\}', page).group(1)
        assert '$.ajax({url: "/api/list", type: "GET"' in page
        urls, dates, n = [], [], 1
        while True:
            data = json.loads(fetch(f"{base}/api/list?col={key}&page={n}&size=15")[2])
            assert data["code"] == 0 and data["data"]["total"] == col["item_count"]
            urls += [base + item["url"] for item in data["data"]["list"]]
            dates += [item["pubDate"] for item in data["data"]["list"]]
            if n >= max(data["data"]["pages"], 1):
                break
            n += 1
        assert set(urls) == _listed_urls(truth, col) and len(urls) == col["item_count"]
        assert col["latest_date"] == (max(dates) if dates else None)
    assert fetch(f"{base}/api/list?col=nope&page=1&size=15")[0] == 404


# --- truth and defects -------------------------------------------------------------------------

def test_truth_documents_show_their_metadata(served):
    for site_id in ("sim-trs", "sim-hanweb", "sim-jsonapi"):
        for doc in served.truth(site_id)["documents"][::7]:
            page = unescape(text(doc["url"]))
            for field in ("index_no", "publisher", "doc_no"):
                if doc[field]:
                    assert doc[field] in page, (doc["url"], field)
            assert doc["published"] <= AS_OF.isoformat()


def test_defects_are_served_as_specified(served):
    for site_id in served.portals:
        truth = served.truth(site_id)
        checks = sorted(d["check"] for d in truth["defects"])
        assert checks == sorted(["column_stale", "column_empty", "metadata_missing", "metadata_invalid",
                                 "index_no_duplicate", "index_no_duplicate", "broken_link", "broken_link",
                                 "annual_report_missing", "annual_report_late"])
        columns = {c["name"]: c for c in truth["columns"]}
        docs = {d["url"]: d for d in truth["documents"]}
        for d in truth["defects"]:
            if d["check"] == "column_stale":
                limit = {"news": 14, "notice": 181, "policy": 181}.get(columns[d["column"]]["category"], 365)
                assert date.fromisoformat(columns[d["column"]]["latest_date"]) < AS_OF - timedelta(days=limit)
            elif d["check"] == "column_empty":
                assert columns[d["column"]]["item_count"] == 0 and columns[d["column"]]["empty_note"] is None
            elif d["check"] == "broken_link":
                assert fetch(d["url"])[0] in (404, 500) and d["url"] not in docs
            elif d["check"] == "metadata_missing":
                assert docs[d["url"]]["index_no"] is None
            elif d["check"] == "metadata_invalid":
                assert docs[d["url"]]["written"] is None
                assert "-13-45" in text(d["url"], "gbk" if truth["cms"] == "legacy" else "utf-8") \
                    or "13月45日" in text(d["url"], "gbk" if truth["cms"] == "legacy" else "utf-8")
            elif d["check"] == "index_no_duplicate":
                same = [x for x in truth["documents"] if x["index_no"] == docs[d["url"]]["index_no"]]
                assert len(same) == 2
            elif d["check"] == "annual_report_missing":
                assert d["year"] == 2020 and 2020 not in [r["year"] for r in truth["reports"]]
            elif d["check"] == "annual_report_late":
                report = next(r for r in truth["reports"] if r["year"] == d["year"])
                assert report["url"] == d["url"]
                assert date.fromisoformat(report["published"]) > report_deadline(d["year"], truth["unit_kind"])
        # every other report is on time and every due year but the missing one is there
        years = [r["year"] for r in truth["reports"]]
        assert sorted(years) == [y for y in range(2017, last_due_year(AS_OF, truth["unit_kind"]) + 1)
                                 if y != 2020]
        explained = [c for c in truth["columns"] if c["empty_note"]]
        assert len(explained) == 1 and explained[0]["item_count"] == 0
        assert explained[0]["empty_note"] in REASON_NOTES
        assert explained[0]["empty_note"] in fetch(explained[0]["url"])[2].decode("gbk" if truth["cms"] == "legacy" else "utf-8")
        indexes = [d["index_no"] for d in truth["documents"] if d["index_no"]]
        assert len(indexes) - len(set(indexes)) == 1
        assert truth["verdict"] == "合格" and truth["vetoes"] == []


def test_clean_columns_are_fresh_and_annual_noise_is_not_a_report(served):
    limits = {"news": 14, "notice": 150, "policy": 150, "personnel": 300, "planning": 300}
    for site_id in served.portals:
        truth = served.truth(site_id)
        flagged = {d["column"] for d in truth["defects"] if d["check"].startswith("column_")}
        for col in truth["columns"]:
            if col["name"] not in flagged and col["category"] in limits:
                assert date.fromisoformat(col["latest_date"]) >= AS_OF - timedelta(days=limits[col["category"]])
        annual = _column(truth, "annual_report")
        titles = [d["title"] for d in truth["documents"] if d["column_url"] == annual["url"]]
        assert any(t.endswith("解读") for t in titles)
        assert any("财政局" in t or "经济发展局" in t for t in titles)
        assert len(titles) == len(truth["reports"]) + 3


def test_site_down_at_crawl_503_and_closed_port():
    down = build_portal("down", "某某县人民政府", "trs", AS_OF, defects=["site_down_at_crawl"])
    closed = build_portal("gone", "某某市人民政府", "jsonapi", AS_OF, defects=["site_down_at_crawl::closed"])
    with SimulatorServer([down, closed]) as server:
        truth = server.truth("down")
        assert fetch(truth["url"])[0] == 503 and fetch(truth["url"] + "xxgk/index.html")[0] == 503
        # a portal down at the crawl is a deduct: 站点无法访问 needs a week of probes (19号)
        assert truth["defects"] == [{"check": "site_down_at_crawl", "severity": "deduct", "column": None,
                                     "url": truth["url"], "year": None}]
        assert truth["vetoes"] == [] and truth["verdict"] == "未能自动检查"   # one crawl is no veto
        assert truth["columns"] == [] and truth["documents"] == []
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", server.port("gone")), timeout=2).close()


def test_vetoes_follow_counts():
    empty = build_portal("e", "某某区人民政府", "trs", AS_OF, defects=["column_empty"] * 5)
    names = [f"{w}动态" for w in ("工作", "部门", "乡镇", "政务", "基层")]
    stale = build_portal("s", "某某区人民政府", "legacy", AS_OF, columns=names, defects=["column_stale"] * 5)
    four = build_portal("f", "某某区人民政府", "legacy", AS_OF, columns=names, defects=["column_stale"] * 4)
    with SimulatorServer([empty, stale, four]) as server:
        assert server.truth("e")["vetoes"] == ["column_empty"] and server.truth("e")["verdict"] == "不合格"
        assert server.truth("s")["vetoes"] == ["column_stale"]
        assert server.truth("f")["verdict"] == "合格"


def test_deterministic_for_a_seed():
    def make(seed):
        portal = build_portal("det", "巢湖市人民政府", "hanweb", AS_OF, seed=seed, defects=MIXED)
        with SimulatorServer([portal]) as server:
            truth = server.truth("det")
            return truth, truth["url"]
    (a, url_a), (b, url_b), (c, _) = make(3), make(3), make(4)
    assert json.dumps(a).replace(url_a, "") == json.dumps(b).replace(url_b, "")
    assert a["documents"] != c["documents"]


def test_real_report_text_is_served_in_the_report_page():
    path = SHARED / "seed-reports" / "songling-2018.txt"
    if not path.exists():
        pytest.skip(f"shared reports not available at {path}")
    real = path.read_text(encoding="utf-8")
    portal = build_portal("sl", "松岭区人民政府", "trs", AS_OF, report_years=range(2018, 2024),
                          report_texts={2018: real})
    with SimulatorServer([portal]) as server:
        report = next(r for r in server.truth("sl")["reports"] if r["year"] == 2018)
        page = unescape(text(report["url"]))
        for line in [x for x in real.splitlines() if x.strip()][:20]:
            assert f"<p>{line}</p>" in page


def test_seeds_yaml_and_demo_file():
    portals = demo_portals(AS_OF)
    assert [p.site_id for p in portals] == ["songling", "gaoyue", "chaohu", "chuxiong-gxq", "hefei-xinzhan"]
    assert {p.cms for p in portals} == {"trs", "hanweb", "legacy", "jsonapi"}
    with SimulatorServer(portals) as server:
        seeds = parse_seeds(yaml.safe_load(server.seeds_yaml()))
        assert [s.url for s in seeds.portals] == [server.base_url(p.site_id) for p in portals]
        verdicts = [server.truth(p.site_id)["verdict"] for p in portals]
        assert verdicts.count("不合格") == 1
        assert all(server.truth(p.site_id)["defects"] or p.site_id == "hefei-xinzhan" for p in portals)
    demo = yaml.safe_load((Path(__file__).resolve().parents[1] / "seeds" / "demo.yaml").read_text(encoding="utf-8"))
    rows = demo["portals"]
    assert [r["id"] for r in rows] == [p.site_id for p in portals]
    assert [r["url"] for r in rows] == [f"http://127.0.0.1:{port}/" for port in demo_ports()]
    assert [r["annual_reports_since"] for r in rows] == [p.annual_reports_since for p in portals]


def test_dates_never_after_as_of_except_injected():
    portal = build_portal("fut", "某某区人民政府", "jsonapi", AS_OF, defects=["metadata_invalid::future"])
    with SimulatorServer([portal]) as server:
        truth = server.truth("fut")
        late = [d for d in truth["documents"] if d["published"] > AS_OF.isoformat()]
        assert [d["url"] for d in late] == [x["url"] for x in truth["defects"]]
        assert all(parse_date(d["list_date"]) <= AS_OF.isoformat() for d in truth["documents"])


def test_endless_calendar_is_a_trap_not_a_column():
    portal = build_portal("cal", "某某区人民政府", "legacy", AS_OF, trap=True)
    with SimulatorServer([portal]) as server:
        truth = server.truth("cal")
        assert truth["traps"] and truth["traps"][0] not in [c["url"] for c in truth["columns"]]
        home = text(truth["url"], "gbk")
        url = truth["url"].rstrip("/") + unescape(next(h for h in hrefs(home) if h.startswith("/calendar")))
        for _ in range(30):                      # it never ends: each month links to the next
            nxt = re.search(r'<a href="([^"]+)">下一月</a>', text(url)).group(1)
            url = truth["url"].rstrip("/") + nxt
        assert fetch(url)[0] == 200


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="unknown defect kind"):
        build_portal("x", "某某区人民政府", "trs", AS_OF, defects=["no_such_check"])
    with pytest.raises(ValueError, match="unknown cms"):
        build_portal("x", "某某区人民政府", "wordpress", AS_OF)
    with pytest.raises(KeyError):
        build_portal("x", "某某区人民政府", "trs", AS_OF, defects=["column_stale:不存在的栏目"])


def _reference_audit(truth: dict, as_of: date) -> set[tuple]:
    """A deliberately simple audit over truth's own columns/documents (SPEC thresholds)."""
    limits = {"news": 14, "notice": 183, "policy": 183, "personnel": 365, "planning": 365}
    found = set()
    for col in truth["columns"]:
        if col["item_count"] == 0 and col["empty_note"] not in REASON_NOTES:
            found.add(("column_empty", col["name"], col["url"], None))
        elif col["category"] in limits and col["latest_date"] and \
                date.fromisoformat(col["latest_date"]) < as_of - timedelta(days=limits[col["category"]]):
            found.add(("column_stale", col["name"], col["url"], None))
    names = {c["url"]: c["name"] for c in truth["columns"]}
    shape = re.compile(r"^([0-9A-Z]{9}|[0-9A-Z]{18})[/-]\d{4}(\d{2})?-\d+$")
    seen: dict[str, list[dict]] = {}
    for doc in truth["documents"]:
        column = names[doc["column_url"]]
        if doc["index_no"] is None or doc["publisher"] is None:
            found.add(("metadata_missing", column, doc["url"], None))
        elif not shape.match(doc["index_no"]) or doc["published"] > as_of.isoformat():
            found.add(("metadata_invalid", column, doc["url"], None))
        if doc["index_no"]:
            seen.setdefault(doc["index_no"], []).append(doc)
    for docs in seen.values():
        if len(docs) > 1:
            found |= {("index_no_duplicate", names[d["column_url"]], d["url"], None) for d in docs}
    annual = next(c for c in truth["columns"] if c["category"] == "annual_report")
    reports = {r["year"]: r for r in truth["reports"]}
    for year in range(truth["annual_reports_since"], last_due_year(as_of, truth["unit_kind"]) + 1):
        if year not in reports:
            found.add(("annual_report_missing", annual["name"], annual["url"], year))
        elif date.fromisoformat(reports[year]["published"]) > report_deadline(year, truth["unit_kind"]):
            found.add(("annual_report_late", annual["name"], reports[year]["url"], year))
    return found


@pytest.mark.parametrize("cms", ["trs", "hanweb", "legacy", "jsonapi"])
def test_truth_defects_are_exactly_what_the_data_implies(cms):
    from crawler.simulator import truth_dict
    defects = ("column_stale", "column_stale", "column_empty", "column_explained_empty",
               "metadata_missing::index_no", "metadata_missing::publisher", "metadata_invalid::index_no",
               "metadata_invalid::future", "index_no_duplicate", "annual_report_missing", "annual_report_late")
    for seed in range(3):
        as_of = AS_OF + timedelta(days=seed * 101)
        portal = build_portal("ref", "某某市人民政府", cms, as_of, seed=seed, defects=defects,
                              report_years=range(2016, 2030))
        truth = truth_dict(portal, "http://127.0.0.1:1/")
        expected = {(d["check"], d["column"], d["url"], d["year"]) for d in truth["defects"]}
        assert len(expected) == len(truth["defects"]) == 11
        assert _reference_audit(truth, as_of) == expected
