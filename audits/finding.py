"""The Finding record: one problem an audit found, as stored in ``findings`` and printed.

A finding is a value (frozen) so checks can be compared, de-duplicated and sorted in tests
without caring which object produced them. ``detail`` is the sentence a clerk pastes into a
通报: it names the column or year, the date and the limit, in 简体中文.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("veto", "deduct", "warn", "info")


@dataclass(frozen=True)
class Finding:
    """One problem: which check, how grave, where (column/url/year) and why (detail)."""

    check: str
    severity: str
    detail: str
    column: str | None = None
    url: str | None = None
    year: int | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}: {self.severity!r}")

    def as_row(self) -> dict:
        """The columns of the ``findings`` table this finding fills (run/site/as_of added by the store)."""
        return {"check": self.check, "severity": self.severity, "column": self.column,
                "url": self.url, "year": self.year, "detail": self.detail}

    def key(self) -> tuple:
        """Identity for de-duplication: the same problem (same words) at the same place."""
        return (self.check, self.column or "", self.year or 0, self.url or "", self.detail)

    def to_dict(self) -> dict:
        return asdict(self)
