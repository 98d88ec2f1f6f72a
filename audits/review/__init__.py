"""人工审核: a person confirms or dismisses each finding before the 通报 (``xxgk review``, web view).

``decisions`` holds the pure carry-over rule; ``book`` keeps decisions and derived states in the
store. Import from here::

    from audits.review import decide, select, refresh, ReviewError
"""

from __future__ import annotations

from audits.review.book import (FindingState, counts, decide, latest_period, refresh, select,
                                site_states, verdict_for)
from audits.review.decisions import (CONFIRMED, DISMISSED, PENDING, STATE_NAMES, STATES, ReviewError,
                                     parse_state)

__all__ = ["CONFIRMED", "DISMISSED", "PENDING", "STATES", "STATE_NAMES", "FindingState", "ReviewError",
           "counts", "decide", "latest_period", "parse_state", "refresh", "select", "site_states",
           "verdict_for"]
