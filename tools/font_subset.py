"""Make the CJK font the package ships for its charts (audits/bulletin/fonts/XXGKSansSC-Regular.otf).

A subset of Noto Sans CJK SC Regular (SIL Open Font License 1.1; Debian's fonts-noto-cjk) to the
characters of GB 2312 (6763 hanzi and its symbols), ASCII and the CJK / full-width punctuation,
renamed "XXGK Sans SC" (the OFL asks modified versions not to use a Reserved Font Name; the
family is renamed so that it can never be mistaken for the full system font). About 3 MB
instead of the 16 MB full font, so ``pip install`` brings readable Chinese charts with it.

    python tools/font_subset.py /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

FAMILY = "XXGK Sans SC"
OUT = Path(__file__).resolve().parents[1] / "audits" / "bulletin" / "fonts" / "XXGKSansSC-Regular.otf"


def gb2312() -> set[int]:
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([hi, lo]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def codepoints() -> set[int]:
    cps = gb2312() | set(range(0x20, 0x7F)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    return cps | {ord(c) for c in "—–…‘’“”·•°±×÷‰※〔〕【】《》〈〉「」『』"}


def font_of(path: str, family: str = "Noto Sans CJK SC") -> TTFont:
    if path.lower().endswith((".ttc", ".otc")):
        for font in TTCollection(path).fonts:
            if font["name"].getDebugName(1) == family:
                return font
        raise SystemExit(f"{family} not in {path}")
    return TTFont(path)


def main(source: str) -> None:
    font = font_of(source)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.layout_features = ["*"]
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints())
    subsetter.subset(font)
    names = font["name"]
    for record in list(names.names):
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} Regular"
        elif record.nameID in (3, 6):
            record.string = "XXGKSansSC-Regular"
    font["CFF "].cff.fontNames = ["XXGKSansSC-Regular"]
    font.save(OUT)
    print(OUT, OUT.stat().st_size)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
