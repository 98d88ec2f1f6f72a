"""The bulletin's chart: problems by type (catalogue order) and by unit, as PNG bytes.

Matplotlib with the Agg backend (no display on a server or in CI). Chinese labels need a CJK
font, and one arrives with ``pip install``: ``fonts/XXGKSansSC-Regular.otf``, a GB 2312 subset of
Noto Sans CJK SC (SIL OFL 1.1, see ``fonts/OFL.txt``; made by ``tools/font_subset.py``). A full
system CJK font (Debian's fonts-noto-cjk, Windows' SimHei/YaHei…), when there is one, comes first
in the fallback list for the rare characters outside GB 2312; the shipped font is always next,
then DejaVu Sans for Latin. Only a broken install (no shipped font, no system font) draws boxes,
with a warning rather than failing the whole bulletin. Every chart of the package uses
``font_families()`` (or ``cjk_rc()``) so none can fall back to boxes on its own.
"""

from __future__ import annotations

import io
import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg", force=False)

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

#: Preferred CJK families, first found wins.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Noto Serif CJK SC", "Source Han Sans SC",
                "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei",
                "PingFang SC", "AR PL UMing CN")

#: The CJK font shipped inside the package (a subset of Noto Sans CJK SC, SIL OFL 1.1).
SHIPPED_FONT = Path(__file__).with_name("fonts") / "XXGKSansSC-Regular.otf"
SHIPPED_FAMILY = "XXGK Sans SC"

MAX_UNITS = 15   # units shown in the right panel; the rest are summed into "其他"


class NoCJKFontWarning(UserWarning):
    """No Chinese font: the chart is drawn but its labels will not be legible."""


_CJK_FILE = re.compile(r"cjk|wqy|wenquanyi|simhei|msyh|sourcehan|uming|ukai", re.I)


def _first_known(installed: set[str]) -> str | None:
    return next((family for family in CJK_FAMILIES if family in installed), None)


def find_cjk_font() -> str | None:
    """The first installed CJK font family of ``CJK_FAMILIES``, or None.

    Matplotlib caches its font list; a font installed after that cache was built is not in it,
    so when the cache knows none we register the system's CJK font files and look again.
    """
    family = _first_known({f.name for f in font_manager.fontManager.ttflist})
    if family:
        return family
    for path in font_manager.findSystemFonts():
        if _CJK_FILE.search(path):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    return _first_known({f.name for f in font_manager.fontManager.ttflist})


@lru_cache(maxsize=None)
def shipped_font() -> str | None:
    """Register the package's own CJK font with matplotlib; its family name, or None if missing."""
    if not SHIPPED_FONT.exists():
        return None
    try:
        font_manager.fontManager.addfont(str(SHIPPED_FONT))
    except (OSError, RuntimeError, ValueError):
        return None
    return SHIPPED_FAMILY


def font_families(system: str | None = None) -> list[str]:
    """The font fallback list for charts: a full system CJK font if any, the shipped one, DejaVu Sans.

    ``system`` overrides the system font lookup ("" = do not use one).
    """
    system = find_cjk_font() if system is None else system
    families = [f for f in (system, shipped_font()) if f]
    return list(dict.fromkeys(families)) + ["DejaVu Sans"]


def cjk_rc(system: str | None = None) -> dict:
    """``matplotlib.rc_context`` parameters that make a chart's Chinese readable."""
    return {"font.family": font_families(system), "axes.unicode_minus": False}


def _bars(ax, labels: Sequence[str], values: Sequence[int], title: str, color: str) -> None:
    ax.set_title(title, fontsize=12)
    if not values:
        ax.text(0.5, 0.5, "本期未发现问题", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return
    positions = list(range(len(values)))
    ax.barh(positions, values, color=color)
    ax.set_yticks(positions, labels=list(labels))
    ax.invert_yaxis()  # first item on top, like the text
    ax.xaxis.get_major_locator().set_params(integer=True)
    for y, v in zip(positions, values):
        ax.text(v, y, f" {v}", va="center", fontsize=9)
    ax.set_xlim(0, max(values) * 1.15 + 0.5)
    ax.spines[["top", "right"]].set_visible(False)


MAX_AVAILABILITY_UNITS = 8   # small multiples in the availability chart; the text names all


def render_availability(series: Sequence[tuple[str, Sequence[tuple[str, float]]]],
                        font: str | None = None) -> bytes:
    """Per-site daily 连通率 (small bar panels, one per site, 95% line dashed) → PNG bytes.

    ``series``: [(unit name, [(YYYY-MM-DD, rate 0…1)])], the sites below 100% only.
    """
    font = font or find_cjk_font()
    units = list(series)[:MAX_AVAILABILITY_UNITS] or [("", [])]
    fig = Figure(figsize=(10, 0.4 + 1.25 * len(units)), dpi=120)
    params = {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
              "axes.unicode_minus": False}
    with matplotlib.rc_context(params), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        axes = fig.subplots(len(units), 1, squeeze=False)[:, 0]
        for ax, (name, days) in zip(axes, units):
            values = [rate * 100 for _, rate in days]
            colors = ["#b22222" if v < 95 else "#e0a030" if v < 100 else "#2e7d32" for v in values]
            ax.bar(range(len(values)), values, color=colors, width=0.8)
            ax.axhline(95, color="#555555", linestyle="--", linewidth=0.8)
            ax.set_ylim(0, 104)
            ax.set_yticks([0, 50, 95])
            ax.set_ylabel("%", fontsize=8)
            ax.set_title(name, fontsize=10, loc="left")
            ticks = list(range(0, len(days), max(1, len(days) // 10)))
            ax.set_xticks(ticks, labels=[days[i][0][5:] for i in ticks], fontsize=7)
            ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()


def render_chart(by_type: Sequence[tuple[str, int]], by_unit: Sequence[tuple[str, int]],
                 font: str | None = None) -> bytes:
    """Two horizontal bar panels → PNG bytes. ``font`` overrides the system CJK font lookup."""
    params = cjk_rc(font)
    if params["font.family"] == ["DejaVu Sans"]:
        warnings.warn("未找到中文字体（软件包自带字体缺失，可重新安装或安装 fonts-noto-cjk），"
                      "图表中的中文可能无法显示", NoCJKFontWarning, stacklevel=2)
    units = list(by_unit)
    if len(units) > MAX_UNITS:
        rest = sum(v for _, v in units[MAX_UNITS - 1:])
        units = units[:MAX_UNITS - 1] + [("其他", rest)]
    rows = max(len(by_type), len(units), 3)
    fig = Figure(figsize=(10, 1.2 + 0.38 * rows), dpi=150)
    with matplotlib.rc_context(params), warnings.catch_warnings():
        # Missing glyphs were warned about once above; do not repeat it per character.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support")
        left, right = fig.subplots(1, 2)
        _bars(left, [k for k, _ in by_type], [v for _, v in by_type], "按问题类型", "#b22222")
        _bars(right, [k for k, _ in units], [v for _, v in units], "按单位", "#1f4e79")
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()
