"""Issue 15: why POSTed list pages were lost on busy servers, and that the fix holds.

The mechanism (crawler/connections.py): an HTTP/1.0 server closes after each answer without
``Connection: close``; Twisted pools that dead connection; the next request on it fails with
ConnectionDone; Twisted retries GETs by itself on a fresh connection, never POSTs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.connections import ConnectionRetryMiddleware, closes_after_response

PROBE = Path(__file__).with_name("_pool_probe.py")


def _probe(kind: str) -> dict:
    proc = subprocess.run([sys.executable, str(PROBE), kind, "40"], capture_output=True, text=True,
                          timeout=240)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_plain_twisted_pool_loses_every_post_sent_after_a_get_on_an_http10_server():
    stats = _probe("twisted")
    assert stats["GET"] == [40, 0]             # retried silently by Twisted on a new connection
    assert stats["POST"] == [0, 40]            # never retried: a POST has a body
    assert "ResponseNeverReceived" in stats["error"] and "ConnectionDone" in stats["error"]


def test_our_pool_closes_what_the_http10_server_closes_so_posts_go_out_on_new_connections():
    assert _probe("xxgk") == {"GET": [40, 0], "POST": [40, 0], "error": None}


@pytest.mark.parametrize("version,tokens,closes", [
    ((b"HTTP", 1, 0), [], True),
    ((b"HTTP", 1, 0), [b"Keep-Alive"], False),
    ((b"HTTP", 1, 1), [], False),
    ((b"HTTP", 1, 1), [b"close"], True),
    ((b"HTTP", 1, 1), [b"keep-alive, Close"], True),
])
def test_persistence_follows_rfc_9112(version, tokens, closes):
    assert closes_after_response(version, tokens) is closes


def test_back_off_doubles():
    mw = ConnectionRetryMiddleware(crawler=None, times=4, backoff=0.5)
    assert [mw.delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
