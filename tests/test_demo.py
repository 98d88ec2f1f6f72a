"""`xxgk demo` (a new user's first command) and `xxgk serve` (Datasette on the database)."""

from __future__ import annotations

import json
import socket
import subprocess
import urllib.request
from datetime import date

import pytest

from _run_helpers import query, wait_for, xxgk_popen
from xxgk.demo import DEMO_PORTS, choose_ports, free_ports

pytestmark = pytest.mark.network


def test_demo_writes_bulletins_naming_units_and_problems(tmp_path, xxgk):
    from crawler.simulator import demo_portals

    out = tmp_path / "demo"
    # Occupy one of the usual ports (as another program might): the demo must move aside.
    blocker = socket.socket()
    try:
        blocker.bind(("127.0.0.1", DEMO_PORTS[0]))
        blocker.listen()
    except OSError:
        pass    # already taken by someone else: the same situation
    try:
        proc = xxgk("demo", "--out", str(out), timeout=600)
    finally:
        blocker.close()
    assert proc.returncode == 0, proc.stderr
    units = [p.name for p in demo_portals(date.today())]
    assert len(units) >= 5
    md = next((out / "bulletins").glob("bulletin-*.md"))
    html = md.with_suffix(".html")
    docx = md.with_suffix(".docx")
    assert html.exists() and docx.exists()
    md_text = md.read_text(encoding="utf-8")
    html_text = html.read_text(encoding="utf-8")
    from docx import Document
    document = Document(str(docx))
    docx_text = "\n".join([p.text for p in document.paragraphs]
                          + [c.text for t in document.tables for r in t.rows for c in r.cells])
    for text in (md_text, html_text, docx_text):
        assert all(unit in text for unit in units), "every demo unit is named"
    # the problems are named too: the findings' own sentences appear in the bulletin
    details = [r["detail"] for r in query(out / "xxgk.db", "select detail from findings")]
    assert details
    assert any(d in md_text for d in details)
    assert query(out / "xxgk.db", "select status from runs")[0]["status"] in ("ok", "partial")
    # the printout says where things are and how to browse them
    assert str(md) in proc.stdout and "xxgk serve --db" in proc.stdout
    seeds = (out / "demo-seeds.yaml").read_text(encoding="utf-8")
    assert f"127.0.0.1:{DEMO_PORTS[0]}/" not in seeds


def test_choose_ports_prefers_the_usual_ones_and_falls_back():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        busy = sock.getsockname()[1]
        ports = choose_ports(2, preferred=(busy, busy + 1))
        assert busy not in ports and len(set(ports)) == 2
    free = free_ports(2)
    assert choose_ports(2, preferred=free) == free


def test_serve_launches_datasette_on_the_db(tmp_path, xxgk):
    from crawler.store import Store

    db = tmp_path / "x.db"
    store = Store(db)
    store.finish_run(store.start_run("run"), "ok")
    store.close()
    [port] = free_ports(1)
    proc = xxgk_popen("serve", "--db", str(db), "--port", str(port),
                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        def runs_json():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/x/runs.json?_shape=array",
                                            timeout=5) as resp:
                    return json.loads(resp.read())
            except OSError:
                return None
        rows = wait_for(runs_json, timeout=60, what="datasette")
        assert rows[0]["status"] == "ok"
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out
    missing = xxgk("serve", "--db", str(tmp_path / "nope.db"))
    assert missing.returncode == 1 and "数据库不存在" in missing.stderr
