"""Client-view handling of re-alignment checks: the current findings, since when, and their summaries.

A client view keeps only the current check (its id, time, counts per severity
and at most `MAX_FINDINGS` findings, most severe first as the domain orders
them), so a client checked daily for years keeps a view of the same size.
The check that occurred last in business time is the current one: a check
back-dated to a past day (`on`) is history and leaves the current findings as
they are. Each current finding carries `since`: when the first check of the
unbroken run of checks that found it (same rule, goal and requirement) ran,
so reads never replay the checks to say how long a problem has stood.
"""

from __future__ import annotations

from datetime import datetime, timezone

SEVERITIES = ("critical", "warning", "info")
MAX_FINDINGS = 50
CASELOAD_FINDINGS = 3
BRIEF = ("rule", "severity", "suggested_action", "goal_id", "requirement_id", "summary")


def finding_key(finding: dict) -> str:
    """What makes two checks' findings the same finding: rule, goal and requirement."""
    return f"{finding['rule']}/{finding.get('goal_id') or ''}/{finding.get('requirement_id') or ''}"


def alignment_checked(view: dict, data: dict) -> None:
    """Make this check the current one, unless one that occurred later is current already."""
    latest, at = view["alignment"], data["occurred_at"]
    if latest is not None and datetime.fromisoformat(at) < datetime.fromisoformat(
        latest["checked_at"]
    ):
        return
    findings, earlier = data["findings"], (latest or {}).get("since", {})
    since = {finding_key(f): earlier.get(finding_key(f), at) for f in findings}
    view["alignment"] = {
        "check_id": data["check_id"],
        "checked_at": at,
        "total": len(findings),
        "counts": {
            severity: sum(f["severity"] == severity for f in findings) for severity in SEVERITIES
        },
        "findings": [{**f, "since": since[finding_key(f)]} for f in findings[:MAX_FINDINGS]],
        "since": since,
    }


def _subject(view: dict, finding: dict) -> dict:
    """The goal's statement or the requirement's description a finding is about (None when neither)."""
    goal = view["goals"].get(finding.get("goal_id") or "")
    requirement = view["requirements"].get(finding.get("requirement_id") or "")
    return {
        "goal_statement": goal["statement"] if goal else None,
        "requirement_description": requirement["description"] if requirement else None,
    }


def finding_order(finding: dict) -> tuple[int, float, str]:
    """A current finding's place in its list (also a page's position).

    Most severe first; within a severity, newest first (`since`); then by
    rule, goal and requirement, so the order is total.
    """
    since = datetime.fromisoformat(finding["since"])
    if since.tzinfo is None:  # stored without an offset: UTC, never the server's zone
        since = since.replace(tzinfo=timezone.utc)
    return SEVERITIES.index(finding["severity"]), -since.timestamp(), finding_key(finding)


def current_findings(view: dict) -> dict:
    """The current check's findings, each with what it is about and since when (no check yet: none)."""
    latest = view["alignment"]
    if latest is None:
        return {
            "client_id": view["client_id"],
            "check_id": None,
            "checked_at": None,
            "total": 0,
            "findings": [],
        }
    return {
        "client_id": view["client_id"],
        "check_id": latest["check_id"],
        "checked_at": latest["checked_at"],
        "total": latest["total"],
        "findings": [
            {**{key: f.get(key) for key in (*BRIEF, "message", "since")}, **_subject(view, f)}
            for f in latest["findings"]
        ],
    }


def goal_findings(view: dict, goal_id: str) -> list[dict]:
    """The goal's current findings in brief, for its roadmap entry."""
    latest = view["alignment"]
    return [
        {key: f.get(key) for key in ("rule", "severity", "summary", "suggested_action", "since")}
        for f in (latest["findings"] if latest else ())
        if f.get("goal_id") == goal_id
    ]


def caseload_summary(view: dict) -> dict | None:
    """The current check in brief for a caseload row: when, counts, the most severe few, every critical one.

    Each critical finding names its goal or requirement, so the caseload can say
    why it raises a client's attention score without loading the view.
    """
    latest = view["alignment"]
    if latest is None:
        return None
    top = [{key: f[key] for key in BRIEF} for f in latest["findings"][:CASELOAD_FINDINGS]]
    critical = [
        {**{key: f[key] for key in BRIEF}, **_subject(view, f)}
        for f in latest["findings"]
        if f["severity"] == "critical"
    ]
    return {
        "check_id": latest["check_id"],
        "checked_at": latest["checked_at"],
        "total": latest["total"],
        **latest["counts"],
        "top": top,
        "critical_findings": critical,
    }


HANDLERS = {"AlignmentChecked": alignment_checked}
