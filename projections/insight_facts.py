"""A client's insight state and the fact rows it yields: what the cohort insight aggregates.

The state is the client view (`projections.client_view`, folded by the same
handlers) plus what the view does not keep: which template each goal came
from (`TemplateApplied`, handled by its type name) and every review decision
ever recorded. `facts` turns a state into rows with no time in them: the
time-dependent judgements ("stalled", review due, trend) are made in SQL as
of the day asked, from the same quantities the caseload and momentum use
(`goal_clock.quiet_since`, `paused_since`, `caseload.review_due_on`,
`critical_findings`, the view's wins per day).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from eventstore import StoredEvent
from projections import caseload, client_view, goal_clock


def new_state(client_id: str) -> dict:
    """The insight state of a client before any event."""
    return {
        "view": client_view.new_view(client_id),
        "templates": {},
        "template": None,
        "decisions": {},
    }


def _template_applied(state: dict, data: dict) -> None:
    template = {
        "template_id": data["template_id"],
        "template_version": data["template_version"],
        "template_name": data["template_name"],
    }
    for goal_id in data["goal_ids"]:
        state["templates"][goal_id] = template
    state["template"] = template


def _decision_recorded(state: dict, data: dict) -> None:
    key = f"{data['review_id']}/{data['goal_id']}"
    state["decisions"][key] = {
        "review_id": data["review_id"],
        "goal_id": data["goal_id"],
        "decision": data["decision"],
        "on": data["occurred_at"][:10],
    }


HANDLERS: dict[str, Callable[[dict, dict], None]] = {
    "TemplateApplied": _template_applied,
    "ReviewDecisionRecorded": _decision_recorded,
}


def apply(state: dict, event: StoredEvent) -> None:
    """Fold one stored event into the state: the view's handlers, then the insight's own."""
    client_view.apply(state["view"], event)
    handler = HANDLERS.get(event.type)
    if handler is not None:
        handler(state, event.data)


def day(moment: str) -> int:
    """The day number of an ISO date or timestamp (its UTC date)."""
    return date.fromisoformat(moment[:10]).toordinal()


def facts(state: dict) -> dict[str, list[dict]] | None:
    """The rows of each insight table for this client (keyed by table role); None before enrolment."""
    view = state["view"]
    client = view["client"]
    if client["organisation_id"] is None:
        return None
    row = client_view.caseload_row(view)
    enrolled = client["enrolled_at"]
    template = state["template"] or {}
    common = {"client_id": view["client_id"], "organisation_id": client["organisation_id"]}
    scoped = {
        **common,
        "coach_id": client["coach_id"],
        "cohort": enrolled[:7] if enrolled else None,
    }
    due_on = caseload.review_due_on(row) if row["review_open_since"] is None else None
    delta = row["confidence_delta"]
    client_row = {
        **scoped,
        "status": client_view.status_of(view),
        "enrolled_day": day(enrolled) if enrolled else None,
        "template_id": template.get("template_id"),
        "falling_confidence": delta is not None and delta <= goal_clock.FALLING_CONFIDENCE,
        "review_due_day": due_on.toordinal() if due_on else None,
        "critical_findings": len(caseload.critical_findings(row)),
        "state": state,
    }
    goals, kinds = [], []
    for goal in view["goals"].values():
        facts_of_goal = {**scoped, **_goal_facts(goal, state["templates"].get(goal["goal_id"]))}
        goals.append(facts_of_goal)
        kinds += [{**facts_of_goal, "kind": kind} for kind in _kinds(view, goal)]
    decisions = [
        {
            **scoped,
            "review_id": d["review_id"],
            "goal_id": d["goal_id"],
            "template_id": (state["templates"].get(d["goal_id"]) or {}).get("template_id"),
            "decision": d["decision"],
            "day": day(d["on"]),
        }
        for d in state["decisions"].values()
    ]
    win_days = [{**common, "day": day(on), "wins": n} for on, n in view["win_days"].items() if n]
    return {
        "clients": [client_row],
        "goals": goals,
        "goal_kinds": kinds,
        "decisions": decisions,
        "win_days": win_days,
    }


def _goal_facts(goal: dict, template: dict | None) -> dict:
    since = goal_clock.quiet_since(goal)
    template = template or {}
    return {
        "goal_id": goal["goal_id"],
        "template_id": template.get("template_id"),
        "template_version": template.get("template_version"),
        "template_name": template.get("template_name"),
        "status": goal["status"],
        "set_day": day(goal["set_at"]),
        "start_day": day(goal["start_on"]),
        "due_day": day(goal["due_on"]),
        "closed_day": day(goal["closed_at"]) if goal["closed_at"] else None,
        "quiet_day": day(since),
        "paused_days": round(goal_clock.paused_since(goal, since), 3),
    }


def _kinds(view: dict, goal: dict) -> list[str]:
    """The kinds of the requirements the goal serves, each once, sorted."""
    requirements = view["requirements"]
    served = (requirements.get(c["requirement_id"]) for c in goal.get("serves") or ())
    return sorted({requirement["kind"] for requirement in served if requirement})
