"""docs/checks.md documents every check of the catalogue and the legal sources (docs the tests enforce)."""

from __future__ import annotations

from pathlib import Path

from audits.registry import load_checks
from audits.rules import load_rules

DOC = Path(__file__).resolve().parents[1] / "docs" / "checks.md"


def test_every_check_id_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for check, _severity in load_rules().checks:
        assert f"`{check}`" in text, check


def test_legal_sources_are_cited():
    text = DOC.read_text(encoding="utf-8")
    for source in ("国办秘函〔2019〕19号", "国办公开办函〔2019〕60号", "国办公开办函〔2021〕30号",
                   "国办秘函〔2009〕6号", "第49条", "第12条", "1月31日", "3月31日"):
        assert source in text, source


def test_catalogue_matches_spec_severities():
    rules = load_rules()
    ids = [c for c, _ in rules.checks]
    spec_order = ["site_unreachable", "site_down_at_crawl", "column_stale", "column_empty",
                  "annual_report_missing", "annual_report_late", "annual_report_inconsistent",
                  "metadata_missing", "metadata_invalid", "index_no_duplicate", "broken_link"]
    assert [c for c in ids if c in spec_order] == spec_order      # SPEC's catalogue order
    assert rules.severity("site_unreachable") == "veto"
    assert {rules.severity(c) for c in spec_order[1:]} == {"deduct"}
    assert rules.severity("veto_warning") == "warn"


def test_registry_lists_every_family():
    names = [n for n, _ in load_checks()]
    assert {"reachability", "columns", "annual_reports", "metadata", "links"} <= set(names)
