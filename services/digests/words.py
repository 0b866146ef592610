"""The sentences a digest says, shared by the Markdown and HTML renderers so both read the same.

Every function returns plain, *unescaped* text; each renderer escapes it for
its own format.
"""

from __future__ import annotations

import re

WIN_KINDS = {
    "milestone": "milestone completed",
    "goal": "goal achieved",
    "check_in": "forward check-in",
}
_LABEL_ID = re.compile(r" ?\(id [^()\s]+\)")
SUGGESTIONS = {"keep": "Keep", "tweak": "Tweak", "replace": "Replace"}


def plural(count: int, word: str, words: str | None = None) -> str:
    """ "1 win", "3 wins"."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def title(digest: dict) -> str:
    """The heading of a client, coach or organisation digest."""
    key = digest["period"]["key"]
    if digest["kind"] == "organisation":
        return f"Organisation digest for {digest['organisation_id']}, {key}"
    if digest["kind"] == "coach":
        who = f" for coach {digest['coach_id']}" if digest["coach_id"] else ""
        return f"Caseload digest{who}, {key}"
    return f"Review digest for {digest['client']['display_name'] or digest['client_id']}, {key}"


def period_line(digest: dict) -> str:
    period = digest["period"]
    return f"Period {period['start']} to {period['end']} · as of {digest['as_of']}"


def provisional_line(digest: dict) -> str | None:
    """The marker of a digest made before its period ended (None for a final one)."""
    if not digest.get("provisional"):
        return None
    return (
        f"Provisional: made before the period ended on {digest['period']['end']}; "
        "the period's final digest replaces it."
    )


def correction_line(item: dict) -> str:
    """ "CheckInRecorded (goal: …) · occurred 2026-11-20T10:00:00+00:00 · recorded 2026-12-02T…"."""
    about = f" (goal: {item['goal']})" if item["goal"] else ""
    return (
        f"{item['type']}{about} · occurred {item['occurred_at']} · recorded {item['recorded_at']}"
    )


def destination_line(destination: dict | None) -> str:
    if not destination:
        return "No destination set yet."
    return f"{destination['statement']} (horizon {destination['horizon']})"


def days_left(days: int) -> str:
    """ "today", "tomorrow", "in 6 days", "3 days overdue"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days" if days > 0 else f"{plural(-days, 'day')} overdue"


def wins_summary(wins: dict) -> str:
    """ "3 wins: 1 milestone completed, 0 goals achieved, 2 forward check-ins"."""
    if not wins["total"]:
        return "No wins in this period"
    parts = [
        plural(wins[key], word, words)
        for key, word, words in (
            ("milestones", "milestone completed", "milestones completed"),
            ("goals", "goal achieved", "goals achieved"),
            ("check_ins", "forward check-in", None),
        )
    ]
    return f"{plural(wins['total'], 'win')}: {', '.join(parts)}"


def win_line(item: dict) -> str:
    return f"{item['at'][:10]} · {WIN_KINDS.get(item['kind'], item['kind'])}: {item['label']} (goal: {item['goal']})"


def momentum_facts(momentum: dict) -> list[str]:
    """Streak, habit strength, 30-day trend, confidence, then each stalled or overdue goal."""
    streak, trend, confidence = momentum["streak"], momentum["trend_30d"], momentum["confidence"]
    facts = [
        f"Streak: {plural(streak['current'], 'week')} with a win (longest {streak['longest']})",
        f"Habit strength: {round(momentum['habit_strength'] * 100)}%",
        f"Last 30 days: {plural(trend['last_30_days'], 'win')}, against {trend['previous_30_days']} "
        f"in the 30 days before ({trend['direction']})",
    ]
    if confidence["direction"]:
        facts.append(f"Confidence: {confidence['direction']} ({confidence['overall_delta']:+g})")
    facts += [
        f"Stalled: {g['statement']} (no win for {int(g['quiet_days'])} days)"
        for g in momentum["stalled"]
    ]
    facts += [f"Overdue: {g['statement']} (due {g['due_on']})" for g in momentum["overdue"]]
    return facts


def chart_label(weeks: list[dict]) -> str:
    """The momentum chart's accessible description: every week's wins and the latest habit strength."""
    counts = ", ".join(f"{week['week']}: {week['total']}" for week in weeks)
    latest = round(weeks[-1]["habit_strength"] * 100) if weeks else 0
    return (
        f"Wins per week over the last {len(weeks)} weeks ({counts}); habit strength now {latest}%"
    )


def finding_line(finding: dict) -> str:
    """ "pace at risk: 50% done, 88% expected (goal: Lead a project) · suggested: tweak"; the detail is apart."""
    about, text = finding_subject(finding), finding["summary"] or finding["rule"] or "finding"
    text += f" ({about})" if about else ""
    return (
        f"{text} · suggested: {finding['suggested_action']}"
        if finding["suggested_action"]
        else text
    )


def finding_subject(finding: dict) -> str | None:
    """ "goal: <statement>" or "requirement: <description>", never an id; None for a plan-wide finding.

    A goal or requirement the view no longer holds is "a goal (requirement) no longer in the plan".
    """
    if finding.get("goal_id"):
        return f"goal: {finding.get('goal') or 'a goal no longer in the plan'}"
    if finding.get("requirement_id"):
        return f"requirement: {finding.get('requirement') or 'a requirement no longer in the plan'}"
    return None


def finding_detail(finding: dict) -> str:
    """The finding's message without the ids the domain adds to its labels ("'Lead a project' (id 3f2…)")."""
    return _LABEL_ID.sub("", finding.get("message") or "")


def findings_count(findings: dict) -> str:
    """ "7 findings: warning 6, info 1": a caseload's findings in all and per severity."""
    by = ", ".join(f"{severity} {count}" for severity, count in findings["by_severity"].items())
    return plural(findings["total"], "finding") + (f": {by}" if by else "")


def deadline_line(item: dict) -> str:
    pace = f" · pace {item['pace']}" if item.get("pace") else ""
    return (
        f"{item['due_on']} ({days_left(item['days_left'])}) · {item['kind']}: {item['label']}{pace}"
    )


def milestone_line(milestone: dict) -> str:
    return f"{milestone['title']} ({milestone['estimate_minutes']} min)"


def percent(share: float | None) -> str:
    """ "25%" of a share (0..1), or "–" when there is none."""
    return "–" if share is None else f"{round(share * 100)}%"


def number_or_dash(value: float | None) -> str:
    """A figure without a needless ".0", or "–" when there is none."""
    return "–" if value is None else f"{value:g}"


def cohort_summary(cohort: dict) -> str:
    """ "12 goals set: 25% achieved (median 40 days), 17% stalled; 8 review decisions: …; momentum of 10 clients: …"."""
    goals, reviews, momentum = cohort["goals"], cohort["reviews"], cohort["momentum"]
    median = goals["median_days_to_achieve"]
    line = (
        f"{plural(goals['goals'], 'goal')} set: {percent(goals['achieved_share'])} achieved"
        + (f" (median {number_or_dash(median)} days)" if median is not None else "")
        + f", {percent(goals['stalled_share'])} stalled"
    )
    decided = [f"{percent(rate)} {name}" for name, rate in reviews["rates"].items() if rate]
    line += f"; {plural(reviews['decisions'], 'review decision')}" + (
        f": {', '.join(decided)}" if decided else ""
    )
    trend = momentum["trend_30d"]
    return line + (
        f"; 30-day momentum of {plural(momentum['clients'], 'client')}: "
        f"{trend['up']} up, {trend['flat']} flat, {trend['down']} down"
    )
