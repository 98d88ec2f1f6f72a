"""URL rules: what counts as inside a portal, and what is an attachment.

A portal often spans several hosts of one registered domain (www.hd.gov.cn and
hdzfxxgk.hd.gov.cn), so "inside" means: the same host:port as the homepage or the 信息公开
entry, or a host under the same registered domain. For *.gov.cn that domain is the three
right-most labels (hd.gov.cn); IP addresses must match host and port exactly (the simulator's
portals are different ports of 127.0.0.1 and must not leak into each other).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

ATTACHMENT_SUFFIXES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".et", ".zip", ".rar",
                       ".7z", ".ofd", ".txt", ".csv", ".ppt", ".pptx", ".jpg", ".png")

_TWO_LEVEL_SUFFIXES = ("gov.cn", "com.cn", "org.cn", "net.cn", "edu.cn")


_DOWNLOAD_SCRIPTS = ("downfile", "download.jsp", "/download/", "downloadfile", "filedown")


def is_attachment(url: str) -> bool:
    """True for links to files (PDF, Word, Excel, WPS, OFD, archives) rather than pages.

    Besides plain ``/files/a.pdf`` this covers CMS download scripts that name the file in the
    query, e.g. Hanweb's ``/module/download/downfile.jsp?classid=0&filename=123.pdf``.
    """
    parts = urlsplit(url)
    path = parts.path.lower()
    if path.endswith(ATTACHMENT_SUFFIXES):
        return True
    query = parts.query.lower()
    return any(s in path for s in _DOWNLOAD_SCRIPTS) or any(
        value.endswith(ATTACHMENT_SUFFIXES) for value in (p.partition("=")[2] for p in query.split("&")))


def registered_domain(host: str) -> str:
    """hdzfxxgk.hd.gov.cn → hd.gov.cn; www.example.com → example.com; IPs unchanged."""
    host = (host or "").lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if any(host.endswith("." + s) or host == s for s in _TWO_LEVEL_SUFFIXES) else 2
    return ".".join(labels[-keep:])


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return host == "localhost"


def same_portal(url: str, portal, entry_url: str | None = None) -> bool:
    """Whether ``url`` belongs to ``portal`` (its homepage/entry netloc or registered domain)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    anchors = [portal.url] + [u for u in (portal.entry, entry_url) if u]
    for anchor in anchors:
        a = urlsplit(anchor)
        if parts.netloc.lower() == a.netloc.lower():
            return True
        host, ahost = (parts.hostname or ""), (a.hostname or "")
        if not _is_ip(host) and not _is_ip(ahost) and registered_domain(host) == registered_domain(ahost):
            return True
    return False
