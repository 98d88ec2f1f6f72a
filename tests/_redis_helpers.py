"""A throw-away redis-server on a free 127.0.0.1 port (Debian's redis-server package)."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def redis_server(tmp_path):
    """Yield ``redis://127.0.0.1:PORT/0`` of a fresh server (no persistence); skip without one."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server not installed (Debian package redis-server; .ci/run installs it)")
    pytest.importorskip("redis", reason="the redis extra is not installed: pip install -e '.[redis]'")
    import redis

    port = _free_port()
    proc = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
