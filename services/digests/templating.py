"""The Jinja2 environments that render digests from `services/digests/templates/`.

Two environments over one loader, because HTML and Markdown escape
differently. HTML templates (`*.html`) autoescape with markupsafe, so user
text is inert unless a value is explicitly `Markup` (only the SVG chart,
which escapes its own text). Markdown templates (`*.md`) escape every
`{{ expression }}` through `md()` (the environment's `finalize` hook), so a
template cannot forget to escape user text; literal template text is
Markdown as written, and `|safe` marks a value already escaped (a macro's
output) as it does in HTML. `words` (the shared phrasing) is a global in both.
"""

from __future__ import annotations

import re
from html import escape

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from services.digests import words

_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
_LOADER = PackageLoader("services.digests", "templates")


def md(text: object) -> str:
    """User text safe inside a Markdown line, a list item or a table cell.

    HTML-special characters become entities, so a Markdown viewer never
    renders a client's `<script>` as markup, and Markdown punctuation is
    backslash-escaped, so a statement cannot add links, emphasis or cells.
    """
    flat = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", escape(flat, quote=False))


def _md_unless_safe(value: object) -> object:
    """The Markdown environment's finalize: escape every value except one marked `|safe`."""
    return value if isinstance(value, Markup) else md(value)


def each(values, phrase) -> list:
    """`goals|each(w.win_line)`: a phrase for each value (Jinja's `map` takes only filter names)."""
    return [phrase(value) for value in values]


def percent(share: float) -> int:
    """A 0–1 share as a whole percentage: 0.495 → 50."""
    return round(share * 100)


def _environment(**options) -> Environment:
    env = Environment(
        loader=_LOADER,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        **options,
    )
    env.globals["w"] = words
    env.filters.update(each=each, percent=percent)
    return env


HTML = _environment(autoescape=select_autoescape(enabled_extensions=("html",), default=False))
MARKDOWN = _environment(autoescape=False, finalize=_md_unless_safe)
