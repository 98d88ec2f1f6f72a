"""Load and validate a seeds file (the registry of portals a disclosure office monitors).

The format is documented in ``seeds/example.yaml``. Validation errors are raised as
``SeedsError`` with a Chinese message naming the offending entry, so the CLI can print one
line instead of a traceback.
"""

from __future__ import annotations

import re
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

_ID = re.compile(r"^[a-z0-9_-]+$")

UNIT_KINDS = ("department", "government", "township")
#: SPEC, in this order: 乡/镇/街道/办事处 → township; …省/市/州/盟/县/区/旗人民政府 (also
#: 自治区/自治州/自治县) → government; anything else → department.
_TOWNSHIP = re.compile(r"(?:乡|镇|街道|办事处)(?:人民政府|政府|办事处)?$|街道办事处|乡人民政府|镇人民政府")
_GOVERNMENT = re.compile(r"(?:省|市|州|盟|县|区|旗)(?:人民)?政府$")


def guess_unit_kind(name: str | None) -> str:
    """The 年报 deadline kind of a unit from its name (SPEC order and words)."""
    name = re.sub(r"\s+", "", name or "")
    for suffix in ("门户网站", "政府网站", "网站", "官网"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    if _TOWNSHIP.search(name):
        return "township"
    if _GOVERNMENT.search(name):
        return "government"
    return "department"


def _month_day(value, where: str) -> tuple[int, int]:
    """``"01-31"`` / ``"1月31日"`` → (1, 31); SeedsError otherwise."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*[-/月]\s*(\d{1,2})\s*日?\s*", str(value))
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        try:
            date(2001, month, day)          # a non-leap year: 02-29 is no yearly deadline
            return month, day
        except ValueError:
            pass
    raise SeedsError(f"{where}：应为月-日，如 01-31：{value!r}")


class SeedsError(ValueError):
    """A seeds file that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Portal:
    """One monitored portal as the seeds file describes it."""

    id: str
    url: str
    name: str | None = None
    entry: str | None = None
    annual_reports_since: int | None = None
    columns: tuple[dict, ...] = field(default_factory=tuple)
    unit_kind: str | None = None                       # None: guessed from the name at audit time
    township_deadline: tuple[int, int] | None = None   # the seeds file's 乡镇 年报 deadline

    def as_config(self) -> dict:
        """The per-site overrides audits need (stored as JSON in ``sites.config``)."""
        config = {"columns": list(self.columns), "annual_reports_since": self.annual_reports_since}
        if self.unit_kind:
            config["unit_kind"] = self.unit_kind
        if self.township_deadline:
            config["township_deadline"] = list(self.township_deadline)
        return config


@dataclass(frozen=True)
class Seeds:
    portals: tuple[Portal, ...]
    bulletin: dict = field(default_factory=dict)   # issuing body, scope, deadline (bulletin issue)
    probe: dict = field(default_factory=dict)      # availability probes (xxgk probe / schedule)

    def select(self, ids: list[str] | tuple[str, ...] | None) -> tuple[Portal, ...]:
        if not ids:
            return self.portals
        known = {p.id for p in self.portals}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise SeedsError(f"种子文件中没有这些站点：{', '.join(unknown)}")
        return tuple(p for p in self.portals if p.id in ids)


def site_id_for_url(url: str) -> str:
    """The site id of an ad hoc crawl: the URL's host:port (SPEC), e.g. ``127.0.0.1:8081``."""
    parts = urlsplit(url)
    return parts.netloc.lower() or url


def _check_url(value, where: str) -> str:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https") \
            or not urlsplit(value).netloc:
        raise SeedsError(f"{where}：网址无效（需要 http:// 或 https:// 开头）：{value!r}")
    return value


def parse_seeds(data: dict, source: str = "seeds") -> Seeds:
    """Validate the YAML structure; returns ``Seeds``."""
    if not isinstance(data, dict) or not isinstance(data.get("portals"), list):
        raise SeedsError(f"{source}：缺少 portals 列表")
    portals, seen = [], set()
    township = None
    if data.get("township_report_deadline") is not None:
        township = _month_day(data["township_report_deadline"], f"{source}：township_report_deadline")
    for n, raw in enumerate(data["portals"], 1):
        where = f"{source} 第{n}个站点"
        if not isinstance(raw, dict):
            raise SeedsError(f"{where}：应为键值对")
        pid = str(raw.get("id", ""))
        if not _ID.match(pid):
            raise SeedsError(f"{where}：id 只能由小写字母、数字、_ 和 - 组成：{pid!r}")
        if pid in seen:
            raise SeedsError(f"{where}：id 重复：{pid}")
        seen.add(pid)
        url = _check_url(raw.get("url"), f"{where}（{pid}）")
        entry = raw.get("entry")
        if entry is not None:
            entry = _check_url(entry, f"{where}（{pid}）entry")
        since = raw.get("annual_reports_since")
        if since is not None and not (isinstance(since, int) and 2008 <= since <= 2100):
            raise SeedsError(f"{where}（{pid}）：annual_reports_since 应为 2008 以后的年份：{since!r}")
        columns = raw.get("columns") or []
        if not isinstance(columns, list) or not all(isinstance(c, dict) for c in columns):
            raise SeedsError(f"{where}（{pid}）：columns 应为列表，每项如 {{name: 工作动态, category: news}}")
        kind = raw.get("unit_kind")
        if kind is not None and kind not in UNIT_KINDS:
            raise SeedsError(f"{where}（{pid}）：unit_kind 应为 {' | '.join(UNIT_KINDS)}：{kind!r}")
        portals.append(Portal(id=pid, url=url, name=raw.get("name"), entry=entry,
                              annual_reports_since=since, columns=tuple(columns), unit_kind=kind,
                              township_deadline=township))
    if not portals:
        raise SeedsError(f"{source}：portals 列表为空")
    probe = data.get("probe")
    if probe is not None and not isinstance(probe, dict):
        raise SeedsError(f"{source}：probe 应为键值对，如 {{every: 60m}}")
    return Seeds(portals=tuple(portals), bulletin=dict(data.get("bulletin") or {}),
                 probe=dict(probe or {}))


def load_seeds(path: str | Path) -> Seeds:
    """Read a seeds YAML file; ``SeedsError`` for a missing file or bad content."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedsError(f"找不到种子文件：{path}") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SeedsError(f"种子文件不是有效的 YAML：{path}：{exc}") from None
    return parse_seeds(data, source=str(path))
