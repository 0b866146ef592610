"""Small text rules shared by the plan: non-blank fields, sentence counts, labels in messages."""

from __future__ import annotations

import re

from domain.errors import BlankText

_SENTENCE_END = re.compile(r"[.!?…]+(?:\s+|$)")
_LABEL_LENGTH = 60


def require_text(value: str, what: str) -> str:
    """The value stripped of outer whitespace; refuses a blank one, naming the field."""
    if not isinstance(value, str) or not value.strip():
        raise BlankText(f"{what} must not be blank")
    return value.strip()


def sentence_count(text: str) -> int:
    """How many sentences the text holds, counted by sentence-ending punctuation.

    A trailing fragment without punctuation counts as a sentence, so
    "Become a staff engineer" is one. Abbreviations such as "e.g." count as an
    end of sentence; coaches can write "for example" instead.
    """
    return len([part for part in _SENTENCE_END.split(text) if part.strip()])


def quoted(text: str) -> str:
    """Text in single quotes, shortened so an error message stays readable."""
    if len(text) > _LABEL_LENGTH:
        text = text[: _LABEL_LENGTH - 1].rstrip() + "…"
    return f"'{text}'"
