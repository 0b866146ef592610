"""The digest templates: shipped as package data, and Markdown values escaped by default."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import services.digests
from services.digests.templating import MARKDOWN

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = Path(services.digests.__file__).parent / "templates"


def test_every_template_is_package_data_so_an_installed_package_has_it():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["services.digests"]
    files = [path.relative_to(TEMPLATES.parent).as_posix() for path in TEMPLATES.iterdir()]
    assert files and all(any(fnmatch(name, pattern) for pattern in patterns) for name in files)


def test_a_markdown_template_escapes_every_value_unless_marked_safe():
    template = MARKDOWN.from_string("- {{ text }} | {{ done|safe }}")
    assert template.render(text="*a* <b>", done="\\*ok\\*") == "- \\*a\\* &lt;b&gt; | \\*ok\\*"
