"""Docs that tests enforce: every `xxgk` command is documented, every SPEC command exists,
and the README opens with the two fresh-machine commands."""

from __future__ import annotations

import re
from pathlib import Path

from xxgk.cli import cli

REPO = Path(__file__).resolve().parents[1]
SPEC_COMMANDS = {"crawl", "inspect", "audit", "review", "bulletin", "run", "schedule", "demo", "serve"}


def test_every_spec_command_exists():
    assert SPEC_COMMANDS <= set(cli.commands)


def test_every_command_is_in_the_readme_usage_table():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"`xxgk {name}" in readme, f"xxgk {name} is not documented in README.md"


def test_every_command_takes_db():
    for name, command in cli.commands.items():
        assert any("--db" in p.opts for p in command.params), f"xxgk {name} lacks --db"


def test_readme_opens_with_install_and_run_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", readme, re.S)
    assert "xxgk demo" in blocks[0] and "pip install" in blocks[0]
    assert "pytest" in blocks[1] and "pip install" in blocks[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -q -e ".[test]"' in ci and "pytest" in ci


def test_check_labels_in_docs_match_the_rules_file():
    from audits.rules import load_rules

    rules = load_rules()
    checks = (REPO / "docs" / "checks.md").read_text(encoding="utf-8")
    for check in ("site_unreachable", "column_stale", "column_empty", "annual_report_missing",
                  "annual_report_late", "annual_report_inconsistent", "metadata_missing",
                  "metadata_invalid", "index_no_duplicate", "broken_link"):
        assert f"| `{check}` | {rules.label(check)} |" in checks
