"""Client-view handling of career pivots: the open pivot with its carry-over lists and decisions so far.

The view keeps the open pivot whole (what the pivot review shows), and per
pivot ever started one line naming it ("from senior software engineer
(software) to product manager (software)") with its status, so a history
names a pivot however long ago it closed. The destination itself changes
with the DestinationRevised a completion records, so roadmap and momentum
need nothing from here: wins before the pivot stay wins.
"""

from __future__ import annotations


def pivots_of(view: dict) -> dict:
    """The view's pivots part (made on first use: views folded before pivots existed lack it)."""
    return view.setdefault("pivots", new_pivots())


def new_pivots() -> dict:
    """The pivots part of a view before any pivot."""
    return {"open": None, "completed": 0, "abandoned": 0, "started": {}}


def _where(destination: dict) -> str:
    return f"{destination['role']} ({destination['industry']})"


def pivot_started(view: dict, data: dict) -> None:
    pivots = pivots_of(view)
    pivots["started"][data["pivot_id"]] = {
        "label": f"from {_where(data['old'])} to {_where(data['new'])}",
        "status": "open",
        "started_at": data["occurred_at"],
        "closed_at": None,
    }
    pivots["open"] = {
        "pivot_id": data["pivot_id"],
        "started_at": data["occurred_at"],
        "from": data["old"],
        "to": data["new"],
        "goal_ids": data["goal_ids"],
        "requirement_ids": data["requirement_ids"],
        "proposed": data.get("proposed") or [],
        "carried": data.get("carried") or [],
        "stranded_goal_ids": data.get("stranded_goal_ids") or [],
        "uncovered_requirement_ids": data.get("uncovered_requirement_ids") or [],
        "decisions": {"goals": {}, "requirements": {}},
    }


def pivot_decision_recorded(view: dict, data: dict) -> None:
    pivot = pivots_of(view)["open"]
    if pivot is None or pivot["pivot_id"] != data["pivot_id"]:
        return
    subject = "goals" if data.get("goal_id") else "requirements"
    pivot["decisions"][subject][data.get("goal_id") or data["requirement_id"]] = data["decision"]


def _closed(status: str):
    def close(view: dict, data: dict) -> None:
        pivots = pivots_of(view)
        started = pivots["started"].get(data["pivot_id"])
        if started is not None:
            started["status"], started["closed_at"] = status, data["occurred_at"]
        if (pivots["open"] or {}).get("pivot_id") == data["pivot_id"]:
            pivots["open"] = None
        pivots[status] += 1

    return close


HANDLERS = {
    "PivotStarted": pivot_started,
    "PivotDecisionRecorded": pivot_decision_recorded,
    "PivotCompleted": _closed("completed"),
    "PivotAbandoned": _closed("abandoned"),
}
