"""Prepare a database for the web view and build the Datasette command line (``xxgk serve``)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from audits.review import refresh
from crawler.store import Store
from xxgk.web.metadata import build_metadata
from xxgk.web.queries import PROBLEM_VIEW, PROBLEM_VIEW_SQL

HERE = Path(__file__).resolve().parent


def prepare(db: str | Path) -> None:
    """Schema up to date, review states derived, the Chinese problem view (re)created."""
    store = Store(db)
    try:
        findings = store.db.execute("select count(*) from findings").fetchone()[0]
        derived = store.db.execute("select count(*) from finding_reviews").fetchone()[0]
        if findings != derived:          # a database audited before reviews existed
            refresh(store)
        with store.db.conn:
            store.db.execute(f"drop view if exists {PROBLEM_VIEW}")
            store.db.execute(PROBLEM_VIEW_SQL)
    finally:
        store.close()


def serve_command(db: str | Path, *, host: str = "127.0.0.1", port: int = 8001, review: bool = False,
                  metadata_dir: str | Path | None = None) -> list[str]:
    """The Datasette command line for ``db``; writes the metadata file it names."""
    folder = Path(metadata_dir or tempfile.mkdtemp(prefix="xxgk-serve-"))
    metadata = folder / "metadata.json"
    metadata.write_text(json.dumps(build_metadata(db, review=review), ensure_ascii=False, indent=1),
                        encoding="utf-8")
    return [sys.executable, "-m", "datasette", "serve", str(db), "--host", host, "--port", str(port),
            "--metadata", str(metadata), "--plugins-dir", str(HERE / "plugins"),
            "--template-dir", str(HERE / "templates"),
            "--setting", "sql_time_limit_ms", "5000", "--setting", "default_page_size", "50"]
