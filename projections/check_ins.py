"""Check-ins of one goal in a client view: effective values after corrections, and forward wins.

A goal keeps one compact entry per original check-in, `[occurred_at, value,
confidence, won, seq]`, keyed by the original's id; `seq` (the order recorded)
breaks ties in time, as a JSONB column does not keep the order of keys. A
correction (or a chain of them) overwrites its original's value and
confidence, exactly as the domain's `effective_check_ins` does, and is kept
only as an alias (correction id → original id). A check-in in time order — the usual case — costs a few dict
operations; a backdated check-in or a correction re-sorts that goal's entries
and re-judges which are forward wins against the goal's current measure (as
does a change of measure).
"""

from __future__ import annotations

from domain.goal_formulas import forward_check_ins, is_forward
from projections.wins import count_win, settle_last_win

AT, VALUE, CONFIDENCE, WON, SEQ = range(5)


def record(view: dict, goal: dict, data: dict) -> None:
    """Fold one CheckInRecorded into `goal`: its value, confidence and whether it is a win."""
    at, value, confidence = data["occurred_at"], data["value"], data["confidence"]
    corrects = data.get("corrects")
    if corrects is None:
        entry = [at, value, confidence, False, len(goal["check_ins"])]
        goal["check_ins"][data["check_in_id"]] = entry
        latest = goal["latest_at"]
        if latest is None or at >= latest:
            goal["latest_at"], goal["latest_confidence"] = at, confidence
            if is_forward(
                goal["current_value"], value, goal["measure"]["baseline"], goal["measure"]["target"]
            ):
                entry[WON] = True
                count_win(view, goal, "check_ins", at)
            if value is not None:
                goal["current_value"] = value
            return
    else:
        original = goal["corrections"].get(corrects, corrects)
        goal["corrections"][data["check_in_id"]] = original
        entry = goal["check_ins"].get(original)
        if entry is None:
            return
        entry[VALUE], entry[CONFIDENCE] = value, confidence
    refresh(view, goal)


def ordered(goal: dict) -> list[list]:
    """The goal's effective check-ins by when they occurred (ties keep their recorded order)."""
    return sorted(goal["check_ins"].values(), key=lambda entry: (entry[AT], entry[SEQ]))


def refresh(view: dict, goal: dict) -> None:
    """Recompute current value and latest confidence, and re-judge forward wins, from all entries."""
    entries = ordered(goal)
    measure = goal["measure"]
    previous, won_at = measure["baseline"], None
    forward = forward_check_ins(
        (entry[VALUE] for entry in entries), measure["baseline"], measure["target"]
    )
    for entry, won in zip(entries, forward):
        if won != entry[WON]:
            entry[WON] = won
            count_win(view, goal, "check_ins", entry[AT], 1 if won else -1)
        if won:
            won_at = entry[AT]
        if entry[VALUE] is not None:
            previous = entry[VALUE]
    settle_last_win(view, goal, won_at)
    goal["current_value"] = previous
    if entries:
        goal["latest_at"], goal["latest_confidence"] = entries[-1][AT], entries[-1][CONFIDENCE]


def last_won_at(goal: dict) -> str | None:
    """When the goal's latest check-in win happened (None: none is a win)."""
    return max((entry[AT] for entry in goal["check_ins"].values() if entry[WON]), default=None)


def confidence_series(goal: dict) -> list[list]:
    """`[at, confidence]` points: the confidence the goal was set with, then each effective check-in."""
    return [
        [goal["set_at"], goal["set_confidence"]],
        *([e[AT], e[CONFIDENCE]] for e in ordered(goal)),
    ]
