"""Script-drawn lists: a static detector (pure), a browser engine (Playwright + system Chromium,
optional extra ``browser``) and what is learned from what the browser saw (pure).

``detect`` and ``learn`` import nothing heavy; ``engine`` imports Playwright only when a page is
rendered, so the crawl runs without the extra installed (such columns are then unreadable:
"需要浏览器引擎").
"""
