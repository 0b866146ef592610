"""Digests as Markdown, for e-mail bodies, chat and tickets.

User text is escaped (`md`): HTML-special characters become entities, so a
Markdown viewer never renders a client's `<script>` as markup, and Markdown
punctuation is backslash-escaped, so a statement cannot add links or tables.
"""

from __future__ import annotations

import re
from html import escape

from projections.digest import words as w

_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def md(text: object) -> str:
    """User text safe inside a Markdown line, a list item or a table cell."""
    flat = " ".join(str(text).split())
    return _SPECIAL.sub(r"\\\1", escape(flat, quote=False))


def _list(lines: list[str], empty: str = "") -> list[str]:
    """A Markdown list of plain lines (escaped here); when there are none, the `empty` message (if any)."""
    if not lines:
        return [f"_{empty}_"] if empty else []
    return [f"- {md(line)}" for line in lines]


def _finding(finding: dict) -> str:
    detail = f" — {finding['message']}" if finding["message"] else ""
    return f"[{finding['severity'] or 'unrated'}] {w.finding_line(finding)}{detail}"


def to_markdown(digest: dict) -> str:
    """A client digest as Markdown, in the order a coach reads it."""
    momentum, findings = digest["momentum"], digest["findings"]
    out = [*_heading(digest),
           f"**Destination:** {md(w.destination_line(digest['destination']))}", "",
           "## Wins", "", md(w.wins_summary(digest["wins"])), "",
           *_list([w.win_line(item) for item in digest["wins"]["items"]]), "",
           "## Momentum", "", *_list(w.momentum_facts(momentum)), "",
           "| Week | Wins | Habit strength |", "| --- | ---: | ---: |",
           *(f"| {md(week['week'])} | {week['total']} | {round(week['habit_strength'] * 100)}% |"
             for week in momentum["weeks"]), "",
           "## Findings", ""]
    if findings["checked_at"]:
        out += [f"_Last re-alignment check: {md(findings['checked_at'])}_", ""]
    out += [*_list([_finding(f) for f in findings["items"]], "No findings."), "",
            "## Deadlines in the next 30 days", "",
            *_list([w.deadline_line(item) for item in digest["deadlines"]], "No deadlines in the next 30 days."), "",
            "## Next milestones", ""]
    for goal in digest["next_milestones"]:
        out += [f"**{md(goal['statement'])}**", ""]
        out += [f"- [ ] {md(w.milestone_line(m))}" for m in goal["milestones"]] or ["_No open milestone: add one._"]
        out.append("")
    if not digest["next_milestones"]:
        out += ["_No active goal starting in the next 30 days._", ""]
    out += ["## Suggested review decisions", ""]
    if digest["suggestions"]:
        out += ["| Goal | Pace | Progress | Suggestion | Why |", "| --- | --- | ---: | --- | --- |"]
        out += [f"| {md(s['statement'])} | {md(s['pace'])} | {round(s['progress'] * 100)}% | "
                f"**{w.SUGGESTIONS.get(s['suggestion'], md(s['suggestion']))}** | {md('; '.join(s['reasons']))} |"
                for s in digest["suggestions"]]
    else:
        out.append("_No open goals._")
    out += ["", "## Late corrections", "",
            *_list([w.correction_line(item) for item in digest.get("late_corrections") or ()],
                   "Nothing was back-dated into earlier periods after their digests.")]
    return "\n".join(out).rstrip() + "\n"


def _heading(digest: dict) -> list[str]:
    """Title, the provisional marker when there is one, and the period line."""
    marker = w.provisional_line(digest)
    return [f"# {md(w.title(digest))}", "", *([f"> **{md(marker)}**", ""] if marker else []),
            md(w.period_line(digest)), ""]


def coach_to_markdown(digest: dict) -> str:
    """A coach's caseload digest as Markdown."""
    clients, wins, deadlines, findings = digest["clients"], digest["wins"], digest["deadlines"], digest["findings"]
    out = [*_heading(digest),
           f"## Needing attention ({clients['needing_attention']} of {w.plural(clients['total'], 'client')})", "",
           *_list([f"{a['display_name']} (score {a['score']}): {'; '.join(a['reasons'])}" for a in digest["attention"]],
                  "Nobody needs attention."), "",
           "## Wins", ""]
    if wins is None:
        out.append("_Not available: no client digests in this run._")
    else:
        out += [md(w.wins_summary(wins)) + f". Clients without a win: {wins['clients_without_wins']}.", "",
                "| Client | Wins |", "| --- | ---: |",
                *(f"| {md(row['display_name'])} | {row['total']} |" for row in wins["by_client"])]
    out += ["", "## Deadlines in the next 30 days", ""]
    out += (["_Not available._"] if deadlines is None else
            _list([f"{d['display_name']}: {w.deadline_line(d)}" for d in deadlines], "No deadlines."))
    out += ["", "## Findings", ""]
    if findings is None:
        out.append("_Not available._")
    else:
        by = ", ".join(f"{severity} {count}" for severity, count in findings["by_severity"].items())
        out.append(md(f"{w.plural(findings['total'], 'finding')}" + (f": {by}" if by else "")))
    return "\n".join(out).rstrip() + "\n"
