"""Issue 15 acceptance: the same crawl of unchanged POST-list portals on a busy server, 20 times.

`bench/repeatability.py` serves a Hanweb portal whose 工作动态 and 通知公告 lists continue in
``POST dataproxy.jsp`` from a busy simulated server (HTTP/1.0, listen backlog 5: the server of
the bug report) and crawls it 20 times in a row, each crawl into its own database, then audits
each with a fixed as-of. Every run must store every document of the ground truth, and the
documents, columns, findings and verdicts must be the same in every run.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "repeatability.py"


@pytest.mark.timeout(3000)     # 20 crawls: minutes on a loaded 2-core machine (no speed asserted)
def test_twenty_crawls_of_post_lists_on_a_busy_server_store_every_document_every_time():
    proc = subprocess.run([sys.executable, str(BENCH), "-n", "20", "--busy", "http10", "--sites", "1",
                           "--no-yardstick", "--json"], capture_output=True, text=True, timeout=3000)
    assert proc.returncode == 0, proc.stderr[-3000:]
    [series] = json.loads(proc.stdout.strip().splitlines()[-1])
    assert series["busy"] == "http10" and series["fix"] and series["runs"] == 20
    assert series["truth_documents"] == 160
    assert series["documents_per_run"] == [160] * 20
    assert series["identical"] == {"documents": True, "columns": True, "findings": True, "verdicts": True}
    assert series["gave_up"] == 0
