"""`xxgk inspect URL --render`: what the browser engine saw on one page.

The page is rendered once (system Chromium through Playwright, as in the crawl); the answer is
every request the page made (method, URL, body, status, how many list items each answer held),
the requests not made (other hosts, robots.txt), which answer held the list, and how its other
pages are asked for (the page field of that request, or the pager links the script wrote).
"""

from __future__ import annotations

import urllib.robotparser
from urllib.parse import urljoin, urlsplit

from crawler.render import engine, learn

USER_AGENT = "xxgk-monitor/0.1 (inspect)"


class RenderUnavailable(Exception):
    """No browser engine here; the message says why."""


def _robots_rule(url: str):
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    parser = urllib.robotparser.RobotFileParser(urljoin(url, "/robots.txt"))
    try:
        parser.read()
    except OSError:
        return None
    return lambda u: parser.can_fetch(USER_AGENT, u)


def render_report(url: str) -> dict:
    """The browser's view of ``url`` as a JSON-able dict (see the module docstring)."""
    reason = engine.unavailable_reason()
    if reason:
        raise RenderUnavailable(reason)
    renderer = engine.Renderer(user_agent=USER_AGENT)
    try:
        result = renderer.render(url, _robots_rule(url))
    finally:
        renderer.close()
    report = {"error": result.error, "status": result.status, "requests": [], "blocked": result.blocked,
              "list_from": None, "list_request": None, "paging": None, "next_requests": [], "items": []}
    if result.error:
        return report
    found = learn.find_list(result)
    counts = {id(ex): n for ex, n in (found.tried if found else [])}
    for ex in result.exchanges:
        report["requests"].append({"method": ex.method, "url": ex.url, "type": ex.resource_type,
                                   "body": ex.request_body, "status": ex.status,
                                   "content_type": ex.content_type, "items": counts.get(id(ex))})
    if found is None:
        return report
    report["items"] = [{"url": i.url, "title": i.title, "date": i.date} for i in found.items]
    report["paging"] = found.how()
    if found.exchange is None:
        report["list_from"] = "rendered DOM"
        report["next_requests"] = [p.url for p in found.dom_paging.next_pages] if found.dom_paging else []
    else:
        report["list_from"] = f"{found.exchange.method} {found.exchange.url}"
        report["list_request"] = found.shape.describe()
        pages = found.shape.next_pages(found.facts, len(found.items))
        for n in pages[:5]:
            method, u, body, _ = found.shape.request(n)
            report["next_requests"].append(f"{method} {u}" + (f" body={body}" if body else ""))
        if len(pages) > 5:
            report["next_requests"].append(f"… 共 {len(pages)} 个后续请求")
    return report
