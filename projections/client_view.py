"""The per-client read model: a JSON-safe dict folded from the client's events, and its caseload row.

`apply` dispatches on the event type to one small handler per type (goal
handlers live in `projections.goal_events`, re-alignment checks in
`projections.alignment_events`, pivots in `projections.pivot_events`); unknown types are ignored, so the view is a
pure fold of the stream and a rebuild equals incremental updates. Handlers
read the raw `event.data` and do a few dict operations each: no dataclasses,
no deep copies, no raw events kept. Time-dependent judgements (pace, stalls,
review due) are made at read time by roadmap, momentum and caseload, which
take `today` as a parameter. Nothing depends on the order of
dict keys, which a JSONB column does not keep.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

from eventstore import StoredEvent
from projections import alignment_events, check_ins, goal_clock, goal_events, pivot_events

OPEN = ("active", "paused")


def new_view(client_id: str) -> dict:
    """The view of a client before any event."""
    return {
        "client_id": client_id,
        "client": {
            "organisation_id": None,
            "coach_id": None,
            "display_name": None,
            "timezone": None,
            "review_cadence_months": 3,
            "enrolled_at": None,
            "status": "active",
            "archived_at": None,
        },
        "destination": None,
        "requirements": {},
        "goals": {},
        "wins": {},
        "win_days": {},
        "last_win_at": None,
        "reviews": {
            "open": None,
            "last_completed_at": None,
            "last_completed_id": None,
            "last_summary": "",
            "completed": 0,
        },
        "pivots": pivot_events.new_pivots(),
        "alignment": None,
        "version": 0,
    }


def apply(view: dict, event: StoredEvent) -> None:
    """Fold one stored event into the view (mutating it); never raises for a valid history."""
    handler = HANDLERS.get(event.type)
    if handler is not None:
        handler(view, event.data)
    view["version"] = event.stream_version


def _client_enrolled(view: dict, data: dict) -> None:
    client = view["client"]
    for name in (
        "organisation_id",
        "coach_id",
        "display_name",
        "timezone",
        "review_cadence_months",
    ):
        client[name] = data[name]
    client["enrolled_at"] = data["occurred_at"]


def _coach_reassigned(view: dict, data: dict) -> None:
    view["client"]["coach_id"] = data["new_coach_id"]


def _client_details_changed(view: dict, data: dict) -> None:
    client = view["client"]
    for name in ("display_name", "timezone", "review_cadence_months"):
        if data.get(name) is not None:
            client[name] = data[name]


def _client_archived(view: dict, data: dict) -> None:
    view["client"]["status"], view["client"]["archived_at"] = "archived", data["occurred_at"]


def _client_reactivated(view: dict, data: dict) -> None:
    view["client"]["status"], view["client"]["archived_at"] = "active", None


def status_of(view: dict) -> str:
    """ "active" or "archived" (a view stored before archiving existed is active)."""
    return view["client"].get("status", "active")


def _destination_set(view: dict, data: dict) -> None:
    view["destination"] = {**data["destination"], "set_at": data["occurred_at"], "revised_at": None}


def _destination_revised(view: dict, data: dict) -> None:
    set_at = (view["destination"] or {}).get("set_at", data["occurred_at"])
    view["destination"] = {**data["new"], "set_at": set_at, "revised_at": data["occurred_at"]}


def _requirement_added(view: dict, data: dict) -> None:
    requirements = view["requirements"]
    requirements[data["requirement_id"]] = {
        "seq": len(requirements),
        "kind": data["kind"],
        "description": data["description"],
        "status": "active",
        "added_at": data["occurred_at"],
        "retired_at": None,
        "retire_reason": "",
    }


def _requirement_revised(view: dict, data: dict) -> None:
    requirement = view["requirements"].get(data["requirement_id"])
    if requirement is not None:
        requirement["kind"], requirement["description"] = data["new_kind"], data["new_description"]


def _requirement_retired(view: dict, data: dict) -> None:
    requirement = view["requirements"].get(data["requirement_id"])
    if requirement is not None:
        requirement["status"], requirement["retired_at"] = "retired", data["occurred_at"]
        requirement["retire_reason"] = data.get("reason", "")


def _review_started(view: dict, data: dict) -> None:
    view["reviews"]["open"] = {
        "review_id": data["review_id"],
        "started_at": data["occurred_at"],
        "goal_ids": data["goal_ids"],
        "decisions": {},
    }


def _review_decision_recorded(view: dict, data: dict) -> None:
    review = view["reviews"]["open"]
    if review is not None and review["review_id"] == data["review_id"]:
        review["decisions"][data["goal_id"]] = data["decision"]


def _review_completed(view: dict, data: dict) -> None:
    reviews = view["reviews"]
    reviews["open"], reviews["last_completed_id"] = None, data["review_id"]
    reviews["last_completed_at"], reviews["last_summary"] = (
        data["occurred_at"],
        data.get("summary", ""),
    )
    reviews["completed"] += 1


HANDLERS: dict[str, Callable[[dict, dict], None]] = {
    "ClientEnrolled": _client_enrolled,
    "CoachReassigned": _coach_reassigned,
    "ClientDetailsChanged": _client_details_changed,
    "ClientArchived": _client_archived,
    "ClientReactivated": _client_reactivated,
    "DestinationSet": _destination_set,
    "DestinationRevised": _destination_revised,
    "RequirementAdded": _requirement_added,
    "RequirementRevised": _requirement_revised,
    "RequirementRetired": _requirement_retired,
    "ReviewStarted": _review_started,
    "ReviewDecisionRecorded": _review_decision_recorded,
    "ReviewCompleted": _review_completed,
    **goal_events.HANDLERS,
    **alignment_events.HANDLERS,
    **pivot_events.HANDLERS,
    "NudgeDue": lambda view, data: (
        None
    ),  # listed from the events (`services.nudges`), not kept here
    # provenance only: the events after it add the parts; `projections.template_applications` keeps it
    "TemplateApplied": lambda view, data: None,
}

RECENT_CONFIDENCE = 5


def by_start(goal: dict) -> tuple:
    """A goal's place in lists: by start date, then the order goals were set (JSONB keeps no key order)."""
    return goal["start_on"], goal["seq"]


def caseload_row(view: dict) -> dict:
    """The compact, time-independent facts a caseload ranks a client by (see `projections.caseload`).

    Per open goal: dates, whether paused, when its quiet spell began, days paused
    since then (fixed while the goal is active) and its confidence delta.
    """
    client, goals = view["client"], []
    for goal in sorted(view["goals"].values(), key=by_start):
        if goal["status"] not in OPEN:
            continue
        since = goal_clock.quiet_since(goal)
        goals.append(
            {
                "goal_id": goal["goal_id"],
                "statement": goal["statement"],
                "start_on": goal["start_on"],
                "due_on": goal["due_on"],
                "paused": goal["status"] == "paused",
                "quiet_since": since,
                "paused_days": round(goal_clock.paused_since(goal, since), 3),
                "confidence_delta": goal_clock.confidence_delta(check_ins.confidence_series(goal)),
            }
        )
    recent = heapq.nlargest(
        RECENT_CONFIDENCE,
        (
            (entry[check_ins.AT], entry[check_ins.CONFIDENCE])
            for goal in view["goals"].values()
            if goal["status"] in OPEN
            for entry in goal["check_ins"].values()
        ),
    )
    return {
        "client_id": view["client_id"],
        "organisation_id": client["organisation_id"] or "",
        "coach_id": client["coach_id"] or "",
        "display_name": client["display_name"] or "",
        "timezone": client["timezone"],
        "review_cadence_months": client["review_cadence_months"],
        "enrolled_at": client["enrolled_at"],
        "last_review_completed_at": view["reviews"]["last_completed_at"],
        "review_open_since": (view["reviews"]["open"] or {}).get("started_at"),
        "active_goals": sum(1 for goal in goals if not goal["paused"]),
        "paused_goals": sum(1 for goal in goals if goal["paused"]),
        "last_win_at": view["last_win_at"],
        "recent_confidence": [value for _, value in reversed(recent)],
        "confidence_delta": goal_clock.overall_delta([goal["confidence_delta"] for goal in goals]),
        "goals": goals,
        "alignment": alignment_events.caseload_summary(view),
    }
