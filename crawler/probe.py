"""Availability probes: one GET of each portal's homepage and 信息公开 entry, with a hard limit.

国办秘函〔2019〕19号 measures 站点无法访问 as "监测1周，每天间隔性访问20次以上，超过（含）15秒网站
仍打不开的次数累计占比超过（含）5%". This module is the measuring instrument; the schedule lives
in ``xxgk.probe`` and the judgement in ``audits.checks.reachability``.

Choices, and why:

- **httpx** (``AsyncClient``): a well-kept asyncio HTTP client (already installed with Datasette),
  so hundreds of portals are probed concurrently from one thread without Scrapy's reactor
  (which cannot be restarted inside a long-running scheduler process). aiohttp would do as well;
  httpx needs no new dependency.
- **A GET, never HEAD**: many portals answer HEAD wrongly (405, 404, or a WAF page); a GET is
  what a visitor's browser does. The body is read (up to ``MAX_BODY`` bytes) because "打开" means
  the page arrived, not only its status line.
- **One overall limit per probe** (``LIMIT_SECONDS`` = 15, injectable): httpx's own timeouts are
  per phase (connect, each read), so a server trickling a byte every 10 s would never time out;
  the whole GET (connect, redirects, headers, body) runs under ``asyncio.timeout``.
- **No retries**; redirects are followed (they are part of opening the page). Certificates are
  not verified: a visitor can open a page with an expired certificate, and an availability
  measurement must not turn a certificate problem into "打不开".
- **Politeness**: a portal's URLs are probed one after the other, never at the same time, and
  nothing else (no assets, no robots.txt) is fetched. A global semaphore bounds concurrency.
- **Spread**: each portal starts at a stable offset inside ``spread`` seconds (from a hash of its
  id) plus a little random jitter, so hundreds of portals are not hit in the same second and a
  portal's probes stay evenly spaced from round to round.

A probe fails (``ok`` 0) on a DNS failure, a refused or broken connection, the limit, or an HTTP
status ≥ 500 — SPEC's list. A 4xx answer is recorded with its status but counts as answered: the
server is up and answering (a missing page is the broken-link check's business).
"""

from __future__ import annotations

import asyncio
import hashlib
import random
import socket
import ssl
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Callable, Iterable, Sequence

import httpx

LIMIT_SECONDS = 15.0        # 19号: "超过（含）15秒网站仍打不开"
MAX_BODY = 1_000_000        # bytes read of a page; the rest is not needed to know it opened
DEFAULT_CONCURRENCY = 100   # requests in flight over all portals
USER_AGENT = "xxgk-monitor/0.1 (availability probe; +https://pypi.org/project/xxgk-monitor/)"  # ASCII: a header

#: Error classes stored in ``probes.error`` and their Chinese wording (findings, 通报).
ERRORS = {
    "timeout": "超过15秒未能打开",
    "dns": "域名解析失败",
    "refused": "连接被拒绝",
    "connect": "无法建立连接",
    "reset": "连接中断",
    "protocol": "服务器未返回有效响应",
    "tls": "安全连接（TLS）失败",
    "redirects": "重定向次数过多",
    "error": "请求失败",
}


@dataclass(frozen=True)
class Target:
    """One portal to probe: its id and the URLs of one probe (homepage, then 信息公开 entry)."""

    site_id: str
    urls: tuple[tuple[str, str], ...]      # ((kind, url), …) kind: homepage | entry

    @classmethod
    def of(cls, site_id: str, url: str, entry: str | None = None) -> "Target":
        urls = [("homepage", url)]
        if entry and entry.rstrip("/") != url.rstrip("/"):
            urls.append(("entry", entry))
        return cls(site_id, tuple(urls))


@dataclass
class ProbeRecord:
    """One probe of one URL: a row of the ``probes`` table."""

    site_id: str
    url: str
    kind: str
    round: str
    at: str
    status: int | None
    error: str | None
    elapsed_ms: int
    ok: int

    def as_row(self) -> dict:
        return asdict(self)


def classify(exc: BaseException) -> str:
    """An exception raised by a GET → an error class of ``ERRORS``."""
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError, httpx.TimeoutException)):
        return "timeout"
    if isinstance(exc, httpx.TooManyRedirects):
        return "redirects"
    chain, seen = exc, 0
    while chain is not None and seen < 8:        # the OS error behind httpx's wrapper
        if isinstance(chain, socket.gaierror):
            return "dns"
        if isinstance(chain, ConnectionRefusedError):
            return "refused"
        if isinstance(chain, ssl.SSLError):
            return "tls"
        if isinstance(chain, (ConnectionResetError, BrokenPipeError)):
            return "reset"
        chain, seen = chain.__cause__ or chain.__context__, seen + 1
    text = str(exc).lower()
    if "name or service not known" in text or "nodename nor servname" in text \
            or "temporary failure in name resolution" in text:
        return "dns"
    if "connection refused" in text:
        return "refused"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "protocol"
    if isinstance(exc, httpx.ConnectError):
        return "connect"
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return "reset"
    return "error"


def describe(error: str | None, status: int | None) -> str:
    """``("timeout", None)`` → 超过15秒未能打开; ``(None, 503)`` → HTTP 503."""
    if error:
        return ERRORS.get(error, error)
    return f"HTTP {status}" if status else "未知"


async def _get(client: httpx.AsyncClient, url: str) -> int:
    async with client.stream("GET", url) as response:
        read = 0
        async for chunk in response.aiter_raw():
            read += len(chunk)
            if read >= MAX_BODY:
                break
        return response.status_code


async def probe_url(client: httpx.AsyncClient, site_id: str, kind: str, url: str, round_id: str,
                    limit: float = LIMIT_SECONDS, clock: Callable[[], datetime] | None = None
                    ) -> ProbeRecord:
    """One GET of ``url`` under the overall ``limit``; never raises."""
    at = (clock or _now)()
    started = time.monotonic()
    status, error = None, None
    try:
        async with asyncio.timeout(limit):
            status = await _get(client, url)
    except Exception as exc:  # noqa: BLE001 - every failure is a record, never a crash
        error = classify(exc)
    elapsed = time.monotonic() - started
    if error is None and elapsed >= limit:
        error = "timeout"
    ok = int(error is None and status is not None and status < 500)
    return ProbeRecord(site_id=site_id, url=url, kind=kind, round=round_id, at=_iso(at),
                       status=status, error=error, elapsed_ms=int(elapsed * 1000), ok=ok)


def offset(site_id: str, spread: float) -> float:
    """The portal's stable start offset within a round of ``spread`` seconds."""
    if spread <= 0:
        return 0.0
    digest = hashlib.blake2b(site_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2 ** 64 * spread


def make_client(concurrency: int = DEFAULT_CONCURRENCY, limit: float = LIMIT_SECONDS
                ) -> httpx.AsyncClient:
    """The client of one round: pooled, no retries, no proxies from the environment."""
    return httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.8"},
        timeout=httpx.Timeout(limit), follow_redirects=True, max_redirects=5, verify=False,
        trust_env=False, limits=httpx.Limits(max_connections=concurrency,
                                             max_keepalive_connections=0))


async def probe_round_async(targets: Sequence[Target], *, limit: float = LIMIT_SECONDS,
                            concurrency: int = DEFAULT_CONCURRENCY, spread: float = 0.0,
                            jitter: float = 0.0, clock: Callable[[], datetime] | None = None,
                            round_id: str | None = None) -> list[ProbeRecord]:
    """Probe every target once (its URLs one after the other); returns every record."""
    clock = clock or _now
    round_id = round_id or clock().isoformat(sep=" ")      # microseconds: rounds never collide
    gate = asyncio.Semaphore(max(1, concurrency))
    rng = random.Random()

    async with make_client(concurrency, limit) as client:
        async def one(target: Target) -> list[ProbeRecord]:
            delay = offset(target.site_id, spread) + (rng.uniform(0, jitter) if jitter > 0 else 0)
            if delay:
                await asyncio.sleep(delay)
            out = []
            for kind, url in target.urls:
                async with gate:
                    out.append(await probe_url(client, target.site_id, kind, url, round_id,
                                               limit, clock))
            return out

        results = await asyncio.gather(*(one(t) for t in targets))
    return [record for group in results for record in group]


def probe_round(targets: Iterable[Target], **options) -> list[ProbeRecord]:
    """``probe_round_async`` from synchronous code (a scheduler thread, the CLI, a test)."""
    return asyncio.run(probe_round_async(list(targets), **options))


def _now() -> datetime:
    return datetime.now()


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat(sep=" ")
