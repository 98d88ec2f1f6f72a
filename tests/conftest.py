"""Shared test fixtures: where ../shared is, and how to run the `xxgk` command for real."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
REALPAGES = SHARED / "realpages"
SEED_REPORTS = SHARED / "seed-reports"


def require_shared(path: Path = SHARED) -> Path:
    """Skip (with the reason) when ../shared is not beside the repository, as on users' clones."""
    if not path.exists():
        pytest.skip(f"{path} not found: the shared fixtures (real portal pages, real 年报) live "
                    "beside the repository in CI only")
    return path


@pytest.fixture(scope="session")
def realpages() -> Path:
    return require_shared(REALPAGES)


@pytest.fixture(scope="session")
def seed_reports() -> Path:
    return require_shared(SEED_REPORTS)


def run_xxgk(*args: str, timeout: float = 240, env: dict | None = None,
             check: bool = False) -> subprocess.CompletedProcess:
    """Run `python -m xxgk ARGS` in a subprocess (the Twisted reactor runs once per process)."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "xxgk", *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env, cwd=str(REPO))
    if check and proc.returncode != 0:
        raise AssertionError(f"xxgk {' '.join(args)} exited {proc.returncode}\n"
                             f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def xxgk():
    return run_xxgk
