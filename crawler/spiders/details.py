"""Detail pages and attachments: what the portal spider does with every listed item.

A listed item is read (metadata, 年报 text, its attachments checked with HEAD), looked at again
cheaply on a re-crawl (conditional GET / HEAD, ``crawler.incremental``), or carried forward
unasked when it was checked fine recently and is listed unchanged. A 年报 whose page only links
the report reads the attached PDF/DOC(X) before the document is stored. Failures become link
rows (broken links), never lost documents; indefinite ones wait for the end-of-crawl retry.
"""

from __future__ import annotations

from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler import attachments, content, incremental, listing, metadata
from crawler.errors import describe_failure
from crawler.items import DocumentItem, LinkItem
from crawler.spiders.state import ColumnState, SiteState
from crawler.urls import is_attachment, same_portal

REPORT_WORDS = ("年度报告", "年报", "年度報告", "年報")


class DetailPages:
    """Mixin of the portal spider: listed items, their pages and their attachments."""

    def _follow_items(self, state: SiteState, column: ColumnState, items, list_url: str):
        limit = self._setting("XXGK_MAX_DOCUMENTS_PER_SITE", 50000)
        for item in items:
            if item.url in state.documents or not same_portal(item.url, state.portal, state.entry_url):
                continue
            if len(state.documents) >= limit:
                break
            state.documents.add(item.url)
            kind = "attachment_item" if is_attachment(item.url) else "detail"
            method = "HEAD" if kind == "attachment_item" and not _report_file(item.url, item.title) else "GET"
            known = self._known(state).get(item.url) if kind == "detail" else None
            if incremental.carry(known, item.title, item.date):
                # checked fine within the window and listed unchanged: no request at all
                yield DocumentItem(site_id=state.portal.id, url=item.url, title=item.title,
                                   column_url=column.url, list_date=item.date, kept=True, carried=True)
                continue
            check = incremental.recheck(known, item.title, item.date)
            if check is not None:
                yield self._request(item.url, state.portal.id, self.parse_detail, kind="detail_check",
                                    method=check.method, headers=check.headers, handle_all=True,
                                    errback=self.on_detail_error, column_url=column.url,
                                    list_item=item, list_url=list_url,
                                    known_attachments=check.attachments)
                continue
            yield self._request(item.url, state.portal.id, self.parse_detail, kind=kind,
                                method=method, handle_all=True, errback=self.on_detail_error,
                                column_url=column.url, list_item=item, list_url=list_url)

    def _known(self, state: SiteState) -> dict:
        """The site's stored documents (empty on a first or a ``--full`` crawl)."""
        if state.known is None:
            previous = getattr(self, "previous_documents", None)
            state.known = previous(state.portal.id) if previous else {}
        return state.known

    def parse_detail(self, response: Response):
        state = self.sites[response.meta["site_id"]]
        state.pages += 1
        item: listing.ListItem = response.meta["list_item"]
        if self._defer(state, response.request, response.status, None):
            return
        yield LinkItem(site_id=state.portal.id, url=item.url, source_url=response.meta["list_url"],
                       kind="item", status=response.status, retried=_retried(response.request))
        doc = DocumentItem(site_id=state.portal.id, url=item.url, title=item.title,
                           column_url=response.meta["column_url"], list_date=item.date,
                           http_status=response.status)
        if response.status >= 400:
            state.errors += 1
            doc.error = f"HTTP {response.status}"
            yield doc
            return
        if response.meta["kind"] == "detail_check":
            if incremental.unchanged(response.request.method, response.status):
                doc.kept = True
                yield doc
                yield from self._recheck_attachments(state, response.meta["known_attachments"], item.url)
                return
            if response.request.method == "HEAD":
                # a HEAD that says nothing useful (405, odd status): read the page after all
                yield response.request.replace(method="GET", headers={}, dont_filter=True,
                                               meta={**response.meta, "kind": "detail"})
                return
        doc.etag, doc.last_modified = incremental.validators(response.headers)
        if response.meta["kind"] == "attachment_item" or not isinstance(response, TextResponse):
            if response.request.method == "GET" and _report_file(item.url, item.title):
                _read_report_file(doc, response)   # a 年报 listed as a PDF/DOC(X) file
            yield doc          # a listed file: reachable, no page metadata to read
            return
        html = response.text
        meta = metadata.extract_metadata(html, response.url)
        doc.metadata = meta
        doc.title = item.title or meta.get("title")
        if any(word in (doc.title or "") for word in REPORT_WORDS):
            doc.text = content.main_text(html)
        report_file = _report_attachment(doc, response, state)
        if report_file:
            # The 年报 is the attachment ("附件下载"): read it before the document is stored.
            # never dropped as a duplicate: the document is only stored by its callback
            yield self._request(report_file, state.portal.id, self.parse_report_file, kind="attachment",
                                handle_all=True, errback=self.on_report_file_error, source_url=item.url,
                                doc=doc, download_maxsize=attachments.MAX_BYTES).replace(dont_filter=True)
        if self._setting("XXGK_CHECK_ATTACHMENTS", 1):
            doc.attachments = _attachments(response, state)
            for url in doc.attachments:
                if url == report_file:
                    continue
                yield self._request(url, state.portal.id, self.parse_attachment, kind="attachment",
                                    method="HEAD", handle_all=True, errback=self.on_attachment_error,
                                    source_url=item.url)
        if not report_file:
            yield doc

    def parse_report_file(self, response: Response):
        """The 年报 attachment of a report page: its text becomes the document's text."""
        state = self.sites[response.meta["site_id"]]
        doc: DocumentItem = response.meta["doc"]
        if response.status >= 400:
            state.errors += 1
        else:
            _read_report_file(doc, response)
        yield LinkItem(site_id=state.portal.id, url=response.url, source_url=response.meta["source_url"],
                       kind="attachment", status=response.status)
        yield doc

    def _recheck_attachments(self, state: SiteState, urls: list[str], source_url: str):
        """A kept document's attachments are still checked (broken links are per crawl)."""
        if not self._setting("XXGK_CHECK_ATTACHMENTS", 1):
            return
        for url in urls:
            if same_portal(url, state.portal, state.entry_url):
                yield self._request(url, state.portal.id, self.parse_attachment, kind="attachment",
                                    method="HEAD", handle_all=True, errback=self.on_attachment_error,
                                    source_url=source_url)

    def on_report_file_error(self, failure: Failure):
        meta = failure.request.meta
        yield from self.on_attachment_error(failure)
        yield meta["doc"]

    def parse_attachment(self, response: Response):
        state = self.sites[response.meta["site_id"]]
        if response.status in (405, 501) and response.request.method == "HEAD":
            # Some servers refuse HEAD: ask again with GET before calling the link broken.
            yield response.request.replace(method="GET", dont_filter=True)
            return
        if self._defer(state, response.request, response.status, None):
            return
        if response.status >= 400:
            state.errors += 1
        yield LinkItem(site_id=state.portal.id, url=response.url, source_url=response.meta["source_url"],
                       kind="attachment", status=response.status, retried=_retried(response.request))

    def _link_failed(self, failure: Failure) -> tuple[SiteState, str] | None:
        """A listed item or attachment got no answer: (site, error) to report now, or None
        (a stop cancelled it, or it waits for the end-of-crawl retry)."""
        if self._not_seen(failure):
            return None
        state = self.sites[failure.request.meta["site_id"]]
        error = describe_failure(failure)
        if self._defer(state, failure.request, None, error):
            return None
        state.errors += 1
        return state, error

    def on_detail_error(self, failure: Failure):
        failed = self._link_failed(failure)
        if failed is None:
            return
        (state, error), meta = failed, failure.request.meta
        item: listing.ListItem = meta["list_item"]
        yield LinkItem(site_id=state.portal.id, url=item.url, source_url=meta["list_url"],
                       kind="item", status=None, error=error, retried=_retried(failure.request))
        yield DocumentItem(site_id=state.portal.id, url=item.url, title=item.title,
                           column_url=meta["column_url"], list_date=item.date, error=error)

    def on_attachment_error(self, failure: Failure):
        failed = self._link_failed(failure)
        if failed is None:
            return
        state, error = failed
        yield LinkItem(site_id=state.portal.id, url=failure.request.url,
                       source_url=failure.request.meta["source_url"], kind="attachment",
                       status=None, error=error, retried=_retried(failure.request))


def _retried(request) -> int:
    """1 when this answer is the end-of-crawl retry of an earlier failure."""
    return 1 if request.meta.get("end_retry") else 0


def _attachments(response: TextResponse, state: SiteState) -> list[str]:
    urls = []
    for href in response.xpath("//a/@href").getall():
        url = response.urljoin(href.strip())
        if is_attachment(url) and url not in urls and same_portal(url, state.portal, state.entry_url):
            urls.append(url)
    return urls



def _report_file(url: str, title: str | None) -> bool:
    """A listed 年报 that is itself a readable file (PDF/DOC/DOCX)."""
    return attachments.is_readable(url) and any(word in (title or "") for word in REPORT_WORDS)


def _report_attachment(doc: DocumentItem, response: TextResponse, state: SiteState) -> str | None:
    """The attachment to read for a 年报 page whose body does not hold the report itself (no
    applications table, little text) but links a PDF/DOC/DOCX: the first such link."""
    if not doc.text and not any(word in (doc.title or "") for word in REPORT_WORDS):
        return None
    if doc.text and ("本年新收" in doc.text or len(doc.text) > 1500):
        return None
    return next((url for url in _attachments(response, state) if attachments.is_readable(url)), None)


def _read_report_file(doc: DocumentItem, response: Response) -> None:
    """Put an attached 年报's text into the document (its tables as " | " rows); a scan or an
    unreadable file leaves the text as it was and says why in the metadata."""
    name = response.url.rsplit("/", 1)[-1]
    ctype = response.headers.get("Content-Type", b"").decode("latin-1")
    extracted = attachments.extract(response.body, name, ctype)
    if extracted.text:
        doc.text = "\n".join(t for t in (doc.text, extracted.text) if t)
    doc.metadata = {**(doc.metadata or {}), "report_file": response.url, "report_file_status": extracted.status,
                    **({"report_file_note": extracted.note} if extracted.note else {})}
