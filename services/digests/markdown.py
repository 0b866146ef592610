"""Digests as Markdown, for e-mail bodies, chat and tickets, from `templates/client.md`, `coach.md` and
`organisation.md`.

The Markdown environment (`services.digests.templating`) escapes every
value with `md`: HTML-special characters become entities, so a Markdown
viewer never renders a client's `<script>` as markup, and Markdown
punctuation is backslash-escaped, so a statement cannot add links or tables.
"""

from __future__ import annotations

from services.digests.templating import MARKDOWN, md

__all__ = ["md", "to_markdown", "coach_to_markdown", "organisation_to_markdown"]


def _render(name: str, digest: dict) -> str:
    return MARKDOWN.get_template(name).render(digest=digest).rstrip() + "\n"


def to_markdown(digest: dict) -> str:
    """A client digest as Markdown, in the order a coach reads it."""
    return _render("client.md", digest)


def coach_to_markdown(digest: dict) -> str:
    """A coach's caseload digest as Markdown."""
    return _render("coach.md", digest)


def organisation_to_markdown(digest: dict) -> str:
    """An organisation's digest as Markdown."""
    return _render("organisation.md", digest)
