"""The older 大汉 (Hanweb) 信息公开目录 module: ``/module/xxgk/``.

Shape (issue 9; public crawlers of zj.gov.cn, hangzhou.gov.cn, sthjt.zj.gov.cn,
xxgk.harbin.gov.cn agree): a column page names its catalogue node (``infotypeId``), the
directory (``jdid``), the area code (``area``) and the div the list is drawn into (``divid``);
the list is the answer to ``POST /module/xxgk/search.jsp`` with those fields plus
``currpage``, ``sortfield``, ``vc_title`` … — an HTML fragment of rows (``tr_main_value_odd``
/ ``_even``) and a pager "共N页". Page 1 tells the page count; pages 2…N are asked at once.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from parsel import Selector

from crawler.listing import ListItem, extract_items
from crawler.paging import MAX_PAGES, PageRequest, Paging
from crawler.text import to_simplified

from .base import DialectPage, as_int, form_value, js_pairs, with_form

NAME = "dahan_xxgk"
KIND = "dahan_xxgk"
SEARCH_PATH = "/module/xxgk/search.jsp"
#: Form fields of search.jsp, in the order the module's own script sends them.
FIELDS = ("infotypeId", "jdid", "area", "divid", "vc_title", "vc_number", "sortfield", "currpage",
          "vc_filenumber", "vc_all", "texttype", "fbtime", "standardXxgk", "isAllList")
_PAGES = re.compile(r"共\s*(\d+)\s*页")
_RECORDS = re.compile(r"共\s*(\d+)\s*条")


def matches(html: str, url: str) -> bool:
    return SEARCH_PATH in html and "infotypeId" in html


def _fields(html: str) -> dict[str, str]:
    """The search fields from hidden inputs of the module's form, else from the JS object the
    page posts (``{infotypeId: 'A0212', jdid: '3096', …}``)."""
    found: dict[str, str] = {}
    try:
        for node in Selector(text=html).xpath("//input[@name]"):
            name = node.attrib.get("name")
            if name in FIELDS and name not in found:
                found[name] = node.attrib.get("value", "")
    except Exception:
        pass
    if "infotypeId" not in found:
        i = html.find("infotypeId")
        start = html.rfind("{", 0, i)
        end = html.find("}", i)
        if start >= 0 and end > i:
            found.update({k: v for k, v in js_pairs(html[start:end + 1]).items() if k in FIELDS})
    return found


def read(html: str, url: str) -> DialectPage | None:
    fields = _fields(html)
    if not fields.get("infotypeId"):
        return None
    fields["currpage"] = "1"
    form = tuple((k, fields.get(k, "")) for k in FIELDS if k in fields)
    first = PageRequest(urljoin(url, SEARCH_PATH), "POST", form, KIND)
    note = (f"列表由脚本绘制（大汉信息公开目录）：POST {SEARCH_PATH}"
            f"（infotypeId={fields['infotypeId']}，jdid={fields.get('jdid', '')}，currpage=页码）")
    return DialectPage(NAME, items=extract_items(html, url), paging=Paging([first]), script_note=note)


def read_answer(text: str, request: PageRequest, status: int = 200) -> tuple[list[ListItem], Paging]:
    items = extract_items(f"<html><body>{text or ''}</body></html>", request.url)
    plain = to_simplified(re.sub(r"<[^>]+>|&nbsp;", " ", text or ""))
    pages_m, records_m = _PAGES.search(plain), _RECORDS.search(plain)
    count = min(int(pages_m.group(1)), MAX_PAGES) if pages_m else None
    total = int(records_m.group(1)) if records_m else None
    current = as_int(form_value(request, "currpage")) or 1
    more = []
    if current == 1 and count:
        more = [with_form(request, currpage=str(n)) for n in range(2, count + 1)]
    return items, Paging(more, count, total)


def problem(text: str, status: int = 200) -> str | None:
    return None if (text or "").strip() else "信息公开目录 search.jsp 返回空白"
