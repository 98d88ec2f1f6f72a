"""Charts read on a fresh install: the CJK font shipped in the package is used when the machine
has none.

Each check runs in a fresh Python process whose matplotlib sees only its own bundled fonts
(DejaVu, STIX…): every system font is taken out of the font list and ``findSystemFonts`` finds
nothing — a machine without fonts-noto-cjk. In that process:

* no system CJK font is found, yet the bulletin is written without a font warning;
* each character of "按问题类型" drawn with the chart's fonts is a different image, while drawn
  with DejaVu Sans alone (no CJK glyphs) they are all the same missing-glyph box;
* the font matplotlib resolves for those characters is the shipped one, and it has their glyphs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

ISOLATE = """
import warnings
from pathlib import Path
import matplotlib
matplotlib.use("Agg")
from matplotlib import font_manager as fm
mpl_fonts = str(Path(matplotlib.get_data_path()) / "fonts")
fm.fontManager.ttflist = [f for f in fm.fontManager.ttflist if f.fname.startswith(mpl_fonts)]
fm.fontManager._findfont_cached.cache_clear()
fm.findSystemFonts = lambda *a, **k: []
"""


def _run(body: str, tmp_path: Path) -> dict:
    script = ISOLATE + textwrap.dedent(body)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          cwd=str(REPO / "tests"), env={"MPLCONFIGDIR": str(tmp_path / "mpl"),
                                                        "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_shipped_font_draws_chinese_without_a_system_font(tmp_path):
    out = _run("""
        import json
        import numpy as np
        from matplotlib import ft2font
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        from matplotlib.font_manager import FontProperties
        from audits.bulletin import chart

        def glyph(ch, families):
            fig = Figure(figsize=(0.6, 0.6), dpi=50)
            FigureCanvasAgg(fig)
            with matplotlib.rc_context({"font.family": families}), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fig.text(0.5, 0.5, ch, fontsize=20, ha="center", va="center")
                fig.canvas.draw()
            return np.asarray(fig.canvas.buffer_rgba())[..., 0].tobytes()

        text = "按问题类型"
        cjk = chart.font_families()
        resolved = fm.fontManager._find_fonts_by_props(FontProperties(family=cjk))
        font = ft2font.FT2Font(str(chart.SHIPPED_FONT))
        print(json.dumps({
            "system": chart.find_cjk_font(),
            "families": cjk,
            "resolved": [Path(str(p)).name for p in resolved],
            "has_glyphs": all(font.get_char_index(ord(c)) != 0 for c in text),
            "distinct_cjk": len({glyph(c, cjk) for c in text}),
            "distinct_dejavu": len({glyph(c, ["DejaVu Sans"]) for c in text}),
        }))
    """, tmp_path)
    assert out["system"] is None                      # the machine has no CJK font…
    assert out["families"] == ["XXGK Sans SC", "DejaVu Sans"]
    assert out["resolved"][0] == "XXGKSansSC-Regular.otf"   # …so the shipped one is used
    assert out["has_glyphs"]
    assert out["distinct_dejavu"] == 1                # five identical missing-glyph boxes
    assert out["distinct_cjk"] == 5                   # five real, different characters


def test_bulletin_chart_without_system_font_gives_no_warning(tmp_path):
    out = _run(f"""
        import json
        warnings.simplefilter("error")                # any font warning fails the script
        from _bulletin_helpers import write_sample
        paths = write_sample({str(tmp_path / 'b')!r}, formats=("md",))
        print(json.dumps({{"png": str(paths["png"]), "size": Path(paths["png"]).stat().st_size}}))
    """, tmp_path)
    assert Path(out["png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out["size"] > 10_000
