"""A per-database lock so two runs (scheduled or manual) never write one database at once.

Why a lock file and ``fcntl.flock``: the kernel drops the lock when the holding process dies,
even on ``kill -9``, so a crashed run never leaves a stale lock behind (a PID file would).
The lock is non-blocking: a second run refuses at once with a Chinese message naming the
holder, instead of queueing silently behind a crawl that may take an hour.

Two purposes share the mechanism, each with its own file beside the database:

- ``run``      ``<db>.lock``: held by ``xxgk run`` (and ``crawl``) while it writes.
- ``schedule`` ``<db>.schedule.lock``: held by ``xxgk schedule`` for its whole life, so a
               second scheduler on the same database refuses to start.
- ``probe``    ``<db>.probe.lock``: held by ``xxgk probe`` (and by ``xxgk schedule`` when it
               runs the probes), so a database never has two probers.

A child process that a run starts to do part of its work (the crawl subprocess) inherits the
lock: the parent passes the open descriptor (``pass_fds``) and sets ``XXGK_LOCK_HELD`` to the
lock file's path, and ``DbLock.acquire`` in the child then knows it is already covered.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

#: Environment variable naming lock files already held by a parent process (os.pathsep list).
INHERITED_ENV = "XXGK_LOCK_HELD"

_WHAT = {"run": "运行（采集/检查）", "schedule": "定时调度器", "probe": "可用性监测器"}


class LockHeld(RuntimeError):
    """Another process holds the lock; ``str(exc)`` is the message to print."""


def lock_path(db: str | os.PathLike, purpose: str = "run") -> Path:
    """``xxgk.db`` → ``xxgk.db.lock`` (run) or ``xxgk.db.schedule.lock`` (schedule)."""
    suffix = ".lock" if purpose == "run" else f".{purpose}.lock"
    return Path(str(db) + suffix)


def _inherited() -> set[str]:
    return {p for p in os.environ.get(INHERITED_ENV, "").split(os.pathsep) if p}


class DbLock:
    """An exclusive, non-blocking lock scoped to one database file.

    Use as a context manager, or ``acquire()`` / ``release()``. ``fileno`` is the descriptor
    to hand to a child process (see ``child_env``).
    """

    def __init__(self, db: str | os.PathLike, purpose: str = "run"):
        self.db = str(db)
        self.purpose = purpose
        self.path = lock_path(db, purpose).resolve() if str(db) != ":memory:" else None
        self.fileno: int | None = None
        self.inherited = False

    def acquire(self) -> "DbLock":
        if self.path is None:       # an in-memory database cannot be shared: nothing to lock
            return self
        if str(self.path) in _inherited():
            self.inherited = True
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            who = f"（进程 {holder}）" if holder else ""
            raise LockHeld(f"数据库 {self.db} 正被另一个{_WHAT.get(self.purpose, '进程')}使用{who}，"
                           f"请等它结束后再试（锁文件：{self.path}）") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fileno = fd
        return self

    def release(self) -> None:
        if self.fileno is not None:
            try:
                fcntl.flock(self.fileno, fcntl.LOCK_UN)
            finally:
                os.close(self.fileno)
                self.fileno = None

    def child_env(self, env: dict | None = None) -> dict:
        """The environment for a child that works under this lock (see module docstring)."""
        env = dict(os.environ if env is None else env)
        if self.path is not None:
            held = _inherited() | {str(self.path)}
            env[INHERITED_ENV] = os.pathsep.join(sorted(held))
        return env

    def pass_fds(self) -> tuple[int, ...]:
        """Descriptors to keep open in a child so the lock outlives this process only with it."""
        return (self.fileno,) if self.fileno is not None else ()

    @property
    def held(self) -> bool:
        return self.fileno is not None or self.inherited

    def __enter__(self) -> "DbLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 32).decode(errors="replace").strip()
    except OSError:
        return ""
