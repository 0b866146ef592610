"""Client-view handling of re-alignment checks: the latest findings, and their caseload summary.

A client view keeps only the latest check (its id, time, counts per severity
and at most `MAX_FINDINGS` findings, most severe first as the domain orders
them), so a client checked daily for years keeps a view of the same size.
"""

from __future__ import annotations

SEVERITIES = ("critical", "warning", "info")
MAX_FINDINGS = 50
CASELOAD_FINDINGS = 3


def alignment_checked(view: dict, data: dict) -> None:
    """Replace the view's latest check with this one."""
    findings = data["findings"]
    view["alignment"] = {
        "check_id": data["check_id"], "checked_at": data["occurred_at"], "total": len(findings),
        "counts": {severity: sum(f["severity"] == severity for f in findings) for severity in SEVERITIES},
        "findings": findings[:MAX_FINDINGS],
    }


def caseload_summary(view: dict) -> dict | None:
    """The latest check in brief for a caseload row: when, counts, and the most severe few findings."""
    latest = view.get("alignment")
    if latest is None:
        return None
    top = [{key: f[key] for key in ("rule", "severity", "suggested_action", "goal_id", "requirement_id", "summary")}
           for f in latest["findings"][:CASELOAD_FINDINGS]]
    return {"checked_at": latest["checked_at"], "total": latest["total"], **latest["counts"], "top": top}


HANDLERS = {"AlignmentChecked": alignment_checked}
