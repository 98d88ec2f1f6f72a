"""The HTML 通报 in a real browser: headless Chromium renders the title and the unit table.

``--dump-dom`` prints the DOM after the page has loaded (and after any script would have run),
so this also shows that the scraped ``<script>`` in a document title stayed text. Chromium is
Debian's ``chromium`` package (``.ci/run`` installs it when missing); without it the test skips.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest

from _bulletin_helpers import SCRIPT_TITLE, write_sample

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("chromium not installed (Debian package 'chromium'; .ci/run installs it)")


def test_chromium_shows_title_and_unit_table(tmp_path):
    browser = _chromium()
    html = write_sample(tmp_path, formats=("html",))["html"]
    proc = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                           "--dump-dom", html.resolve().as_uri()],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = lxml.html.fromstring(proc.stdout)
    assert dom.findtext(".//title") == "关于2026年11月全市政府网站信息公开专栏监测情况的通报"
    assert dom.findtext(".//h1") == "关于2026年11月全市政府网站信息公开专栏监测情况的通报"
    table = dom.xpath("//table")[0]
    rows = [[c.text_content() for c in tr.xpath("./th|./td")] for tr in table.xpath(".//tr")]
    assert rows[0] == ["序号", "单位", "网站", "检查栏目数", "问题数", "连通率", "否决项", "结论"]
    assert [r[1] for r in rows[1:]] == ["西山县人民政府", "松岭区人民政府", "北湖区人民政府"]
    assert dom.xpath("//script") == []
    assert SCRIPT_TITLE in dom.text_content()
    img = dom.xpath("//img")[0]
    assert img.get("src").startswith("data:image/png;base64,")
