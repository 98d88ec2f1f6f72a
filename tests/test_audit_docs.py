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
                   "国办秘函〔2009〕6号", "第49条", "第12条", "1月31日", "3月31日", "第31条",
                   "监测2周，首页无信息更新的", "product policy"):
        assert source in text, source


def test_catalogue_matches_spec_severities():
    rules = load_rules()
    assert [c for c, _ in rules.checks] == [
        "site_unreachable", "site_down_at_crawl", "homepage_stale", "column_unreadable", "column_incomplete",
        "column_stale", "column_empty", "annual_report_missing", "annual_report_late",
        "annual_report_inconsistent", "metadata_missing", "metadata_invalid", "index_no_duplicate",
        "broken_link", "veto_warning"]
    assert rules.severity("site_unreachable") == rules.severity("homepage_stale") == "veto"
    assert rules.severity("veto_warning") == "warn"
    assert rules.severity("site_down_at_crawl") == "deduct"
    assert {rules.severity(c) for c, _ in rules.checks[5:-1]} == {"deduct"}
    # what the tool could not see is a note to the office, never a defect of the unit
    assert rules.severity("column_unreadable") == rules.severity("column_incomplete") == "info"


def test_registry_lists_every_family():
    names = [n for n, _ in load_checks()]
    assert {"reachability", "homepage", "columns", "annual_reports", "metadata", "links"} <= set(names)
