"""Pieces every simulated portal shares: homepage, site nav, robots.txt, 404, the guide page,
static stubs, attachments and the endless calendar trap.

Each CMS family module builds its own directory, list and detail markup and calls
``finish(portal, ...)`` to add these.
"""

from __future__ import annotations

import zlib
from datetime import date
from html import escape

from .model import Page, Portal

NAV = (("首页", "/"), ("走进{short}", "/zjxx/"), ("新闻中心", "/xwzx/"), ("互动交流", "/hdjl/"),
       ("办事服务", "/bsfw/"))


def html_page(title: str, body: str, *, head: str = "", charset: str = "utf-8") -> str:
    return (f"<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; "
            f"charset={charset}\">\n<title>{escape(title)}</title>\n{head}</head>\n<body>\n{body}\n</body>\n</html>\n")


def short_place(portal: Portal) -> str:
    """走进松岭 / 走进高岳: the place name without its administrative suffix."""
    base = portal.base
    for suffix in ("高新区", "街道", "区", "市", "县"):
        if base.endswith(suffix) and len(base) > len(suffix) + 1:
            return base[: -len(suffix)]
    return base


def nav_html(portal: Portal) -> str:
    items = "".join(f'<li><a href="{href}">{escape(text.format(short=short_place(portal)))}</a></li>'
                    for text, href in NAV)
    items += f'<li><a href="{portal.entry_path}">{escape(portal.entry_text)}</a></li>'
    return f'<div class="nav"><ul class="nav-list">{items}</ul></div>'


def header_html(portal: Portal) -> str:
    return (f'<div class="header"><div class="logo"><a href="/">{escape(portal.name)}</a></div>'
            f'<div class="top-links"><a href="http://www.gov.cn/" target="_blank">中国政府网</a></div></div>'
            + nav_html(portal))


def footer_html(portal: Portal) -> str:
    return (f'<div class="footer"><p>主办单位：{escape(portal.name)}办公室　'
            f'<a href="/wzdt/">网站地图</a>　<a href="/lxwm/">联系我们</a></p>'
            f'<p>网站标识码 {zlib.crc32(portal.site_id.encode()) % 10**10:010d}</p></div>')


def homepage(portal: Portal, news_links: list[tuple[str, str, str]], charset: str = "utf-8") -> str:
    """Site nav + an 要闻 block with the newest news + the 信息公开 entry (and maybe the trap)."""
    # 要闻 rows as portals print them: <li><a href=… title=…>…</a><span>2026-03-10</span></li>
    # (hebei-handan-trs-xxgk-home.html: "近期信息公开" with <span>YYYY-MM-DD</span>); an
    # undated homepage shows the titles only.
    items = "".join(f'<li><a href="{href}" title="{escape(title)}">{escape(title)}</a>'
                    + (f'<span>{d}</span>' if d else "") + "</li>" for href, title, d in news_links)
    trap = (f'<div class="calendar"><a href="{portal.trap_path}">活动日历</a></div>' if portal.trap_path else "")
    body = (header_html(portal)
            + f'<div class="main"><div class="yw"><h3>{escape(portal.base)}要闻</h3><ul>{items}</ul></div>'
            f'<div class="gk-entry"><a href="{portal.entry_path}" class="xxgk">'
            f'<img src="/images/xxgk.png" alt="{escape(portal.entry_text)}">{escape(portal.entry_text)}</a></div>'
            f'{trap}</div>' + footer_html(portal))
    return html_page(portal.name, body, charset=charset)


def stub(portal: Portal, title: str, charset: str = "utf-8") -> str:
    body = header_html(portal) + f'<div class="main"><h2>{escape(title)}</h2><p>{escape(portal.name)}。</p></div>'
    return html_page(f"{title}_{portal.name}", body + footer_html(portal), charset=charset)


def guide_text(portal: Portal) -> list[str]:
    return [
        "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。",
        f"一、主动公开。{portal.name}主动公开的政府信息，通过门户网站信息公开专栏、政务新媒体等方式公开，"
        "属于主动公开范围的政府信息，自形成或者变更之日起20个工作日内予以公开。",
        "二、依申请公开。公民、法人或者其他组织可以向本机关申请获取相关政府信息，申请应当采用书面形式。",
        "三、监督和救济。公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。",
    ]


def not_found() -> Page:
    return Page(404, html_page("404 页面不存在", "<h1>404</h1><p>您访问的页面不存在或已被删除。</p>").encode("utf-8"))


def server_error() -> Page:
    return Page(500, html_page("500", "<h1>500 Internal Server Error</h1>").encode("utf-8"))


def calendar(query: dict) -> Page:
    """An endless calendar: every month links to the next one, forever (crawlers must bound)."""
    raw = (query.get("month") or ["2024-01"])[0]
    try:
        year, month = (int(x) for x in raw.split("-"))
        date(year, month, 1)
    except ValueError:
        return not_found()
    nxt = f"{year + (month == 12)}-{month % 12 + 1:02d}"
    prev = f"{year - (month == 1)}-{(month - 2) % 12 + 1:02d}"
    body = (f"<h2>活动日历 {year}年{month}月</h2><p>本月暂无活动安排。</p>"
            f'<a href="/calendar?month={prev}">上一月</a> <a href="/calendar?month={nxt}">下一月</a>')
    return Page(200, html_page(f"活动日历 {raw}", body).encode("utf-8"))


def finish(portal: Portal, pages: dict[str, Page], news_links, *, encoding: str = "utf-8",
           charset: str = "utf-8", content_type: str = "text/html; charset=utf-8") -> None:
    """Add homepage, stubs, robots.txt and attachments to ``pages`` and set them on the portal."""
    def put(path: str, text: str) -> None:
        pages[path] = Page(200, text.encode(encoding, errors="xmlcharrefreplace"), content_type)

    put("/", homepage(portal, news_links, charset))
    put("/index.html", homepage(portal, news_links, charset))
    for text, href in NAV[1:] + (("网站地图", "/wzdt/"), ("联系我们", "/lxwm/")):
        put(href, stub(portal, text.format(short=short_place(portal)), charset))
    for href, title, _day in portal.home_news:
        put(href, stub(portal, title, charset))
    pages["/robots.txt"] = Page(200, b"User-agent: *\nAllow: /\n", "text/plain")
    for col in portal.columns:
        for doc in col.documents:
            if doc.status != 200:
                pages[doc.path] = not_found() if doc.status == 404 else server_error()
            for att in doc.attachments:
                pages[att.path] = (Page(200, b"%PDF-1.4\n% simulated attachment\n%%EOF\n", "application/pdf")
                                   if att.status == 200 else not_found())
    portal.pages = pages


def attachments_html(doc) -> str:
    """附件 links of a detail page (relative to the site root)."""
    if not doc.attachments:
        return ""
    links = "".join(f'<p><a href="{escape(a.path)}" target="_blank">附件{n}：{escape(a.name)}</a></p>'
                    for n, a in enumerate(doc.attachments, 1))
    return f'<div class="fujian">{links}</div>'


def body_html(doc) -> str:
    """The main text as paragraphs, HTML-escaped, one <p> per line (年报 lines are kept)."""
    return "".join(f"<p>{escape(line)}</p>" for line in doc.body if line.strip())



def newest_news_links(portal: Portal, fmt=date.isoformat) -> list[tuple[str, str, str | None]]:
    """(path, title, date text or None) of the homepage's 要闻 block (``portal.home_news``)."""
    return [(path, title, fmt(day) if day else None) for path, title, day in portal.home_news]


def post_endpoint(path: str, answer):
    """The ``dynamic`` handler of a portal with one POST-only endpoint (``answer(form) -> Page``),
    as real list modules are (search.jsp, /fjdzapp/search): a GET there gets 405."""
    def dynamic(method: str, req_path: str, query: dict, form: dict) -> Page | None:
        if req_path != path:
            return None
        if method != "POST":
            return Page(405, b"Method Not Allowed", "text/plain; charset=utf-8")
        return answer(form)
    return dynamic
