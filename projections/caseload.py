"""The caseload: a coach's (or an organisation's) clients ranked by who needs attention first.

Ranks the rows `client_view.caseload_row` stores, so a caseload of thousands
is ranked without loading any view. Score (higher = look sooner):

    3 per stalled goal      active, started, unpaused, no win for `stall_days` days
    2 per overdue goal      active, unpaused, due before today
    2 falling confidence    the client's confidence delta ≤ −1 (see `goal_clock`)
    1 review due            no review open, and a cadence has passed since the last
                            completed review (or, never reviewed, since enrolment),
                            on the client's own calendar
    3 per critical finding  in the client's current re-alignment check, about
                            an open goal (or no goal); a reason line names each

Each entry carries the client's alignment summary (`alignment`: when the
current check ran, counts per severity, the most severe few findings).

Ties are ordered by client id: a total order that names no one, so a
caseload page's cursor (the position `by_attention` gives) carries no
personal text.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime
from typing import NamedTuple

from domain.dates import add_months, local_today
from domain.goal_formulas import quiet_days
from domain.text import quoted
from projections import goal_clock

STALLED, OVERDUE, FALLING, REVIEW_DUE, CRITICAL = 3, 2, 2, 1, 3


def by_attention(entry: dict) -> tuple:
    """A caseload entry's place: highest score first, then client id (also a page's position)."""
    return -entry["score"], entry["client_id"]


def rank(rows: list[dict], today: date, stall_days: int = 21) -> list[dict]:
    """Each client's attention score and reasons, highest score first."""
    entries = [attention(row, today, stall_days) for row in rows]
    entries.sort(key=by_attention)
    return entries


def ranked_page(
    rows: list[dict], today: date, stall_days: int, after: tuple | None, limit: int
) -> tuple[list[dict], tuple | None]:
    """A page of `rank(rows, ...)`: the entries after the position `after`, and the next position.

    Every row is scored, but only the page's entries are described (reasons,
    goals concerned): a coach's caseload holds hundreds of clients and a page
    shows fifty.
    """
    keyed = sorted(
        (((-_signals(row, today, stall_days).score, row["client_id"]), row) for row in rows),
        key=lambda pair: pair[0],
    )
    start = 0 if after is None else bisect_right([key for key, _ in keyed], tuple(after))
    chosen = keyed[start : start + limit]
    entries = [attention(row, today, stall_days) for _, row in chosen]
    more = start + limit < len(keyed)
    return entries, by_attention(entries[-1]) if more else None


class _Signals(NamedTuple):
    """What makes a client need attention as of a day; `attention` words it."""

    # ("stalled" or "overdue", goal, quiet days), goal by goal, as the reasons list them.
    concerns: list[tuple[str, dict, float]]
    falling: bool
    due_on: date | None
    review_due: bool
    critical: list[dict]

    @property
    def stalled(self) -> list[str]:
        return [goal["goal_id"] for kind, goal, _ in self.concerns if kind == "stalled"]

    @property
    def overdue(self) -> list[str]:
        return [goal["goal_id"] for kind, goal, _ in self.concerns if kind == "overdue"]

    @property
    def score(self) -> int:
        return (
            STALLED * len(self.stalled)
            + OVERDUE * len(self.overdue)
            + FALLING * self.falling
            + REVIEW_DUE * self.review_due
            + CRITICAL * len(self.critical)
        )


def _signals(row: dict, today: date, stall_days: int) -> _Signals:
    concerns = []
    today_text = today.isoformat()  # compared with each goal's ISO dates, once per row
    for goal in row["goals"]:
        if goal["paused"]:
            continue
        quiet = quiet_days(goal["quiet_since"], goal["paused_days"], today)
        if goal["start_on"] <= today_text and quiet >= stall_days:
            concerns.append(("stalled", goal, quiet))
        if goal["due_on"] < today_text:
            concerns.append(("overdue", goal, quiet))
    delta = row["confidence_delta"]
    due_on = review_due_on(row)
    return _Signals(
        concerns,
        delta is not None and delta <= goal_clock.FALLING_CONFIDENCE,
        due_on,
        due_on is not None and row["review_open_since"] is None and due_on <= today,
        critical_findings(row),
    )


def attention(row: dict, today: date, stall_days: int = 21) -> dict:
    """Why one client needs attention as of `today`: score, reasons and the goals concerned."""
    signals = _signals(row, today, stall_days)
    reasons = []
    for kind, goal, quiet in signals.concerns:
        if kind == "stalled":
            reasons.append(
                f"goal {quoted(goal['statement'])} stalled: no win for {int(quiet)} days"
            )
        else:
            days = (today - date.fromisoformat(goal["due_on"])).days
            reasons.append(
                f"goal {quoted(goal['statement'])} overdue: due {goal['due_on']} ({days} days ago)"
            )
    if signals.falling:
        reasons.append(
            f"confidence falling: {row['confidence_delta']:+g} against earlier check-ins"
        )
    due_on = signals.due_on
    if signals.review_due:
        last = row["last_review_completed_at"]
        since = f"last review {last[:10]}" if last else "never reviewed"
        reasons.append(
            f"review due since {due_on.isoformat()} ({since}; every {row['review_cadence_months']} months)"
        )
    reasons += [
        f"critical finding: {_about(f)}{f['summary']} (suggested: {f['suggested_action']})"
        for f in signals.critical
    ]
    return {
        "client_id": row["client_id"],
        "display_name": row["display_name"],
        "organisation_id": row["organisation_id"],
        "coach_id": row["coach_id"],
        "score": signals.score,
        "reasons": reasons,
        "stalled": signals.stalled,
        "overdue": signals.overdue,
        "falling_confidence": signals.falling,
        "review_due": signals.review_due,
        "next_review_due": due_on.isoformat() if due_on else None,
        "critical_findings": [
            {key: f[key] for key in ("rule", "goal_id", "requirement_id")} for f in signals.critical
        ],
        "alignment": row.get("alignment"),
    }


def critical_findings(row: dict) -> list[dict]:
    """The current check's critical findings that still matter: about an open goal, or about no goal."""
    summary = row.get("alignment") or {}
    open_goals = {goal["goal_id"] for goal in row["goals"]}
    return [
        f
        for f in summary.get("critical_findings", ())
        if f["goal_id"] is None or f["goal_id"] in open_goals
    ]


def _about(finding: dict) -> str:
    if finding.get("goal_statement"):
        return f"goal {quoted(finding['goal_statement'])} "
    if finding.get("requirement_description"):
        return f"requirement {quoted(finding['requirement_description'])} "
    return ""


def review_due_on(row: dict) -> date | None:
    """The client-local date the next review falls due: a cadence after the last one, or after enrolment."""
    since = row["last_review_completed_at"] or row["enrolled_at"]
    if since is None:
        return None
    local = local_today(datetime.fromisoformat(since), row["timezone"])
    return add_months(local, row["review_cadence_months"])
