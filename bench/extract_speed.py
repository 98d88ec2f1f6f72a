"""Extraction cost against a yardstick measured in the same process: a bare parsel parse.

For every detail page of simulated portals (and the real pages in ../shared/realpages when
present) we time `extract_metadata` and `main_text`, and as the yardstick the cheapest thing
any extractor must do: `parsel.Selector(html).xpath('//text()').getall()`. The ratio says how
many bare parses one extraction costs, whatever the machine.

    python bench/extract_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

import parsel

from crawler.content import main_text
from crawler.metadata import extract_metadata
from crawler.simulator import build_portal, respond

REALPAGES = Path(__file__).resolve().parents[2] / "shared" / "realpages"


def pages() -> list[str]:
    found = []
    for i, cms in enumerate(("trs", "hanweb", "legacy", "jsonapi")):
        portal = build_portal(f"x{i}", "测试区人民政府", cms, date(2026, 11, 21), seed=i)
        for column in portal.columns:
            for doc in column.documents[:20]:
                page = respond(portal, "GET", doc.path)
                if page.status == 200:
                    found.append(page.body.decode("gb18030" if cms == "legacy" else "utf-8", "replace"))
    if REALPAGES.exists():
        found += [p.read_text(encoding="utf-8") for p in REALPAGES.glob("*.html")]
    return found


def timed(fn, docs, repeat) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for html in docs:
            fn(html)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = pages()
    yardstick = timed(lambda h: parsel.Selector(text=h).xpath("//text()").getall(), docs, args.repeat)
    meta = timed(extract_metadata, docs, args.repeat)
    text = timed(main_text, docs, args.repeat)
    print(f"pages: {len(docs)}")
    print(f"yardstick (bare parsel parse): {len(docs) / yardstick:8.0f} pages/s")
    print(f"extract_metadata: {len(docs) / meta:8.0f} pages/s  ratio to yardstick {meta / yardstick:.2f}x")
    print(f"main_text:        {len(docs) / text:8.0f} pages/s  ratio to yardstick {text / yardstick:.2f}x")


if __name__ == "__main__":
    main()
