"""Career pivots: what carries over when the destination moves to a new role or industry.

`carry_over` is a pure function of the plan's active requirements, its open
goals (the requirements each serves) and the new destination's proposed
requirements. It answers the three lists a pivot review starts from:

- carried: each current requirement with the proposed requirement that is
  the *same* (equal wording once normalised: case, punctuation and spacing
  ignored) or *similar* (same kind, and at least `SIMILAR_AT` of their
  content words shared: Jaccard overlap of the normalised word sets, common
  words such as "the" or "and" left out and a plural "s" trimmed). A match is
  one to one, best overlap first, then in the order the requirements were
  listed, so the same inputs always give the same lists;
- stranded goals: open goals none of whose requirements carries over, so
  they no longer serve the new destination;
- uncovered requirements: proposed requirements that no carried requirement
  served by an open goal matches, so no goal works toward them yet.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

SIMILAR_AT = 0.5
SAME, SIMILAR = "same", "similar"
_WORD = re.compile(r"[^\W_]+")
_COMMON = frozenset(
    "a an and as at be by for from has have in into is it its of on or our the their to with".split()
)


class Described(Protocol):
    """A requirement as the carry-over reads it: its id, kind and wording."""

    requirement_id: str
    kind: str
    description: str


@dataclass(frozen=True)
class ProposedRequirement:
    """A requirement of the new destination, as the coach listed it when starting the pivot."""

    requirement_id: str
    kind: str
    description: str


@dataclass(frozen=True)
class CarriedRequirement:
    """A current requirement that carries over: the proposed one it matches, and how alike they are."""

    requirement_id: str
    new_requirement_id: str
    likeness: str


@dataclass(frozen=True)
class CarryOver:
    """The pivot review's three lists, ids in the order of the plan (or of the proposal)."""

    carried: tuple[CarriedRequirement, ...]
    stranded_goal_ids: tuple[str, ...]
    uncovered_requirement_ids: tuple[str, ...]


def normalised(text: str) -> tuple[str, ...]:
    """The words of `text`, lower case, without punctuation: what "the same wording" compares."""
    return tuple(_WORD.findall(text.casefold()))


def content_words(text: str) -> frozenset[str]:
    """The normalised words that carry meaning, plural "s" trimmed: what "similar" compares."""
    return frozenset(
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in normalised(text)
        if word not in _COMMON
    )


def overlap(first: str, second: str) -> float:
    """Jaccard overlap of two wordings' content words, 0.0–1.0 (1.0 when both have none)."""
    a, b = content_words(first), content_words(second)
    return len(a & b) / len(a | b) if a | b else 1.0


def likeness(current: Described, proposed: Described) -> str | None:
    """ "same", "similar" or None (a requirement of another kind is never alike)."""
    if current.kind != proposed.kind:
        return None
    if normalised(current.description) == normalised(proposed.description):
        return SAME
    return SIMILAR if overlap(current.description, proposed.description) >= SIMILAR_AT else None


def carry_over(
    requirements: Sequence[Described],
    goals: Mapping[str, Collection[str]],
    proposed: Sequence[Described],
) -> CarryOver:
    """The carry-over of `requirements` (active, in plan order) to `proposed`, for `goals` (id → served ids)."""
    pairs = []
    for i, current in enumerate(requirements):
        for j, new in enumerate(proposed):
            alike = likeness(current, new)
            if alike is not None:
                score = 2.0 if alike == SAME else overlap(current.description, new.description)
                pairs.append((-score, i, j, alike))
    matched: dict[int, tuple[int, str]] = {}
    taken: set[int] = set()
    for _, i, j, alike in sorted(pairs):
        if i not in matched and j not in taken:
            matched[i] = (j, alike)
            taken.add(j)
    carried = tuple(
        CarriedRequirement(
            requirements[i].requirement_id, proposed[matched[i][0]].requirement_id, matched[i][1]
        )
        for i in sorted(matched)
    )
    becomes = {item.requirement_id: item.new_requirement_id for item in carried}
    stranded = tuple(
        goal_id for goal_id, served in goals.items() if not any(r in becomes for r in served)
    )
    covered = {becomes[r] for served in goals.values() for r in served if r in becomes}
    uncovered = tuple(new.requirement_id for new in proposed if new.requirement_id not in covered)
    return CarryOver(carried, stranded, uncovered)
