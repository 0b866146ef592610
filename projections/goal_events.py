"""Client-view handlers for goal events: set, refined, life-cycle, milestones and check-ins.

Each handler takes the view and the event's raw `data` dict and changes only
what the event changed. Nested values (measure, serves, follows) are shared
with the event data and never mutated, so no handler copies anything deep.
"""

from __future__ import annotations

from collections.abc import Callable

from projections import check_ins
from projections.wins import count_win, forget_milestone_win, settle_last_win


def _goal(view: dict, data: dict) -> dict | None:
    return view["goals"].get(data["goal_id"])


def goal_set(view: dict, data: dict) -> None:
    terms, at = data["terms"], data["occurred_at"]
    view["goals"][data["goal_id"]] = {
        "goal_id": data["goal_id"],
        "seq": len(view["goals"]),
        **terms,
        "status": "active",
        "lifecycle": 1,
        "set_at": at,
        "activated_at": at,
        "closed_at": None,
        "close_note": "",
        "past_lifecycles": [],
        "replaces": data.get("replaces"),
        "replaced_by": None,
        "pauses": [],
        "milestones": {},
        "current_value": terms["measure"]["baseline"],
        "set_confidence": terms["confidence"],
        "latest_confidence": terms["confidence"],
        "latest_at": None,
        "check_ins": {},
        "corrections": {},
        "last_win_at": None,
        "other_win_at": None,
        "removed_win_at": None,
    }


def goal_refined(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    if goal is None:
        return
    new = data["new"]
    for name, value in new.items():
        if value is not None:
            goal[name] = value
    if new.get("measure") is not None:
        if goal["check_ins"]:
            check_ins.refresh(view, goal)
        else:
            goal["current_value"] = new["measure"]["baseline"]
    if new.get("confidence") is not None and not goal["check_ins"]:
        goal["latest_confidence"] = new["confidence"]


def goal_paused(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    if goal is not None:
        goal["status"] = "paused"
        goal["pauses"].append([data["occurred_at"], None])


def goal_resumed(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    if goal is not None:
        goal["status"] = "active"
        if goal["pauses"]:
            goal["pauses"][-1][1] = data["occurred_at"]


def _close(goal: dict, outcome: str, at: str, note: str) -> None:
    if goal["pauses"] and goal["pauses"][-1][1] is None:
        goal["pauses"][-1][1] = at
    goal["status"], goal["closed_at"], goal["close_note"] = outcome, at, note


def goal_achieved(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    if goal is not None:
        _close(goal, "achieved", data["occurred_at"], data.get("note", ""))
        count_win(view, goal, "goals", data["occurred_at"])


def goal_dropped(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    if goal is not None:
        _close(goal, "dropped", data["occurred_at"], data.get("reason", ""))


def goal_replaced(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    if goal is not None:
        _close(goal, "replaced", data["occurred_at"], data.get("reason", ""))
        goal["replaced_by"] = data["replaced_by"]


def goal_reopened(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    if goal is None:
        return
    goal["past_lifecycles"].append(
        {
            "lifecycle": goal["lifecycle"],
            "outcome": goal["status"],
            "closed_at": goal["closed_at"],
            "note": goal["close_note"],
        }
    )
    goal["lifecycle"], goal["status"], goal["activated_at"] = (
        data["lifecycle"],
        "active",
        data["occurred_at"],
    )
    goal["closed_at"], goal["close_note"] = None, ""


def milestone_added(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    if goal is not None:
        goal["milestones"][data["milestone_id"]] = {
            "title": data["title"],
            "estimate_minutes": data["estimate_minutes"],
            "status": "open",
            "completed_at": None,
        }


def milestone_completed(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    milestone = goal and goal["milestones"].get(data["milestone_id"])
    if milestone:
        milestone["status"], milestone["completed_at"] = "completed", data["occurred_at"]
        count_win(view, goal, "milestones", data["occurred_at"])


def milestone_reopened(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    milestone = goal and goal["milestones"].get(data["milestone_id"])
    if milestone:
        if milestone["completed_at"] is not None:
            count_win(view, goal, "milestones", milestone["completed_at"], -1)
        milestone["status"], milestone["completed_at"] = "open", None
        forget_milestone_win(goal)
        settle_last_win(view, goal, check_ins.last_won_at(goal))


def milestone_removed(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    milestone = goal and goal["milestones"].pop(data["milestone_id"], None)
    if (
        milestone
        and milestone["completed_at"]
        and milestone["completed_at"] > (goal.get("removed_win_at") or "")
    ):
        goal["removed_win_at"] = milestone["completed_at"]


def check_in_recorded(view: dict, data: dict) -> None:
    goal = _goal(view, data)
    if goal is not None:
        check_ins.record(view, goal, data)


HANDLERS: dict[str, Callable[[dict, dict], None]] = {
    "GoalSet": goal_set,
    "GoalRefined": goal_refined,
    "GoalPaused": goal_paused,
    "GoalResumed": goal_resumed,
    "GoalAchieved": goal_achieved,
    "GoalDropped": goal_dropped,
    "GoalReplaced": goal_replaced,
    "GoalReopened": goal_reopened,
    "MilestoneAdded": milestone_added,
    "MilestoneCompleted": milestone_completed,
    "MilestoneReopened": milestone_reopened,
    "MilestoneRemoved": milestone_removed,
    "CheckInRecorded": check_in_recorded,
}
