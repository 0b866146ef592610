"""Which events of a client's history concern one goal or one requirement: the history's filters.

An event concerns goal G when its data names G:

- as the goal it is about (`goal_id`: set, refined, paused, resumed, achieved,
  dropped, replaced, reopened; a milestone of G; a check-in on G; a review
  decision on G; a pivot decision on G);
- as the goal it replaces or is replaced by (`replaces` on the replacement's
  GoalSet, `replaced_by` on GoalReplaced, `replacement_goal_id` on a review
  decision that replaced a goal with G);
- as a goal a review or pivot froze (`goal_ids` of ReviewStarted or
  PivotStarted), or a goal another
  goal follows (`follows` in a GoalSet's terms or a GoalRefined's new terms).

An event concerns requirement R when its data names R (`requirement_id`:
added, revised, retired; a pivot decision on R), or it concerns, as above, a goal that serves R or
served R at any time (R in its terms' `serves` when set or in any refinement).

Ids in the clear are filtered in SQL. `follows`, `serves` and review
or pivot `goal_ids` are read first from the stream's GoalSet, GoalRefined,
ReviewStarted and PivotStarted events only (a type filter in SQL: tens of events, however many
check-ins the stream holds); they become goal ids and event versions that
the page's query matches too. A forgotten client's terms are erased, so
their requirement filter finds the requirement's own events only.
Re-alignment checks judge the whole plan and are not narrowed by these
filters (ask `type=AlignmentChecked`).
"""

from __future__ import annotations

from eventstore import DataMatch, EventStore, StoredEvent

# The data fields that name a goal in the clear (never sealed: ids are not personal data).
GOAL_FIELDS = ("goal_id", "replaces", "replaced_by", "replacement_goal_id")
_DEFINING = ("GoalSet", "GoalRefined", "ReviewStarted", "PivotStarted")
_ALL = 1_000_000


def concerning(
    store: EventStore, stream_id: str, goal_id: str | None, requirement_id: str | None
) -> tuple[DataMatch, ...]:
    """The content filters of a history page: events concerning the goal and the requirement, when given."""
    if goal_id is None and requirement_id is None:
        return ()
    defining = store.read_stream_page(stream_id, types=_DEFINING, limit=_ALL)
    matches = []
    if goal_id is not None:
        matches.append(_about_goals(defining, {goal_id}))
    if requirement_id is not None:
        serving = {e.data["goal_id"] for e in defining if requirement_id in _served(e)}
        about = _about_goals(defining, serving)
        naming = {**about.naming, "requirement_id": frozenset({requirement_id})}
        matches.append(DataMatch(naming, about.at_versions))
    return tuple(matches)


def _about_goals(defining: list[StoredEvent], goals: set[str]) -> DataMatch:
    versions = frozenset(
        e.stream_version
        for e in defining
        if goals & set(e.data.get("goal_ids") or ()) or goals & set(_followed(e))
    )
    return DataMatch({name: frozenset(goals) for name in GOAL_FIELDS}, versions)


def _terms(event: StoredEvent) -> dict:
    """The terms an event sets (GoalSet) or the new terms (GoalRefined); {} when erased or none."""
    terms = event.data.get("terms") if event.type == "GoalSet" else event.data.get("new")
    return terms if isinstance(terms, dict) else {}


def _followed(event: StoredEvent) -> list[str]:
    return list(_terms(event).get("follows") or ())


def _served(event: StoredEvent) -> set[str]:
    return {c["requirement_id"] for c in _terms(event).get("serves") or ()}
