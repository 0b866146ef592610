"""The roadmap as the seed's CSV table: one row per goal, in the JSON roadmap's order, safe in spreadsheets."""

from __future__ import annotations

import csv
import io

from services.roadmap_csv import COLUMNS, roadmap_csv


def goal(goal_id: str, statement: str, *serves: tuple[str, str], status: str = "active") -> dict:
    return {
        "goal_id": goal_id,
        "statement": statement,
        "due_on": "2027-02-27",
        "status": status,
        "serves": [
            {"requirement_id": f"r-{n}", "how_it_leads": how, "description": description}
            for n, (how, description) in enumerate(serves)
        ],
    }


ROADMAP = {
    "timeframes": [
        {
            "name": "next 3 months",
            "goals": [goal("g1", "Complete a course", ("Depth.", "Designs"))],
        },
        {"name": "3–12 months", "goals": []},
        {
            "name": "year 2",
            "goals": [
                goal("g2", "Mentor, and document", ("Coaching.", "Coaches"), ("Trust.", None))
            ],
        },
    ],
    "achieved": [goal("g0", "Ship a talk", status="achieved")],
}


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_one_row_per_goal_under_its_timeframe_then_the_achieved():
    header, *body = rows(roadmap_csv(ROADMAP))
    assert tuple(header) == COLUMNS
    assert body == [
        ["next 3 months", "Complete a course", "Depth.", "Designs", "2027-02-27", "active", "g1"],
        [
            "year 2",
            "Mentor, and document",
            "Coaching.; Trust.",
            "Coaches; r-1",
            "2027-02-27",
            "active",
            "g2",
        ],
        ["achieved", "Ship a talk", "", "", "2027-02-27", "achieved", "g0"],
    ]


def test_lines_end_in_crlf_and_commas_are_quoted():
    text = roadmap_csv(ROADMAP)
    assert text.count("\r\n") == 4 and '"Mentor, and document"' in text


def test_a_cell_a_spreadsheet_would_run_is_kept_as_text():
    formula = {"timeframes": [{"name": "later", "goals": [goal("g", '=HYPERLINK("x")')]}]}
    _, row = rows(roadmap_csv({**formula, "achieved": []}))
    assert row[1] == '\'=HYPERLINK("x")'
    for start in "+-@\t":
        _, row = rows(
            roadmap_csv(
                {
                    "timeframes": [{"name": "later", "goals": [goal("g", start + "1")]}],
                    "achieved": [],
                }
            )
        )
        assert row[1] == "'" + start + "1"
