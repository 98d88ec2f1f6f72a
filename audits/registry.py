"""The registry of check families: adding a check is adding a module here.

Each module under ``audits/checks/`` exposes ``check(site, rules, as_of) -> list[Finding]``.
The order is the catalogue order of SPEC (it only matters for reading; findings are sorted
by catalogue order afterwards anyway).
"""

from __future__ import annotations

import importlib
from typing import Callable

CHECK_MODULES = ("reachability", "columns", "annual_reports", "report_text", "metadata", "links",
                 "coverage")

#: Families that may be absent while they are being written (imported tolerantly).
OPTIONAL: frozenset[str] = frozenset()


def load_checks(names: tuple[str, ...] = CHECK_MODULES) -> list[tuple[str, Callable]]:
    """``[(family name, check function)]`` for every registered family."""
    out = []
    for name in names:
        try:
            module = importlib.import_module(f"audits.checks.{name}")
        except ModuleNotFoundError as exc:
            if name in OPTIONAL and exc.name == f"audits.checks.{name}":
                continue
            raise
        out.append((name, module.check))
    return out
