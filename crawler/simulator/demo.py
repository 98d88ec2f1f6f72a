"""The five demo units behind ``xxgk demo`` (modelled on the units of shared/seed-reports).

One unit per CMS family, the fifth reusing TRS; texts are generated. Most units pass (合格)
with a few deduct findings; 高岳街道 fails (五个空栏目 → 单项否决). No unit is unreachable, to keep
the demo pleasant. ``annual_reports_since`` is the year of the unit's real report we hold.
Defects use generator-chosen targets, so the demo shows the same problems on any as_of.
"""

from __future__ import annotations

from datetime import date

from .generate import build_portal
from .model import Portal

PORT_BASE = 18700

#: (id, name, cms, annual_reports_since, defects, extra build_portal arguments)
DEMO_UNITS = (
    ("songling", "松岭区人民政府", "trs", 2018,
     ("metadata_missing::index_no", "broken_link::404", "annual_report_late"), {"entry_text": "政府信息公开"}),
    ("gaoyue", "杜集区高岳街道办事处", "legacy", 2010,
     ("column_empty", "column_empty", "column_empty", "column_empty", "column_empty",
      "column_stale:工作动态", "annual_report_missing"), {"entry_text": "政务公开", "trap": True}),
    ("chaohu", "巢湖市人民政府", "hanweb", 2017,
     ("column_stale:通知公告", "index_no_duplicate", "column_explained_empty:建议提案办理"),
     {"entry_text": "信息公开"}),
    ("chuxiong-gxq", "楚雄高新区管委会", "jsonapi", 2018,
     ("metadata_invalid::date", "metadata_invalid::future", "broken_link::attachment"),
     {"entry_text": "政府信息公开"}),
    ("hefei-xinzhan", "合肥新站高新区管委会", "trs", 2016,
     ("column_explained_empty", "annual_report_missing"), {"entry_text": "政务公开"}),
)


def demo_ports(port_base: int = PORT_BASE) -> list[int]:
    """Fixed ports of the demo units: port_base+1 … port_base+5 (18701–18705 by default)."""
    return [port_base + n for n in range(1, len(DEMO_UNITS) + 1)]


def demo_portals(as_of: date) -> list[Portal]:
    """The five demo portals at ``as_of`` (deterministic: seed 0 each)."""
    portals = []
    for site_id, name, cms, since, defects, extra in DEMO_UNITS:
        years = range(since, as_of.year + 1)   # build_portal drops years not yet due
        portals.append(build_portal(site_id, name, cms, as_of, seed=0, defects=defects,
                                    report_years=years, **extra))
    return portals
