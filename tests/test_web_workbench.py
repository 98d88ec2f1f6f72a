"""The web workbench (``xxgk serve``) in a real browser: Playwright driving Debian's chromium.

The demo database comes from ``xxgk demo`` (the simulated portals crawled over HTTP on
127.0.0.1). The test opens the Chinese home page, runs two canned queries and checks their
counts against ``xxgk review``, opens the dashboard and takes a screenshot, and with
``--review`` dismisses a finding through the page; without ``--review`` no write succeeds.
Playwright is never allowed to download a browser: it launches ``command -v chromium``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from crawler.store import Store

REPO = Path(__file__).resolve().parents[1]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("chromium not installed (Debian package 'chromium'; .ci/run installs it)")
    return path


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Serve:
    """``xxgk serve`` in a subprocess on a free 127.0.0.1 port."""

    def __init__(self, db: Path, *extra: str):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "xxgk", "serve", "--db", str(db), "--port",
                                      str(self.port), *extra], cwd=str(REPO), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/-/versions.json", timeout=5):
                    return
            except OSError:
                if self.proc.poll() is not None:
                    raise AssertionError(self.proc.stdout.read().decode(errors="replace"))
                time.sleep(0.5)
        self.stop()
        raise AssertionError("xxgk serve did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, xxgk) -> Path:
    out = tmp_path_factory.mktemp("demo")
    xxgk("demo", "--out", str(out), "--as-of", "2026-11-20", timeout=900, check=True)
    return out / "xxgk.db"


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True,
                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


def _cells(page, header: str):
    """The cells of one column of Datasette's result table, by its header text."""
    headers = [h.strip() for h in page.locator("table.rows-and-columns thead th").all_inner_texts()]
    index = next(i for i, h in enumerate(headers) if h.split()[0] == header) + 1
    return page.locator(f"table.rows-and-columns tbody tr td:nth-child({index})")


def _cli_json(xxgk, db: Path, *args: str) -> dict:
    return json.loads(xxgk("review", "--db", str(db), "--format", "json", *args, check=True).stdout)


def _dismissed(db: Path) -> list[dict]:
    store = Store(db)
    try:
        return [dict(r) for r in store.db.query(
            "select f.id, r.state, r.reason, r.reviewer from finding_reviews r "
            "join findings f on f.id = r.finding_id where r.state = 'dismissed'")]
    finally:
        store.close()


def test_workbench_pages_queries_dashboard_and_review(demo_db, browser, tmp_path, xxgk):
    cli = _cli_json(xxgk, demo_db)
    period = cli["period"]
    assert cli["counts"]["pending"] == len(cli["findings"]) > 0
    server = Serve(demo_db, "--review")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(server.url + "/")
        assert page.locator("h1").first.inner_text() == "政府网站信息公开专栏监测工作台"
        page.goto(server.url + "/xxgk")
        body = page.locator("body").inner_text()
        for title in ("本期不合格单位及否决项", "待审核问题", "整改跟踪（新发现/未整改/已整改）", "某单位历次监测结论"):
            assert title in body

        # Canned query 1: 待审核问题 — the same count as `xxgk review`.
        page.goto(server.url + "/xxgk/pending")
        assert page.locator("h1").first.inner_text().startswith("待审核问题")
        rows = page.locator("table.rows-and-columns tbody tr")
        assert rows.count() == cli["counts"]["pending"]
        evidence = _cells(page, "网址").locator("a")
        assert evidence.count() == rows.count()           # every finding links to its evidence
        assert evidence.first.get_attribute("href").startswith("http://127.0.0.1:")
        sites = _cells(page, "站点").locator("a")
        assert sites.count() == rows.count() and "/xxgk/sites/" in sites.first.get_attribute("href")

        # Canned query 2: 本期不合格单位及否决项 — the units the database judges 不合格.
        store = Store(demo_db)
        try:
            failing = {r[0] for r in store.db.execute(
                "select s.name from verdicts v join sites s on s.id = v.site_id "
                "where coalesce(v.reviewed_verdict, v.verdict) = '不合格'")}
        finally:
            store.close()
        page.goto(server.url + "/xxgk/unqualified")
        units = set(_cells(page, "单位").all_inner_texts())
        assert units == failing and units
        assert "栏目空白" in page.locator("table.rows-and-columns tbody").inner_text()

        # The dashboard draws its charts (vega-lite, bundled JS: no network).
        page.goto(server.url + "/-/dashboards/xxgk-overview")
        assert "监测概览" in page.locator("h1").first.inner_text()
        page.wait_for_selector("#card-by-type svg, #card-by-type canvas", timeout=60_000)
        page.wait_for_selector("#card-rate svg, #card-rate canvas", timeout=60_000)
        shot = Path(os.environ.get("XXGK_SCREENSHOT_DIR", str(tmp_path))) / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000

        # Review through the page: a dismissal without a reason is refused, with one reaches the DB.
        target = cli["findings"][0]["id"]
        page.goto(server.url + f"/-/review?period={period}")
        row = page.locator(f"#finding-{target}")
        row.locator("button[value=dismissed]").click()
        page.wait_for_load_state()
        assert "驳回必须写明理由" in page.locator("p.error").inner_text()
        assert _dismissed(demo_db) == []
        row = page.locator(f"#finding-{target}")
        row.locator("input.reviewer").fill("李四")
        row.locator("input.reason").fill("演示站点的测试数据")
        row.locator("button[value=dismissed]").click()
        page.wait_for_load_state()
        assert "已将 1 条问题标记为已驳回" in page.locator("p.message").inner_text()
        assert _dismissed(demo_db) == [{"id": target, "state": "dismissed", "reason": "演示站点的测试数据",
                                        "reviewer": "李四"}]
        assert page.locator(f"#finding-{target} td.state-已驳回").count() == 1

        # CLI and web agree after the decision.
        after = _cli_json(xxgk, demo_db)
        assert after["counts"]["dismissed"] == 1
        page.goto(server.url + "/xxgk/pending")
        assert page.locator("table.rows-and-columns tbody tr").count() == after["counts"]["pending"]
        page.goto(server.url + f"/-/review?period={period}")
        assert page.locator("#counts strong[data-state=dismissed]").inner_text() == "1"
    finally:
        page.close()
        server.stop()


def test_without_review_no_write_succeeds(demo_db, browser, xxgk):
    before = _dismissed(demo_db)
    pending = _cli_json(xxgk, demo_db, "--state", "pending")["findings"]
    target = pending[0]["id"]
    server = Serve(demo_db)
    page = browser.new_page()
    try:
        page.goto(server.url + "/-/review")
        assert "只读模式" in page.locator("body").inner_text()
        assert page.locator("button[value=dismissed]").count() == 0
        # A POST with a valid CSRF token (taken from a Datasette form) is refused by the plugin…
        page.goto(server.url + "/-/messages")
        token = page.locator("input[name=csrftoken]").first.get_attribute("value")
        form = {"csrftoken": token, "finding_id": str(target), "action": "dismissed", "reason": "x"}
        resp = page.request.post(server.url + "/-/review", form=form)
        assert resp.status == 403 and "只读模式" in resp.text()
        # … one without the token is stopped by Datasette's CSRF protection …
        resp = page.request.post(server.url + "/-/review",
                                 form={k: v for k, v in form.items() if k != "csrftoken"})
        assert resp.status == 403
        # … and Datasette itself runs no writing SQL.
        resp = page.request.get(server.url + "/xxgk.json?sql=" + urllib.request.quote(
            f"update findings set detail = 'x' where id = {target}"))
        assert resp.status >= 400
        assert _dismissed(demo_db) == before
        assert [f["id"] for f in _cli_json(xxgk, demo_db, "--state", "pending")["findings"]] == \
            [f["id"] for f in pending]
    finally:
        page.close()
        server.stop()
