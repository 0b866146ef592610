"""A client's review digest: one period's wins, momentum, findings, deadlines, next steps and suggestions.

Pure and JSON-safe: composed from a client view (`projections.client_view`)
and dates only, so the workers store it as it is and the renderers turn it
into Markdown or HTML. The workers pass the view as it was at the period's
end (`projections.business_time.view_as_on`) and the period's last day as
`today`, so nothing after the period shows. Re-alignment findings are read
defensively from `view.get("alignment")`: a view without one gives an empty
findings section.
"""

from __future__ import annotations

from datetime import date

from projections.caseload import attention
from projections.client_view import caseload_row
from services.digests.goals import deadlines, next_milestones, suggestions
from services.digests.period import period_section
from services.digests.wins import momentum_section, wins_in

SCHEMA_VERSION = 2  # 2: provisional, late_corrections and attention
FINDING_FIELDS = (
    "rule",
    "severity",
    "suggested_action",
    "summary",
    "message",
    "goal_id",
    "requirement_id",
)
SEVERITY_RANK = {"critical": 0, "warning": 1, "info": 2}  # domain.alignment_policy.SEVERITIES
DESTINATION_FIELDS = ("statement", "role", "industry", "impact", "horizon")


def client_digest(
    view: dict,
    today: date,
    period_start: date,
    period_end: date,
    stall_days: int = 21,
    *,
    provisional: bool = False,
    late_corrections: list[dict] | None = None,
) -> dict:
    """The digest of one client for the period `period_start`..`period_end` (inclusive), as of `today`.

    Wins are those dated in the period; momentum, deadlines (the next 30 days),
    next milestones, suggestions and attention (the client's caseload score
    and reasons, which coach digests rank) are judged as of `today`. A
    `provisional` digest is made before its period ended; `late_corrections`
    (see `services.digests.corrections`) are facts back-dated into earlier
    periods after their digests were made.
    """
    client, destination = view["client"], view["destination"]
    momentum = momentum_section(view, today, stall_days)
    found = findings(view)
    return {
        "kind": "client",
        "schema_version": SCHEMA_VERSION,
        "client_id": view["client_id"],
        "as_of": today.isoformat(),
        "provisional": provisional,
        "period": period_section(period_start, period_end),
        "client": {
            "client_id": view["client_id"],
            "display_name": client["display_name"] or "",
            "coach_id": client["coach_id"],
            "organisation_id": client["organisation_id"],
            "timezone": client["timezone"],
        },
        "destination": {name: destination.get(name) for name in DESTINATION_FIELDS}
        if destination
        else None,
        "wins": wins_in(view, period_start, period_end),
        "momentum": momentum,
        "findings": found,
        "deadlines": deadlines(view, today),
        "next_milestones": next_milestones(view, today),
        "suggestions": suggestions(view, today, momentum, found["items"], stall_days),
        "late_corrections": list(late_corrections or ()),
        "attention": attention(
            caseload_row({**view, "alignment": None}), today, stall_days
        ),  # findings: above
    }


def findings(view: dict) -> dict:
    """The latest re-alignment check's findings, most severe first, each naming its goal or requirement.

    `total` and `counts` (per severity) are what the check found; the view keeps at most the first 50.

    Tolerates a view without `alignment`, findings missing fields and
    severities it does not know (those sort last, in their given order).
    """
    alignment = view.get("alignment") or {}
    goals, requirements = view["goals"], view["requirements"]
    items = []
    for finding in alignment.get("findings") or ():
        if not isinstance(finding, dict):
            continue
        item = {name: finding.get(name) for name in FINDING_FIELDS}
        item["goal"] = goals.get(item["goal_id"], {}).get("statement") if item["goal_id"] else None
        requirement = requirements.get(item["requirement_id"], {}) if item["requirement_id"] else {}
        item["requirement"] = requirement.get("description")
        items.append(item)
    items.sort(
        key=lambda item: SEVERITY_RANK.get(str(item["severity"]).lower(), len(SEVERITY_RANK))
    )
    counts = alignment.get("counts")
    if not isinstance(counts, dict):
        counts = {}
        for item in items:
            counts[str(item["severity"])] = counts.get(str(item["severity"]), 0) + 1
    return {
        "checked_at": alignment.get("checked_at"),
        "total": alignment.get("total", len(items)),
        "counts": counts,
        "items": items,
    }
