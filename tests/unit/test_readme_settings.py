"""The README's settings table names every environment variable the code reads, and no other."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("careerplan", "api", "services", "workers", "eventstore", "projections", "deploy")
READ = re.compile(
    r"""(?:env\.\w+|environ\.get|environ\.setdefault|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
)
ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]+)`(?:, `([A-Z][A-Z0-9_]+)`)? \|", re.MULTILINE)


def settings_read_by_the_code() -> set[str]:
    names = set()
    for folder in CODE:
        for path in (ROOT / folder).rglob("*.py"):
            names.update(READ.findall(path.read_text()))
    return names


def settings_in_the_readme() -> set[str]:
    text = (ROOT / "README.md").read_text()
    table = text.split("## Settings (environment variables)", 1)[1].split("\n## ", 1)[0]
    return {name for row in ROW.findall(table) for name in row if name}


def test_every_setting_the_code_reads_is_in_the_readme():
    assert settings_read_by_the_code() - settings_in_the_readme() == set()


def test_the_readme_lists_no_setting_the_code_ignores():
    assert settings_in_the_readme() - settings_read_by_the_code() == set()


def test_the_scan_finds_settings_at_all():
    assert {"DATABASE_URL", "RATE_LIMIT", "REQUEST_BUDGET_S"} <= settings_read_by_the_code()
