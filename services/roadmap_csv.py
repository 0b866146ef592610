"""The roadmap as CSV: the seed's table (timeframe, goal, how it leads) with due date and status.

One row per goal: the open goals by timeframe in chain order, as the JSON
roadmap places them, then the achieved goals (timeframe "achieved"). "How it
leads" joins the goal's "how it leads" texts, one per requirement it serves;
"requirements" names those requirements. RFC 4180 (CRLF line ends, quotes
where needed), written with the csv module. A cell that a spreadsheet would
run as a formula (it starts with =, +, -, @, a tab or a carriage return) is
prefixed with an apostrophe, so a coach's text never runs in someone's
spreadsheet (CSV injection).
"""

from __future__ import annotations

import csv
import io

COLUMNS = ("timeframe", "goal", "how it leads", "requirements", "due on", "status", "goal id")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_JOIN = "; "


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(timeframe: str, goal: dict) -> list[str]:
    serves = goal.get("serves") or ()
    return [
        _cell(value)
        for value in (
            timeframe,
            goal["statement"],
            _JOIN.join(c["how_it_leads"] for c in serves if c.get("how_it_leads")),
            _JOIN.join(c["description"] or c["requirement_id"] for c in serves),
            goal["due_on"],
            goal["status"],
            goal["goal_id"],
        )
    ]


def roadmap_rows(roadmap: dict) -> list[list[str]]:
    """The table's rows (no header): each open goal under its timeframe, then the achieved goals."""
    rows = [_row(frame["name"], goal) for frame in roadmap["timeframes"] for goal in frame["goals"]]
    rows += [_row("achieved", goal) for goal in roadmap["achieved"]]
    return rows


def roadmap_csv(roadmap: dict) -> str:
    """The roadmap (as `projections.roadmap.roadmap` builds it) as a CSV text with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(roadmap_rows(roadmap))
    return out.getvalue()
