"""Small HTTP helpers for the simulator tests (urllib only, 127.0.0.1 only)."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def fetch(url: str, data: dict | None = None, timeout: float = 5) -> tuple[int, dict, bytes]:
    """GET (or POST form ``data``) → (status, headers, body) without raising on 4xx/5xx."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def text(url: str, encoding: str = "utf-8") -> str:
    status, _, body = fetch(url)
    assert status == 200, f"{url} answered {status}"
    return body.decode(encoding)


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)
