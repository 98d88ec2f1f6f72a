"""Does this page draw its list by script? (pure)

Used by the spider only for list pages where the static readers found no items: a page that
binds a list template (avalon ``ms-repeat``, Vue ``v-for``, Angular ``ng-repeat``, a Handlebars
``<script type="text/x-handlebars-template">``) or loads its list from a script (``$.ajax``,
``fetch``, ``XMLHttpRequest``, ``loadPageData``, a TRS ``list2.trsapi`` module, …), or shows an
empty list container beside a site script, cannot be judged from its markup: a browser engine
has to run it, and without one the column is *unreadable*, never *empty*.

Real markup this was written from:
* 福建平潭 (TRS + avalon, ``…-list-jsonly-…``): ``<dl ms-repeat="list" …><a ms-attr-href="el.chnldocurl">``
  filled by ``require(["tools", "jquery", "list2.trsapi"], …)`` → ``POST /fjdzapp/search``.
* 江西生态环境厅 (``col42150``): ``<script id="div380055" type="text/x-handlebars-template">`` filled by
  ``loadPageData(params, '380055')`` through ``commonfiles/jquery.jpage.js``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsel import Selector

#: attribute bindings of list templates (framework, attribute)
_TEMPLATE_ATTRS = (("avalon", "ms-repeat"), ("avalon", "ms-for"), ("Vue", "v-for"), ("Angular", "ng-repeat"),
                   ("Knockout", "data-bind"))
_TEMPLATE_TYPES = ("text/x-handlebars-template", "text/x-template", "text/template", "text/html",
                   "text/x-jsrender", "text/x-tmpl")
#: calls that fetch data (inline scripts)
_LOADERS = (
    ("$.ajax", re.compile(r"\$\.ajax\s*\(")), ("$.post", re.compile(r"\$\.post\s*\(")),
    ("$.get", re.compile(r"\$\.get(?:JSON)?\s*\(")), ("fetch", re.compile(r"(?<![\w.])fetch\s*\(")),
    ("XMLHttpRequest", re.compile(r"XMLHttpRequest")), ("axios", re.compile(r"\baxios\b")),
    ("loadPageData", re.compile(r"\bloadPageData\s*\(")), ("jpage", re.compile(r"\.jpage\s*\(")),
    ("require(list module)", re.compile(r"require\s*\(\s*\[[^\]]*list[^\]]*\]", re.I)),
)
#: script files that are libraries, not a site's own list code
_LIBRARIES = re.compile(r"jquery|bootstrap|swiper|layer|echarts|vue(\.min)?\.js|polyfill|html5shiv|respond|"
                        r"analytics|hm\.js|baidu|cnzz|font|rem|barrier|wza|slb|jsencrypt|md5|base64|"
                        r"common\.js$|public\.js$|index\.js$|nav|menu|banner|slider|tab", re.I)
#: ordinary (presentational) HTML attributes: a container carrying only these configures nothing
_STANDARD_ATTRS = {"id", "class", "style", "role", "title", "align", "valign", "width", "height", "border",
                   "cellspacing", "cellpadding", "bgcolor", "lang", "dir", "tabindex", "hidden", "name",
                   "summary", "frame", "rules", "colspan", "rowspan", "des", "aria-label", "aria-live"}
_LIST_WORDS = re.compile(r"list|lb|xxgk|gk|doc|article|news|data|content", re.I)


@dataclass(frozen=True)
class ScriptSigns:
    """What shows that the list is drawn by script (each sign a short English phrase)."""
    signs: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.signs)

    def describe(self) -> str:
        return "; ".join(self.signs)


def script_list_signs(html: str) -> ScriptSigns:
    """The signs on ``html`` that its list is drawn by script (empty when none).

    A sign is a list-template binding, a data-loading call in an inline script, or an empty
    list container carrying script configuration (``<div id="list" data-chnl="12">``) beside a
    site script file. Library files alone
    (jQuery, analytics, accessibility tools) are not a sign: every page loads them."""
    try:
        sel = Selector(text=html or "<html></html>")
    except Exception:
        return ScriptSigns(())
    if sel.xpath("//script[@type='text/xml'][contains(., 'datastore')]"):
        # Hanweb jpage: the records (or <totalrecord>0</totalrecord>) are in the markup; the
        # jquery.jpage call only lays them out, and the static Hanweb reader reads them
        return ScriptSigns(())
    signs: list[str] = []
    for framework, attr in _TEMPLATE_ATTRS:
        nodes = sel.xpath(f"//*[@{attr}]")
        if attr == "data-bind":
            nodes = [n for n in nodes if "foreach" in (n.attrib.get(attr) or "")]
        if nodes:
            signs.append(f"{framework} template ({attr})")
    for t in _TEMPLATE_TYPES:
        n = len(sel.xpath(f"//script[@type='{t}']"))
        if n:
            signs.append(f"{n} <script type=\"{t}\"> template(s)")
    inline = "\n".join(sel.xpath("//script[not(@src)]/text()").getall())
    loaders = [name for name, rx in _LOADERS if rx.search(inline)]
    if loaders:
        signs.append("inline script calls " + ", ".join(loaders))
    own = [s for s in sel.xpath("//script/@src").getall() if not _LIBRARIES.search(s.rsplit("/", 1)[-1])]
    # An empty list container alone is what a static empty column looks like (TRS: an empty
    # <ul class="list"> and page.js); one that carries configuration for a script
    # (data-channel="…", jpaas queryData="…") is waiting to be filled.
    empty = [el for el in sel.xpath("//ul|//ol|//tbody|//table|//div|//dl|//section")
             if _LIST_WORDS.search(" ".join((el.attrib.get("id", ""), el.attrib.get("class", ""))))
             and any(a.startswith("data-") or a.lower() not in _STANDARD_ATTRS for a in el.attrib)
             and not el.xpath(".//a[@href] | .//text()[normalize-space()]")]
    if own and empty:
        names = ", ".join(sorted({s.rsplit("/", 1)[-1] for s in own})[:3])
        ids = ", ".join(sorted({"#" + e.attrib["id"] if e.attrib.get("id") else "." + e.attrib["class"].split()[0]
                                for e in empty})[:3])
        signs.append(f"empty list container {ids} beside site script {names}")
    return ScriptSigns(tuple(signs))


def draws_list_by_script(html: str) -> bool:
    """Whether the list on ``html`` is drawn by script (see :func:`script_list_signs`)."""
    return bool(script_list_signs(html))
