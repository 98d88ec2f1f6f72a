"""Write a period's 通报 files: the one entry point the CLI (`bulletin`, `run`) calls."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from audits.bulletin.chart import render_availability, render_chart
from audits.bulletin.docx_writer import write_docx
from audits.bulletin.html_writer import write_html
from audits.bulletin.md_writer import write_markdown
from audits.bulletin.model import BulletinConfig, BulletinData, BulletinError, Period, gather
from audits.bulletin.wording import AVAILABILITY_CHART, availability_series, chart_series, compose

FORMATS = ("md", "html", "docx")


def parse_formats(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"md,html"`` or ``["md", "html"]`` → ("md", "html"); BulletinError for unknown ones."""
    if value is None:
        return FORMATS
    items = value.split(",") if isinstance(value, str) else list(value)
    formats = [f.strip().lower().lstrip(".") for f in items if f and f.strip()]
    formats = ["md" if f == "markdown" else "docx" if f == "word" else f for f in formats]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise BulletinError(f"不支持的通报格式：{', '.join(unknown) or value!r}（可用：md, html, docx）")
    return tuple(dict.fromkeys(formats))


def write_files(data: BulletinData, out_dir: str | Path,
                formats: Iterable[str] = FORMATS) -> list[Path]:
    """Lay out ``data`` in each format under ``out_dir``; returns the files written.

    Names: ``bulletin-YYYY-MM.{md,html,docx}``; Markdown also gets ``bulletin-YYYY-MM-chart.png``
    beside it (HTML and Word embed the chart).
    """
    formats = parse_formats(list(formats))
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BulletinError(f"无法创建输出目录 {out}：{exc.strerror or exc}") from None
    doc = compose(data)
    by_type, by_unit = chart_series(data)
    png = render_chart(by_type, by_unit)   # warns (does not fail) without a CJK font
    if any(b.ref == AVAILABILITY_CHART for s in doc.sections for b in s.blocks):
        doc.images[AVAILABILITY_CHART] = render_availability(availability_series(data))
    stem = f"bulletin-{data.period.key}"
    written: list[Path] = []
    try:
        if "md" in formats:
            chart = out / f"{stem}-chart.png"
            chart.write_bytes(png)
            images = {}
            for ref, image in doc.images.items():
                images[ref] = out / f"{stem}-{ref}.png"
                images[ref].write_bytes(image)
            written += [write_markdown(doc, out / f"{stem}.md", chart.name,
                                       {ref: p.name for ref, p in images.items()}), chart,
                        *images.values()]
        if "html" in formats:
            written.append(write_html(doc, out / f"{stem}.html", png))
        if "docx" in formats:
            written.append(write_docx(doc, out / f"{stem}.docx", png))
    except OSError as exc:
        raise BulletinError(f"无法写入通报文件：{exc.filename or out}：{exc.strerror or exc}") from None
    return written


def write_bulletin(store, period: Period | str, out_dir: str | Path,
                   formats: Iterable[str] | str = FORMATS,
                   config: BulletinConfig | dict | None = None,
                   confirmed_only: bool = False) -> list[Path]:
    """Gather ``period`` from ``store`` and write the 通报 files; returns their paths.

    ``config`` is a ``BulletinConfig`` or the seeds file's ``bulletin:`` mapping. Findings
    dismissed on review are never written; ``confirmed_only`` leaves out pending ones too.
    Raises ``BulletinError`` (one-line Chinese message) for a bad period, an empty period,
    a bad config or an unwritable directory.
    """
    if not isinstance(config, BulletinConfig):
        config = BulletinConfig.from_mapping(config)
    formats = parse_formats(formats)
    data = gather(store, period, config, confirmed_only=confirmed_only)
    return write_files(data, out_dir, formats)
