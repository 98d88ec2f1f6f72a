"""Turn Twisted/Scrapy failures into short Chinese reasons a clerk understands."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from twisted.internet import error as net
from twisted.python.failure import Failure

_REASONS = [
    (net.DNSLookupError, "域名解析失败"),
    (net.ConnectionRefusedError, "连接被拒绝"),
    (net.TimeoutError, "连接超时"),
    (net.TCPTimedOutError, "连接超时"),
    (net.ConnectionLost, "连接中断"),
    (net.ConnectionDone, "连接中断"),
    (net.ConnectError, "无法建立连接"),
]


# Scrapy ≥ 2.13 wraps Twisted's errors in its own exceptions; match those by name so the
# messages work on every Scrapy version the project allows.
_BY_NAME = {
    "DownloadConnectionRefusedError": "连接被拒绝",
    "CannotResolveHostError": "域名解析失败",
    "DownloadTimeoutError": "响应超时",
    "DownloadCancelledError": "下载被取消（页面过大）",
    "ResponseDataLossError": "响应数据不完整",
    "DownloadFailedError": "下载失败",
    "UnsupportedURLSchemeError": "不支持的网址协议",
}


def describe_failure(failure: Failure) -> str:
    """A short reason: 连接被拒绝, 响应超时（15秒）, HTTP 503, robots.txt 禁止抓取…"""
    exc = failure.value
    response = getattr(exc, "response", None)
    if response is not None and getattr(response, "status", None):
        return f"HTTP {response.status}"
    for cls in type(exc).__mro__:
        if cls.__name__ in _BY_NAME:
            return _BY_NAME[cls.__name__]
    for kind, reason in _REASONS:
        if failure.check(kind):
            return reason
    name = type(exc).__name__
    if "Timeout" in name:
        return "响应超时"
    if failure.check(IgnoreRequest):
        text = str(exc)
        if "robots" in text.lower():
            return "robots.txt 禁止抓取"
        if "redirect" in text.lower():
            return "重定向次数过多"
        return f"请求被忽略：{text}" if text else "请求被忽略"
    if "ResponseNeverReceived" in name or "ResponseFailed" in name:
        return "服务器未返回有效响应"
    return f"{name}：{exc}"[:200]


#: Answers that say for certain a link is broken (SPEC broken_link); any other failure (5xx,
#: timeout, refused) is asked again once when the crawl is otherwise done, and only "疑似" after.
DEFINITE_STATUSES = (403, 404, 410)
