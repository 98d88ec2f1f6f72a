"""The monthly job as a library function: crawl every portal, audit, write the 通报.

``run_job`` is what ``xxgk run``, ``xxgk schedule`` (through a ``xxgk run`` subprocess) and
``xxgk demo`` all call. Its order of work:

1. take the database lock (``xxgk.lock``): two runs never write one database at once;
2. ``Store.recover_interrupted_runs()``: a run killed earlier is marked partial/failed;
3. open the run row (kind ``run``) and start the crawl in a SUBPROCESS
   (``python -m xxgk crawl --run-id N``): Twisted's reactor cannot be restarted, so a
   long-running scheduler or a second run in one process could not crawl again. The child
   works under the parent's lock and dies with it (``PR_SET_PDEATHSIG``), so killing a run
   never leaves an orphan crawl writing into the database;
4. audit that run's crawl in-process, write the bulletin for the period (the month the run started in);
5. close the run row with its status and counters, whatever happened (``finally``).

Status: ``ok`` every portal reached cleanly; ``partial`` some portal unreachable or the crawl
reported errors (a portal being down is a finding, not a failure); ``failed`` the crawl
crashed or was killed, nothing was reached, or the audit/bulletin step raised.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Sequence

from crawler.seeds import SeedsError, load_seeds
from crawler.store import Store
from xxgk.lock import DbLock

#: Exit statuses of ``xxgk run`` (documented in docs/operations.md).
EXIT_OK = 0           # ok or partial: the bulletin was written
EXIT_ERROR = 1        # bad input (seeds file, date)
EXIT_UNREACHABLE = 3  # no portal could be reached (the run is marked failed)
EXIT_LOCKED = 4       # another run or scheduler holds the database
EXIT_FAILED = 5       # the crawl crashed or the audit/bulletin step failed

DEFAULT_FORMATS = ("md", "html", "docx")

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    """What one run did: enough for the CLI summary, the scheduler's log line and tests."""

    run_id: int
    status: str
    as_of: str
    period: str
    db: str
    out_dir: str | None
    bulletins: list[str] = field(default_factory=list)
    crawl_exit: int | None = None
    sites: int = 0
    reached: int = 0
    unreachable: list[str] = field(default_factory=list)
    findings: int | None = None
    message: str | None = None
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        if self.status != "failed":
            return EXIT_OK
        return EXIT_UNREACHABLE if self.crawl_exit in (0, 3) and self.reached == 0 \
            and self.sites else EXIT_FAILED

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "exit_code": self.exit_code}, ensure_ascii=False)


def crawl_command(seeds: str | Path, db: str, run_id: int, *, sites: Sequence[str] = (),
                  delay: float | None = None, concurrency: int | None = None) -> list[str]:
    """The ``xxgk crawl`` subprocess command line for one run."""
    cmd = [sys.executable, "-m", "xxgk", "crawl", "--seeds", str(seeds), "--db", str(db),
           "--run-id", str(run_id)]
    for site in sites:
        cmd += ["--site", site]
    if delay is not None:
        cmd += ["--delay", str(delay)]
    if concurrency is not None:
        cmd += ["--concurrency", str(concurrency)]
    return cmd


def run_job(seeds: str | Path, db: str | os.PathLike, *, as_of: date | None = None,
            out_dir: str | os.PathLike | None = None, sites: Sequence[str] = (),
            delay: float | None = None, concurrency: int | None = None,
            formats: Sequence[str] = DEFAULT_FORMATS,
            crawl_cmd: Callable[[int], list[str]] | None = None,
            log: Callable[[str], None] | None = None) -> RunResult:
    """Run the monthly job once; returns its ``RunResult`` (the run row is always closed).

    Raises ``SeedsError`` for a bad seeds file and ``LockHeld`` when the database is busy,
    both before any row is written. ``crawl_cmd(run_id)`` replaces the crawl command (tests).
    """
    log = log or (lambda message: None)
    as_of = as_of or date.today()
    seeds_path = Path(seeds).resolve()
    loaded = load_seeds(seeds_path)
    portals = loaded.select(list(sites) or None)
    if out_dir is not None:   # a typo in the seeds' bulletin: block must not cost a whole crawl
        from audits.bulletin import BulletinConfig, BulletinError
        try:
            BulletinConfig.from_mapping(loaded.bulletin)
        except BulletinError as exc:
            raise SeedsError(f"{seeds_path}：{exc}") from None
    db = str(db)
    out = Path(out_dir) if out_dir is not None else None
    started = time.monotonic()
    with DbLock(db) as lock:
        store = Store(db)
        try:
            recovered = store.recover_interrupted_runs()
            if recovered:
                log(f"已将中断的运行 {', '.join(f'#{r}' for r in recovered)} 标记为未完成")
            run_id = store.start_run("run", as_of.isoformat())
            # The 通报 of a month covers the runs started in it (audits.bulletin), so the
            # period is the run's start month, not the as-of date's.
            period = (store.run(run_id)["started_at"] or date.today().isoformat())[:7]
            result = RunResult(run_id=run_id, status="failed", as_of=as_of.isoformat(),
                               period=period, db=db,
                               out_dir=str(out) if out else None, sites=len(portals))
            try:
                log(f"运行 #{run_id}：采集 {len(portals)} 个站点（基准日期 {as_of}）…")
                cmd = crawl_cmd(run_id) if crawl_cmd else crawl_command(
                    seeds_path, db, run_id, sites=sites, delay=delay, concurrency=concurrency)
                result.crawl_exit = _run_child(cmd, lock)
                _judge_crawl(store, result)
                if result.crawl_exit in (0, 3):
                    try:
                        _audit_and_publish(store, result, as_of, out, formats, loaded.bulletin, log)
                    except Exception as exc:   # the run failed; say why in one line, keep going
                        logger.exception("audit/bulletin step failed")
                        result.status = "failed"
                        result.message = _describe(exc)
            except BaseException as exc:   # KeyboardInterrupt/SystemExit too: close the row
                result.status = "failed"
                result.message = result.message or _describe(exc)
                raise
            finally:
                result.seconds = round(time.monotonic() - started, 1)
                _finish(store, result)
        finally:
            store.close()
    log(f"运行 #{result.run_id} 结束：{result.status}" + (f"（{result.message}）" if result.message else ""))
    return result


def _run_child(cmd: list[str], lock: DbLock) -> int:
    """Run the crawl child under our lock; it is killed if we die. Returns its exit status."""
    try:
        out = sys.stderr.fileno()       # keep our stdout for the run's own summary
    except (AttributeError, OSError, ValueError):
        out = None
    proc = subprocess.Popen(cmd, env=lock.child_env(), pass_fds=lock.pass_fds(), stdout=out,
                            preexec_fn=_die_with_parent_hook())
    try:
        return proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise


def _die_with_parent_hook():
    """A pre-exec hook asking Linux to SIGKILL the child when its parent dies, or None.

    libc is loaded here, in the parent: between fork and exec (other threads may hold locks,
    e.g. the demo's HTTP servers) the hook only makes one system call.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGKILL)   # 1 = PR_SET_PDEATHSIG


def _judge_crawl(store: Store, result: RunResult) -> None:
    """Status from the crawl's exit status and the ``crawls`` rows it wrote for this run."""
    rows = store.rows("crawls", "run_id = ?", [result.run_id])
    statuses = [r.get("status") or "running" for r in rows]
    result.reached = sum(1 for s in statuses if s != "unreachable")
    result.unreachable = sorted(r["site_id"] for r in rows if r.get("status") == "unreachable")
    code = result.crawl_exit
    if code not in (0, 3):
        result.status = "failed"
        how = f"被信号 {-code} 终止" if code is not None and code < 0 else f"退出码 {code}"
        result.message = f"采集进程异常结束（{how}）"
    elif not rows or result.reached == 0:
        result.status = "failed"
        result.message = "所有站点均无法访问（请检查本机网络）"
    elif all(s == "ok" for s in statuses) and len(rows) >= result.sites:
        result.status = "ok"
    else:
        result.status = "partial"
        if result.unreachable:
            result.message = f"无法访问的站点：{', '.join(result.unreachable)}"


def _audit_and_publish(store: Store, result: RunResult, as_of: date, out: Path | None,
                       formats: Sequence[str], bulletin_config: dict, log) -> None:
    from audits.engine import audit     # imported here: the audit layer is heavy and optional

    log(f"运行 #{result.run_id}：检查…")
    audited = audit(store, as_of, run_id=result.run_id)
    result.findings = sum(len(site.findings) for site in audited.sites)
    if out is not None:
        from audits.bulletin import write_bulletin
        log(f"运行 #{result.run_id}：写通报（{result.period}）…")
        paths = write_bulletin(store, result.period, out, formats=list(formats),
                               config=bulletin_config)
        result.bulletins = [str(p) for p in paths]


def _finish(store: Store, result: RunResult) -> None:
    """Close the run row; documents are counted from the table itself (what was stored)."""
    sites, pages, errors = store.db.execute(
        "select count(*), coalesce(sum(pages),0), coalesce(sum(errors),0) from crawls "
        "where run_id = ?", [result.run_id]).fetchone()
    documents = store.db.execute("select count(*) from documents where last_run_id = ?",
                                 [result.run_id]).fetchone()[0]
    store.finish_run(result.run_id, result.status, message=result.message, sites=sites,
                     pages=pages, documents=documents, errors=errors)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KeyboardInterrupt):
        return "运行被中断"
    if isinstance(exc, SystemExit):
        return f"运行被终止（{exc.code}）"
    return f"运行出错：{type(exc).__name__}：{exc}"[:300]
