"""The SQLite store: schema, upserts and the few queries the other layers need.

Every layer talks to the database through this module, so the schema lives in one place.
The tables of SPEC.md (sites, runs, columns, documents, findings) are kept with exactly their
documented columns plus extra ones; the extra tables are:

- ``crawls``       one row per (run, site): was the portal reached, counts, the error if not.
- ``column_items`` which URLs a column listed in a run (a document may sit in two columns, and
                   the 年报 audit needs the items of the 年报 column as listed, with list titles).
- ``links``        every fetched listed item and attachment with its HTTP status (broken links).
- ``home_items``   the list items the homepage (level 1) or, for a navigation-only homepage,
                   its 二级页面 (level 2) showed in a run (homepage_stale).
- ``verdicts``     one row per (run, site, as_of): 合格/不合格/未能自动检查, the vetoes, ``reason``
                   (why a site could not be checked automatically) and ``reviewed_*`` (the
                   verdict once findings dismissed on review are left out).
- ``reviews``, ``finding_reviews``  人工审核 decisions and each finding's state (``audits/review``).
- ``probes``       one row per availability probe of one URL (``xxgk probe``): site, url, the
                   round it belongs to, time, HTTP status or error class, elapsed ms, ok.

Documents are keyed by (site_id, url) and upserted, so crawling a portal twice leaves one row
per document; ``first_run_id``/``last_run_id`` say when it was first and last seen.
WAL mode lets Datasette or an audit read while a crawl writes.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterable

import sqlite_utils

DEFAULT_DB = "xxgk.db"

SCHEMA: dict[str, tuple[dict[str, type], tuple[str, ...]]] = {
    "sites": ({"id": str, "name": str, "url": str, "entry": str, "annual_reports_since": int,
               "config": str}, ("id",)),
    "runs": ({"id": int, "started_at": str, "finished_at": str, "status": str, "kind": str,
              "pid": int, "as_of": str, "sites": int, "pages": int, "documents": int,
              "errors": int, "message": str}, ("id",)),
    "crawls": ({"run_id": int, "site_id": str, "url": str, "entry_url": str, "status": str,
                "error": str, "pages": int, "columns": int, "documents": int, "errors": int,
                "started_at": str, "finished_at": str, "home_status": str, "home_reason": str},
               ("run_id", "site_id")),
    "columns": ({"run_id": int, "site_id": str, "name": str, "url": str, "category": str,
                 "item_count": int, "latest_date": str, "parent_url": str, "declared_total": int,
                 "pages": int, "empty_note": str, "http_status": int, "status": str,
                 "status_reason": str}, ("run_id", "site_id", "url")),
    "column_items": ({"run_id": int, "site_id": str, "column_url": str, "url": str, "title": str,
                      "list_date": str, "position": int}, ("run_id", "site_id", "column_url", "url")),
    "home_items": ({"run_id": int, "site_id": str, "page_url": str, "url": str, "title": str,
                    "list_date": str, "level": int, "position": int, "date_shown": str},
                   ("run_id", "site_id", "page_url", "url")),
    "documents": ({"site_id": str, "url": str, "title": str, "column_url": str, "list_date": str,
                   "index_no": str, "publisher": str, "published": str, "written": str,
                   "doc_no": str, "topic": str, "raw": str, "http_status": int, "error": str,
                   "text": str, "attachments": str, "first_run_id": int, "last_run_id": int,
                   "fetched_at": str, "etag": str, "last_modified": str, "checked_at": str},
                  ("site_id", "url")),
    "links": ({"run_id": int, "site_id": str, "url": str, "source_url": str, "kind": str,
               "status": int, "error": str, "retried": int, "checked_at": str},
              ("run_id", "site_id", "url")),
    "findings": ({"id": int, "run_id": int, "site_id": str, "check": str, "severity": str,
                  "column": str, "url": str, "year": int, "detail": str, "as_of": str,
                  "evidence": str}, ("id",)),
    "verdicts": ({"run_id": int, "site_id": str, "as_of": str, "verdict": str, "vetoes": str,
                  "findings": int, "reviewed_verdict": str, "reviewed_vetoes": str,
                  "reason": str},
                 ("run_id", "site_id")),
    # 人工审核 (audits/review): decisions keyed by the problem's identity, append-only …
    "reviews": ({"id": int, "site_id": str, "problem_key": str, "run_id": int, "state": str,
                 "reason": str, "reviewer": str, "decided_at": str, "check": str, "column": str,
                 "url": str, "year": int, "detail": str}, ("id",)),
    # … and, derived from them after each audit and decision, every finding's state.
    "finding_reviews": ({"finding_id": int, "run_id": int, "site_id": str, "period": str,
                         "in_period": int, "problem_key": str, "check_name": str, "state": str,
                         "state_name": str, "reason": str, "reviewer": str, "decided_at": str,
                         "review_id": int}, ("finding_id",)),
    "probes": ({"id": int, "site_id": str, "url": str, "kind": str, "round": str, "at": str,
                "status": int, "error": str, "elapsed_ms": int, "ok": int}, ("id",)),
}

INDEXES = [
    ("columns", ["site_id", "run_id"]),
    ("column_items", ["site_id", "url"]),
    ("documents", ["site_id", "last_run_id"]),
    ("documents", ["site_id", "index_no"]),
    ("links", ["site_id", "url"]),
    ("links", ["site_id", "source_url"]),
    ("findings", ["run_id", "site_id"]),
    ("crawls", ["site_id", "run_id"]),
    ("probes", ["site_id", "at"]),
    ("reviews", ["site_id", "problem_key"]),
    ("finding_reviews", ["period", "in_period"]),
]


def now() -> str:
    """Local wall-clock time as ISO seconds: what a clerk reads in the runs table."""
    return datetime.now().replace(microsecond=0).isoformat(sep=" ")


def db_path(path: str | os.PathLike | None = None) -> str:
    """The database path: explicit argument, else ``$XXGK_DB``, else ``xxgk.db``."""
    return str(path or os.environ.get("XXGK_DB") or DEFAULT_DB)


class Store:
    """A thin, typed wrapper over a sqlite-utils Database holding the xxgk schema."""

    def __init__(self, path: str | os.PathLike | None = None):
        self.path = db_path(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite_utils.Database(self.path)
        self._statements: dict[tuple, str] = {}     # cached upsert statements (_upsert_rows)
        self.db.execute("PRAGMA busy_timeout = 30000")
        if self.path != ":memory:":
            self.db.enable_wal()
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.ensure_schema()

    # --- schema -------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create missing tables, add missing columns (older databases), create indexes."""
        for name, (columns, pk) in SCHEMA.items():
            table = self.db[name]
            if not table.exists():
                table.create(columns, pk=pk[0] if len(pk) == 1 else pk, not_null=set(pk) - {"id"})
            else:
                missing = {c: t for c, t in columns.items() if c not in table.columns_dict}
                for col, typ in missing.items():
                    table.add_column(col, typ)
        for table, cols in INDEXES:
            self.db[table].create_index(cols, if_not_exists=True)

    def close(self) -> None:
        self.db.close()

    # --- runs ---------------------------------------------------------------------------
    def start_run(self, kind: str = "crawl", as_of: str | None = None) -> int:
        """Open a run row in status ``running``; returns its id."""
        table = self.db["runs"]
        table.insert({"started_at": now(), "status": "running", "kind": kind, "pid": os.getpid(),
                      "as_of": as_of})
        return table.last_pk

    def finish_run(self, run_id: int, status: str, message: str | None = None, **counts: int) -> None:
        """Close a run with ``ok``, ``partial`` or ``failed`` and its counters."""
        self.db["runs"].update(run_id, {"finished_at": now(), "status": status,
                                        "message": message, **counts})

    def run(self, run_id: int) -> dict | None:
        rows = list(self.db["runs"].rows_where("id = ?", [run_id]))
        return rows[0] if rows else None

    def recover_interrupted_runs(self, alive=None) -> list[int]:
        """Mark runs left ``running`` by a killed process as ``partial`` (data) or ``failed``.

        ``alive(pid)`` tells whether a process still runs; by default os.kill(pid, 0).
        Rows written by the killed run stay: they are complete rows, only the run is unfinished.
        """
        alive = alive or _pid_alive
        fixed = []
        for row in self.db["runs"].rows_where("status = 'running'"):
            if row["pid"] and row["pid"] != os.getpid() and alive(row["pid"]):
                continue
            has_data = self.db.execute("select count(*) from crawls where run_id = ?",
                                       [row["id"]]).fetchone()[0]
            status = "partial" if has_data else "failed"
            self.finish_run(row["id"], status, message="进程中断：运行未正常结束（启动时恢复）")
            fixed.append(row["id"])
        return fixed

    # --- sites and crawls ----------------------------------------------------------------
    def upsert_site(self, site_id: str, name: str | None, url: str, entry: str | None = None,
                    annual_reports_since: int | None = None, config: dict | None = None) -> None:
        self.db["sites"].upsert({"id": site_id, "name": name or site_id, "url": url, "entry": entry,
                                 "annual_reports_since": annual_reports_since,
                                 "config": json.dumps(config or {}, ensure_ascii=False)}, pk="id")

    def upsert_crawl(self, run_id: int, site_id: str, **fields: Any) -> None:
        self.db["crawls"].upsert({"run_id": run_id, "site_id": site_id, **fields},
                                 pk=("run_id", "site_id"), alter=True)

    def latest_crawls(self, run_id: int | None = None) -> list[dict]:
        """Each site's most recent crawl (or the crawls of one run), joined with the site row."""
        if run_id is not None:
            where, params = "c.run_id = ?", [run_id]
        else:
            where = "c.run_id = (select max(run_id) from crawls c2 where c2.site_id = c.site_id)"
            params = []
        sql = f"""select c.*, s.name as site_name, s.url as site_url, s.annual_reports_since,
                         s.config as site_config
                  from crawls c join sites s on s.id = c.site_id where {where} order by c.site_id"""
        return [dict(r) for r in self.db.query(sql, params)]

    # --- columns, items, documents, links -----------------------------------------------
    def upsert_column(self, run_id: int, site_id: str, url: str, **fields: Any) -> None:
        self.db["columns"].upsert({"run_id": run_id, "site_id": site_id, "url": url, **fields},
                                  pk=("run_id", "site_id", "url"), alter=True)

    def add_column_items(self, run_id: int, site_id: str, column_url: str,
                         items: Iterable[dict]) -> None:
        rows = [{"run_id": run_id, "site_id": site_id, "column_url": column_url, **item}
                for item in items]
        self._upsert_rows("column_items", rows)

    def upsert_document(self, run_id: int, site_id: str, url: str, **fields: Any) -> None:
        """Insert or update one document; keeps ``first_run_id`` from the first sighting."""
        stamp = now()
        row = {"site_id": site_id, "url": url, **fields, "first_run_id": run_id,
               "last_run_id": run_id, "fetched_at": stamp, "checked_at": stamp}
        self._upsert_rows("documents", [row], keep=("first_run_id",))

    def _upsert_rows(self, table: str, rows: list[dict], keep: tuple = ()) -> None:
        """``INSERT … ON CONFLICT(pk) DO UPDATE`` of rows that all have the same keys, in one
        transaction: the columns given are set, the others (and ``keep``) stay as they were.

        The crawl's hot path (a document and a link row per page): sqlite-utils' ``upsert``
        introspects the table (names, columns) on every call, which cost ~10% of a
        1,000-portal crawl's CPU; the schema is known here (``ensure_schema``), so the
        statement is built once per shape and cached. JSON-able values are stored as JSON."""
        if not rows:
            return
        cols = tuple(rows[0])
        sql = self._statements.get((table, cols, keep))
        if sql is None:
            pk = SCHEMA[table][1]
            unknown = [c for c in cols if c not in SCHEMA[table][0]]
            if unknown:
                raise ValueError(f"{table}: unknown columns {unknown}")
            updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in cols if c not in pk and c not in keep)
            sql = (f"insert into [{table}] ({', '.join(f'[{c}]' for c in cols)}) "
                   f"values ({', '.join('?' for _ in cols)}) on conflict ({', '.join(pk)}) do "
                   + (f"update set {updates}" if updates else "nothing"))
            self._statements[(table, cols, keep)] = sql
        values = [[json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v
                   for v in (row[c] for c in cols)] for row in rows]
        with self.db.conn:
            self.db.conn.executemany(sql, values)

    def add_home_items(self, run_id: int, site_id: str, page_url: str, level: int,
                       items: Iterable[dict]) -> None:
        rows = [{"run_id": run_id, "site_id": site_id, "page_url": page_url, "level": level, **item}
                for item in items]
        if rows:
            self.db["home_items"].upsert_all(rows, pk=("run_id", "site_id", "page_url", "url"),
                                             alter=True)

    def known_documents(self, site_id: str, fresh_days: float | None = None) -> dict[str, dict]:
        """What an incremental re-crawl needs of a site's stored documents, by URL.

        ``fresh`` is true for a page looked at over HTTP less than ``fresh_days`` ago whose own
        link and attachment links all answered fine at their latest check: such a page, listed
        unchanged, need not be asked again (``crawler.incremental``). ``None``: none is fresh.
        ``flagged``: a finding of the latest audit points at the page, so it is read again in full.
        """
        if not self.db["documents"].exists():
            return {}
        rows = self.db.execute(
            "select url, title, list_date, http_status, error, etag, last_modified, attachments, "
            "coalesce(checked_at, fetched_at) from documents where site_id = ?", [site_id]).fetchall()
        keys = ("title", "list_date", "http_status", "error", "etag", "last_modified", "attachments",
                "checked_at")
        flagged = self._flagged_urls(site_id)
        known = {row[0]: dict(zip(keys, row[1:]), fresh=False, flagged=row[0] in flagged)
                 for row in rows}
        if fresh_days is None or not known:
            return known
        cutoff = (datetime.now() - timedelta(days=fresh_days)).replace(microsecond=0).isoformat(sep=" ")
        healthy, broken = set(), set()
        for url, source, kind, status, error in self._latest_links(site_id):
            ok = status is not None and 200 <= int(status) < 400 and not error
            if kind == "item" and ok:
                healthy.add(url)
            elif not ok:
                broken.add(url if kind == "item" else source)
        for url, row in known.items():
            row["fresh"] = bool(url in healthy and url not in broken and row["checked_at"]
                                and row["checked_at"] >= cutoff)
        return known

    def _flagged_urls(self, site_id: str) -> set[str]:
        """URLs a finding of the site's latest audit points at: read again, whatever the list says
        (a unit may fix a page's 索引号 or text without touching its list entry)."""
        if not (self.db["findings"].exists() and self.db["verdicts"].exists()):
            return set()
        rows = self.db.execute(
            "select distinct url from findings where site_id = ? and url is not null and run_id = "
            "(select max(run_id) from verdicts where site_id = ?)", [site_id, site_id]).fetchall()
        return {r[0] for r in rows}

    def _latest_links(self, site_id: str) -> list[tuple]:
        """Each link of a site as its latest run recorded it: (url, source_url, kind, status, error)."""
        if not self.db["links"].exists():
            return []
        return self.db.execute(
            "select l.url, l.source_url, l.kind, l.status, l.error from links l join "
            "(select url, max(run_id) as run_id from links where site_id = ? group by url) m "
            "on l.url = m.url and l.run_id = m.run_id where l.site_id = ?", [site_id, site_id]).fetchall()

    def keep_document(self, run_id: int, site_id: str, url: str, column_url: str | None = None,
                      checked: bool = True) -> None:
        """A re-crawl saw the document unchanged: the row stays, this run saw it.

        ``checked``: a 304 or a HEAD just confirmed the page; otherwise the page was carried
        forward unasked (list entry unchanged, last check fresh) and its latest link rows are
        copied into this run with the time they were really checked (``links.checked_at``).
        """
        with self.db.conn:
            self.db.execute("update documents set last_run_id = ?, column_url = coalesce(?, column_url)"
                            + (", checked_at = ?" if checked else "") + " where site_id = ? and url = ?",
                            [run_id, column_url, *([now()] if checked else []), site_id, url])
            if not checked:
                self._carry_links(run_id, site_id, url)

    def _carry_links(self, run_id: int, site_id: str, url: str) -> None:
        for column in ("url", "source_url"):
            self.db.execute(
                "insert or ignore into links (run_id, site_id, url, source_url, kind, status, error, "
                "retried, checked_at) "
                "select ?, l.site_id, l.url, l.source_url, l.kind, l.status, l.error, l.retried, "
                "coalesce(l.checked_at, r.started_at) from links l left join runs r on r.id = l.run_id "
                f"where l.site_id = ? and l.{column} = ? and l.run_id = (select max(run_id) from links "
                f"where site_id = ? and {column} = ? and run_id < ?)",
                [run_id, site_id, url, site_id, url, run_id])

    def record_link(self, run_id: int, site_id: str, url: str, **fields: Any) -> None:
        self._upsert_rows("links", [{"run_id": run_id, "site_id": site_id, "url": url,
                                     "checked_at": now(), **fields}])

    # --- reads for audits ----------------------------------------------------------------
    def rows(self, table: str, where: str | None = None, params: Iterable = ()) -> list[dict]:
        if not self.db[table].exists():
            return []
        return [dict(r) for r in self.db[table].rows_where(where, list(params))]

    def site_snapshot(self, run_id: int, site_id: str) -> dict[str, list[dict]]:
        """Everything one crawl stored for one site: what an audit judges.

        Documents are those the crawl's columns listed (``column_items`` of that run), so a
        later crawl that sees the same document again does not take it away from this one.
        Documents a killed crawl fetched before its columns were written fall back to
        ``last_run_id``.
        """
        documents = [dict(r) for r in self.db.query(
            """select d.* from documents d where d.site_id = :site and (
                   d.url in (select url from column_items where run_id = :run and site_id = :site)
                   or d.last_run_id = :run)""", {"site": site_id, "run": run_id})]
        return {
            "columns": self.rows("columns", "run_id = ? and site_id = ?", [run_id, site_id]),
            "column_items": self.rows("column_items", "run_id = ? and site_id = ?", [run_id, site_id]),
            "documents": documents,
            "links": self.rows("links", "run_id = ? and site_id = ?", [run_id, site_id]),
            "home_items": self.rows("home_items", "run_id = ? and site_id = ?", [run_id, site_id]),
        }

    def set_column_categories(self, run_id: int, site_id: str, categories: dict[str, str]) -> None:
        """Record the category each column was judged under (the audit decides it: rules + overrides)."""
        with self.db.conn:
            for url, category in categories.items():
                self.db.execute("update columns set category = ? where run_id = ? and site_id = ? and url = ?",
                                [category, run_id, site_id, url])

    # --- findings ------------------------------------------------------------------------
    def replace_findings(self, run_id: int, site_id: str, as_of: str, findings: list[dict],
                         verdict: str, vetoes: list[str], reason: str | None = None) -> None:
        """Store one audit of one site's crawl, replacing an earlier audit of the same crawl.

        Done in one transaction so a re-audit never leaves half the old and half the new rows.
        """
        with self.db.conn:
            self.db.execute("delete from findings where run_id = ? and site_id = ?", [run_id, site_id])
            rows = [{"run_id": run_id, "site_id": site_id, "as_of": as_of, **f} for f in findings]
            if rows:
                self.db["findings"].insert_all(rows, alter=True)
            self.db["verdicts"].upsert({"run_id": run_id, "site_id": site_id, "as_of": as_of,
                                        "verdict": verdict,
                                        "vetoes": json.dumps(vetoes, ensure_ascii=False),
                                        "findings": len(findings), "reason": reason},
                                       pk=("run_id", "site_id"), alter=True)


    # --- availability probes ----------------------------------------------------------------
    def add_probes(self, rows: Iterable[dict]) -> int:
        """Store probe records (``probes`` columns); one transaction per round."""
        rows = [dict(r) for r in rows]
        if rows:
            with self.db.conn:
                self.db["probes"].insert_all(rows, alter=True)
        return len(rows)

    def probe_rounds(self, site_id: str, start: str, end: str) -> list[dict]:
        """The site's probe rounds with ``start <= at < end`` (ISO local times), oldest first.

        One row per round: ``{"round", "at", "ok", "urls", "errors"}``; a round is failed
        (``ok`` 0) when any URL probed in it failed. ``errors`` lists the failures as
        ``url  error-or-status`` lines.
        """
        sql = """select round, min(at) as at, min(ok) as ok, count(*) as urls,
                        group_concat(case when ok = 0 then url || '  ' ||
                                     coalesce(error, 'HTTP ' || status) end, char(10)) as errors
                 from probes where site_id = ? and at >= ? and at < ?
                 group by round order by min(at)"""
        return [dict(r) for r in self.db.query(sql, [site_id, start, end])]


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
