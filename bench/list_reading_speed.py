"""Cost of list-page reading with the CMS dialects tried first, against a yardstick measured in
the same process: a bare parsel parse of the same pages.

Pages: every column page of simulated portals of all eight families, plus the real list
captures in ../shared/realpages(/more) when present. Timed: the spider's list reading with the
dialects first (`PortalSpider._read_list_page`) and the generic readers alone
(`listing.extract_items` + `paging.find_paging`), so the ratio shows what the dialect step
costs on pages of other platforms and saves on its own.

    python bench/list_reading_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import parsel

from crawler import dialects, listing, paging
from crawler.simulator import build_portal, respond
from crawler.simulator.families import FAMILIES
from crawler.spiders.portal import PortalSpider
from extract_speed import timed  # same best-of-N timer (bench/ is on sys.path when run as a script)

REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"
URL = "http://127.0.0.1:1/col/"


def pages() -> tuple[list[str], list[str]]:
    """(pages a dialect reads, pages of other platforms)."""
    mine, other = [], []
    for i, cms in enumerate(FAMILIES):
        portal = build_portal(f"x{i}", "测试区人民政府", cms, date(2026, 11, 21), seed=i)
        paths = [portal.entry_path] + [c.path.split("#")[0] for c in portal.columns]
        for path in paths:
            page = respond(portal, "GET", path)
            html = page.body.decode("gb18030" if cms == "legacy" else "utf-8", "replace")
            (mine if dialects.read_page(html, URL.replace("/col/", path)) else other).append(html)
    if REALPAGES.exists():
        for p in list(REALPAGES.glob("*list*.html")) + list(REALPAGES.glob("more/*list*.html")):
            html = p.read_text(encoding="utf-8")
            (mine if dialects.read_page(html, URL) else other).append(html)
    return mine, other


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    mine, other = pages()
    generic = lambda h: (listing.extract_items(h, URL), paging.find_paging(h, URL))  # noqa: E731
    with_dialects = lambda h: PortalSpider._read_list_page(h, URL)  # noqa: E731
    bare = lambda h: parsel.Selector(text=h).xpath("//text()").getall()  # noqa: E731
    for label, docs in (("other platforms", other), ("dialect platforms", mine)):
        yardstick = timed(bare, docs, args.repeat)
        g, d = timed(generic, docs, args.repeat), timed(with_dialects, docs, args.repeat)
        print(f"{label}: {len(docs)} pages; yardstick (bare parsel parse) {len(docs) / yardstick:7.0f} pages/s")
        print(f"  generic readers only: {len(docs) / g:7.0f} pages/s  ratio to yardstick {g / yardstick:5.2f}x")
        print(f"  dialects first:       {len(docs) / d:7.0f} pages/s  ratio to yardstick {d / yardstick:5.2f}x"
              f"  (dialects / generic {d / g:4.2f})")


if __name__ == "__main__":
    main()
