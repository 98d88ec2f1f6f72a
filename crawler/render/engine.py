"""The browser engine: Playwright driving the system's Chromium, in one worker thread.

No browser is ever downloaded: the executable is ``$XXGK_CHROMIUM``, else ``chromium`` or
``chromium-browser`` on PATH (Debian's ``chromium`` package). Playwright's sync API is bound to
the thread that started it, so one dedicated thread owns Playwright and the browser for the
life of the process and renders one page at a time; callers submit work and get a
``concurrent.futures.Future`` (the crawl's Twisted reactor is never changed).

While a page loads, every response it fetches is kept (XHR/fetch answers, frames; GET or POST
with their bodies), images/fonts/styles are not fetched at all, and a request to another host
or one robots.txt forbids is aborted and noted.
"""

from __future__ import annotations

import os
import shutil
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

#: resource types a list never comes from; not fetched (fewer requests, politer, faster)
SKIPPED_TYPES = {"image", "media", "font", "stylesheet", "manifest", "texttrack", "eventsource", "websocket"}
#: resource types whose answers are kept
KEPT_TYPES = {"xhr", "fetch", "document", "other"}
MAX_BODY = 4 * 1024 * 1024


def find_chromium() -> str | None:
    """The Chromium executable: ``$XXGK_CHROMIUM`` or ``chromium``/``chromium-browser`` on PATH."""
    env = os.environ.get("XXGK_CHROMIUM")
    if env:
        return env if os.path.exists(env) else shutil.which(env)
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def unavailable_reason() -> str | None:
    """Why no browser engine can run here (None when it can)."""
    if os.environ.get("XXGK_BROWSER", "").strip().lower() in ("0", "no", "off", "false"):
        return "浏览器引擎已关闭（XXGK_BROWSER=0）"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "未安装 playwright（pip install \"xxgk-monitor[browser]\"）"
    if find_chromium() is None:
        return "找不到 Chromium（安装 chromium 或设置 XXGK_CHROMIUM）"
    return None


@dataclass
class Exchange:
    """One request the page made and its answer."""
    method: str
    url: str
    resource_type: str
    request_body: str | None
    request_type: str | None        # the request's Content-Type
    status: int | None
    content_type: str
    body: str | None                # text of the answer (None when not text or not read)


@dataclass
class RenderResult:
    url: str
    status: int | None = None
    html: str = ""                  # the DOM after the scripts ran
    exchanges: list[Exchange] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)     # "robots: URL" / "other host: URL"
    error: str | None = None


def _same_host(a: str, b: str) -> bool:
    return urlsplit(a).netloc.lower() == urlsplit(b).netloc.lower()


class Renderer:
    """One Playwright + Chromium in one worker thread; ``submit`` renders a page there."""

    def __init__(self, user_agent: str | None = None, executable: str | None = None,
                 idle_ms: int = 1500, timeout_ms: int = 30000):
        self.user_agent = user_agent
        self.executable = executable or find_chromium()
        self.idle_ms, self.timeout_ms = idle_ms, timeout_ms
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xxgk-browser")
        self._pw = self._browser = None
        self._lock = threading.Lock()
        self.pages_rendered = 0

    # everything below runs in the worker thread --------------------------------------------
    def _ensure(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright
            self._pw = sync_playwright().start()
            self._browser = self._pw.chromium.launch(
                executable_path=self.executable, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                      "--disable-background-networking", "--disable-component-update"])
        return self._browser

    def _render(self, url: str, allowed: Callable[[str], bool] | None) -> RenderResult:
        result = RenderResult(url=url)
        try:
            browser = self._ensure()
        except Exception as exc:          # the browser would not start: the page is unread
            result.error = f"浏览器引擎无法启动：{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
            return result
        context = browser.new_context(user_agent=self.user_agent, service_workers="block",
                                      java_script_enabled=True, ignore_https_errors=True)
        responses = []

        def route(r):
            req = r.request
            target = req.url
            if req.resource_type in SKIPPED_TYPES:
                return r.abort()
            if target.startswith(("data:", "blob:")):
                return r.continue_()
            if not _same_host(target, url):
                result.blocked.append(f"other host: {target}")
                return r.abort()
            if allowed is not None and target != url and not allowed(target):
                result.blocked.append(f"robots: {target}")
                return r.abort()
            return r.continue_()

        try:
            page = context.new_page()
            page.route("**/*", route)
            page.on("response", lambda resp: responses.append(resp))
            main = page.goto(url, wait_until="load", timeout=self.timeout_ms)
            result.status = main.status if main else None
            try:
                page.wait_for_load_state("networkidle", timeout=max(self.idle_ms * 4, 4000))
            except Exception:
                pass                       # long-polling pages never go idle: take what came
            page.wait_for_timeout(self.idle_ms // 3)
            result.html = page.content()
            for resp in responses:
                req = resp.request
                if req.resource_type not in KEPT_TYPES or resp.url == url and req.method == "GET" \
                        and req.resource_type == "document" and req.frame == page.main_frame:
                    continue
                ctype = (resp.headers.get("content-type") or "").lower()
                body = None
                try:
                    raw = resp.body()
                    if len(raw) <= MAX_BODY:
                        body = raw.decode(_charset(ctype), errors="replace")
                except Exception:
                    body = None
                try:
                    sent = req.post_data
                except Exception:          # a binary body: nothing a list reader could change
                    sent = None
                result.exchanges.append(Exchange(
                    method=req.method, url=resp.url, resource_type=req.resource_type,
                    request_body=sent, request_type=req.headers.get("content-type"),
                    status=resp.status, content_type=ctype, body=body))
        except Exception as exc:
            result.error = f"浏览器引擎打开页面失败：{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        finally:
            try:
                context.close()
            except Exception:
                pass
        with self._lock:
            self.pages_rendered += 1
        return result

    def _close(self):
        try:
            if self._browser is not None:
                self._browser.close()
            if self._pw is not None:
                self._pw.stop()
        finally:
            self._browser = self._pw = None

    # callers ---------------------------------------------------------------------------------
    def submit(self, url: str, allowed: Callable[[str], bool] | None = None) -> Future:
        """Render ``url`` in the worker thread; the future's result is a :class:`RenderResult`."""
        return self._pool.submit(self._render, url, allowed)

    def render(self, url: str, allowed: Callable[[str], bool] | None = None) -> RenderResult:
        """Render ``url`` and wait (for ``xxgk inspect --render`` and tests)."""
        return self.submit(url, allowed).result()

    def close(self) -> None:
        try:
            self._pool.submit(self._close).result(timeout=30)
        except Exception:
            pass
        self._pool.shutdown(wait=False)


def _charset(content_type: str) -> str:
    for part in content_type.split(";"):
        k, _, v = part.strip().partition("=")
        if k == "charset" and v:
            v = v.strip("\"' ").lower()
            return "gb18030" if v in ("gbk", "gb2312") else v
    return "utf-8"
