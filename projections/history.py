"""Readable change descriptions of career-plan events, for a client's audit history.

`describe(event)` says what one event changed, with old → new values for
refinements, revisions and reassignments ("refined goal 'Lead one feature':
due date 2027-03-01 → 2027-05-01; confidence 6 → 7"). Events name goals,
requirements and milestones by id; pass `labels(view)` to name them by
statement, description or title instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from domain.text import quoted
from eventstore import StoredEvent

FIELD_NAMES = {"start_on": "start date", "due_on": "due date", "serves": "requirements served"}
FIELD_ORDER = (
    "statement",
    "role",
    "industry",
    "impact",
    "horizon",
    "category",
    "measure",
    "start_on",
    "due_on",
    "confidence",
    "serves",
    "follows",
    "kind",
    "description",
)


def labels(view: dict) -> dict[str, str]:
    """Id → how to name it (quoted statement, description or title), from a client view (none: ids)."""
    names = {rid: quoted(r["description"]) for rid, r in view.get("requirements", {}).items()}
    for goal_id, goal in view.get("goals", {}).items():
        names[goal_id] = quoted(goal["statement"])
        names.update((mid, quoted(m["title"])) for mid, m in goal["milestones"].items())
    pivots = view.get("pivots") or {}
    names.update((pid, p["label"]) for pid, p in (pivots.get("started") or {}).items())
    proposed = (pivots.get("open") or {}).get("proposed") or ()
    names.update((p["requirement_id"], quoted(p["description"])) for p in proposed)
    return names


def describe(event: StoredEvent, labels: Mapping[str, str] | None = None) -> str:
    """One line saying what the event changed; unknown types are named as they are."""
    describer = _DESCRIBERS.get(event.type)
    if event.forgotten:
        return f"{event.type} (personal data erased: the client was forgotten)"
    if describer is None:
        return event.type
    return describer(event.data, _Names(labels or {}))


class _Names:
    """Names an id by its label, or by the id itself when no label is known."""

    def __init__(self, labels: Mapping[str, str]):
        self.labels = labels

    def __call__(self, item_id: str) -> str:
        return self.labels.get(item_id) or str(item_id)


def _measure(measure: dict) -> str:
    if measure["target"] is None:
        return f"done when {quoted(measure['name'])}"
    unit = f" {measure['unit']}" if measure["unit"] else ""
    return f"{measure['name']} {measure['baseline']:g} → {measure['target']:g}{unit}"


def _value(name: str, value, names: _Names) -> str:
    if name == "measure":
        return _measure(value)
    if name == "statement":
        return quoted(value)
    if name == "serves":
        return ", ".join(names(c["requirement_id"]) for c in value) or "none"
    if name == "follows":
        return ", ".join(names(goal_id) for goal_id in value) or "none"
    return str(value)


def _changes(old: dict, new: dict, names: _Names) -> str:
    return (
        "; ".join(
            f"{FIELD_NAMES.get(name, name)} {_value(name, old.get(name), names)} → {_value(name, value, names)}"
            for name, value in sorted(new.items(), key=lambda item: _rank(item[0]))
            if value is not None and value != old.get(name)
        )
        or "no change"
    )


def _rank(name: str) -> int:
    return FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER)


def _reason(text: str, prefix: str = ": ") -> str:
    return f"{prefix}{text}" if text else ""


def _goal_set(d: dict, n: _Names) -> str:
    t = d["terms"]
    text = (
        f"set {t['category']} goal {quoted(t['statement'])}: {_measure(t['measure'])}, "
        f"{t['start_on']} to {t['due_on']}, confidence {t['confidence']}, "
        f"serves {_value('serves', t['serves'], n)}"
    )
    if t["follows"]:
        text += f", follows {_value('follows', t['follows'], n)}"
    return text + (f", replacing {n(d['replaces'])}" if d.get("replaces") else "")


def _check_in(d: dict, n: _Names) -> str:
    verb = f"corrected check-in {d['corrects']} on" if d.get("corrects") else "checked in on"
    value = "" if d["value"] is None else f"value {d['value']:g}, "
    return f"{verb} goal {n(d['goal_id'])}: {value}confidence {d['confidence']}{_reason(d.get('note', ''), '; note: ')}"


def _alignment(d: dict, n: _Names) -> str:
    findings = d["findings"]
    if not findings:
        return "re-alignment check: no findings"
    lines = []
    for f in findings:
        subject = (
            f"goal {n(f['goal_id'])} "
            if f.get("goal_id")
            else f"requirement {n(f['requirement_id'])} "
            if f.get("requirement_id")
            else ""
        )
        lines.append(f"{subject}{f['summary']} ({f['suggested_action']})")
    count = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    return f"re-alignment check: {count} — {'; '.join(lines)}"


def _details(d: dict, n: _Names) -> str:
    changes = []
    if d.get("display_name") is not None:
        changes.append(f"display name {quoted(d['display_name'])}")
    if d.get("timezone") is not None:
        changes.append(f"time zone {d['timezone']}")
    if d.get("review_cadence_months") is not None:
        changes.append(f"review every {d['review_cadence_months']} months")
    return "changed client details: " + ("; ".join(changes) or "no change")


def _pivot_started(d: dict, n: _Names) -> str:
    old, new = d["old"], d["new"]
    return (
        f"started a pivot from {old['role']} ({old['industry']}) to {new['role']} ({new['industry']}), "
        f"{_destination(new)}: {len(d.get('carried') or ())} requirement(s) carry over, "
        f"{len(d.get('stranded_goal_ids') or ())} goal(s) no longer serve the destination, "
        f"{len(d.get('uncovered_requirement_ids') or ())} new requirement(s) have no goal"
    )


def _pivot_decision(d: dict, n: _Names) -> str:
    subject = (
        f"goal {n(d['goal_id'])}" if d.get("goal_id") else f"requirement {n(d['requirement_id'])}"
    )
    becomes = f", becoming {n(d['becomes'])}" if d.get("becomes") else ""
    return f"pivot decided {d['decision']} for {subject}{becomes}{_reason(d.get('note', ''))}"


def _pivot_closed(verb: str) -> Callable[[dict, _Names], str]:
    def describe_close(d: dict, n: _Names) -> str:
        named = n(d["pivot_id"])
        which = f"pivot {named}" if named == d["pivot_id"] else f"the pivot {named}"
        return f"{verb} {which}{_reason(d.get('summary') or d.get('reason') or '')}"

    return describe_close


def _destination(dest: dict) -> str:
    return f"{quoted(dest['statement'])} (horizon {dest['horizon']})"


_DESCRIBERS: dict[str, Callable[[dict, _Names], str]] = {
    "ClientEnrolled": lambda d, n: (
        f"enrolled {d['display_name']} with coach {d['coach_id']} (organisation {d['organisation_id']}, "
        f"time zone {d['timezone']}, review every {d['review_cadence_months']} months)"
    ),
    "CoachReassigned": lambda d, n: f"reassigned coach: {d['old_coach_id']} → {d['new_coach_id']}",
    "ClientDetailsChanged": _details,
    "ClientArchived": lambda d, n: f"archived the client{_reason(d.get('reason') or '')}",
    "ClientReactivated": lambda d, n: f"reactivated the client{_reason(d.get('reason') or '')}",
    "DestinationSet": lambda d, n: f"set destination {_destination(d['destination'])}",
    "DestinationRevised": lambda d, n: f"revised destination: {_changes(d['old'], d['new'], n)}",
    "RequirementAdded": lambda d, n: f"added {d['kind']} requirement {quoted(d['description'])}",
    "RequirementRevised": lambda d, n: "revised requirement {}: {}".format(
        quoted(d["new_description"]),
        _changes(
            {"kind": d["old_kind"], "description": quoted(d["old_description"])},
            {"kind": d["new_kind"], "description": quoted(d["new_description"])},
            n,
        ),
    ),
    "RequirementRetired": lambda d, n: (
        f"retired requirement {n(d['requirement_id'])}{_reason(d['reason'])}"
    ),
    "GoalSet": _goal_set,
    "GoalRefined": lambda d, n: (
        f"refined goal {n(d['goal_id'])}: {_changes(d['old'], d['new'], n)}"
    ),
    "GoalPaused": lambda d, n: f"paused goal {n(d['goal_id'])}{_reason(d.get('reason', ''))}",
    "GoalResumed": lambda d, n: f"resumed goal {n(d['goal_id'])}",
    "GoalAchieved": lambda d, n: f"achieved goal {n(d['goal_id'])}{_reason(d.get('note', ''))}",
    "GoalDropped": lambda d, n: f"dropped goal {n(d['goal_id'])}{_reason(d['reason'])}",
    "GoalReplaced": lambda d, n: (
        f"replaced goal {n(d['goal_id'])} with {n(d['replaced_by'])}{_reason(d.get('reason', ''))}"
    ),
    "GoalReopened": lambda d, n: (
        f"reopened goal {n(d['goal_id'])} (life-cycle {d['lifecycle']}){_reason(d['reason'])}"
    ),
    "MilestoneAdded": lambda d, n: (
        f"added milestone {quoted(d['title'])} ({d['estimate_minutes']} min) "
        f"to goal {n(d['goal_id'])}"
    ),
    "MilestoneCompleted": lambda d, n: f"completed milestone {n(d['milestone_id'])}",
    "MilestoneReopened": lambda d, n: f"reopened milestone {n(d['milestone_id'])}",
    "MilestoneRemoved": lambda d, n: f"removed milestone {n(d['milestone_id'])}",
    "CheckInRecorded": _check_in,
    "ReviewStarted": lambda d, n: (
        f"started review {d['review_id']} of {len(d['goal_ids'])} goal(s)"
    ),
    "ReviewDecisionRecorded": lambda d, n: (
        f"review decided {d['decision']} for goal {n(d['goal_id'])}{_reason(d.get('note', ''))}"
    ),
    "ReviewCompleted": lambda d, n: (
        f"completed review {d['review_id']}{_reason(d.get('summary', ''))}"
    ),
    "PivotStarted": _pivot_started,
    "PivotDecisionRecorded": _pivot_decision,
    "PivotCompleted": _pivot_closed("completed"),
    "PivotAbandoned": _pivot_closed("abandoned"),
    "AlignmentChecked": _alignment,
    "NudgeDue": lambda d, n: (
        f"nudge due after {d['quiet_days']} quiet days: goal {n(d['goal_id'])}, "
        + (
            f"next milestone {n(d['milestone_id'])}"
            if d.get("milestone_id")
            else "no open milestone"
        )
    ),
    "TemplateApplied": lambda d, n: (
        f"applied template {quoted(d['template_name'])} version {d['template_version']}: "
        f"{len(d['requirement_ids'])} requirement(s), {len(d['goal_ids'])} goal(s)"
    ),
}
