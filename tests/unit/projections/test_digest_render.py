"""Rendering digests: Markdown and self-contained HTML with every section, the SVG chart, and escaped user text."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from digest_story import TODAY, seed_story

from careerplan.seed_example import seed_id
from domain import commands as c
from services.digests import client_digest, period_for, to_html, to_markdown
from services.digests.chart import BOTTOM, HEIGHT, TOP

SECTIONS = (
    "wins",
    "momentum",
    "findings",
    "deadlines",
    "next-milestones",
    "suggestions",
    "late-corrections",
)
HOSTILE_NAME = '<script>alert("name")</script>'
HOSTILE_GOAL = "Ship <img src=x onerror=alert(1)> & more"
HOSTILE_STEP = "**bold** [link](javascript:alert(1)) | cell"


class _Elements(HTMLParser):
    """Every start tag with its attributes, in document order."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]


@pytest.fixture(scope="module")
def digest():
    return client_digest(seed_story().view(), TODAY, *period_for("weekly", TODAY)[:2])


@pytest.fixture(scope="module")
def hostile():
    story = seed_story("client-h", display_name=HOSTILE_NAME)
    goal = seed_id("client-h", "goal", "system-design")
    story.run(
        c.AddMilestone(goal_id=goal, milestone_id="m-h", title=HOSTILE_STEP, estimate_minutes=30)
    )
    story.run(c.SetGoal(goal_id="g-h", terms=story.terms(statement=HOSTILE_GOAL)))
    view = story.view()
    view["alignment"] = {
        "checked_at": "2026-03-24",
        "findings": [
            {
                "rule": "x",
                "severity": "<b>",
                "suggested_action": "tweak",
                "goal_id": "g-h",
                "message": "</li><script>",
            }
        ],
    }
    return client_digest(view, TODAY, *period_for("weekly", TODAY)[:2])


def test_markdown_has_every_section_in_reading_order(digest):
    text = to_markdown(digest)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Wins",
        "## Momentum",
        "## Findings",
        "## Deadlines in the next 30 days",
        "## Next milestones",
        "## Suggested review decisions",
        "## Late corrections",
    ]
    assert text.startswith("# Review digest for Sam Example, 2026-W12\n")
    assert "3 wins: 3 milestones completed, 0 goals achieved, 0 forward check-ins" in text
    assert "- Streak: 5 weeks with a win (longest 5)" in text
    assert "| 2026-W07 | 3 | 61% |" in text
    assert "- [ ] Write up one design trade-off from module 1 (45 min)" in text
    assert "| at risk | 50% | **Tweak** | pace: at risk |" in text
    assert "_No findings._" in text


def test_html_is_one_self_contained_page_with_every_section(digest):
    page = to_html(digest)
    elements = _Elements(page)
    assert [a["id"] for a in elements.find("section")] == list(SECTIONS)
    assert page.startswith("<!doctype html>") and "default-src 'none'" in page
    for external in ("<script", "<link", "src=", "url(", "@import"):
        assert external not in page
    assert page.count("http") == page.count("http-equiv") + page.count("http://www.w3.org/2000/svg")


def test_svg_chart_has_one_bar_per_week_scaled_to_the_busiest(digest):
    elements = _Elements(to_html(digest))
    (svg,) = elements.find("svg", id="momentum-chart")
    assert svg["role"] == "img" and svg["aria-label"].startswith(
        "Wins per week over the last 12 weeks (2026-W02: 2"
    )
    bars = elements.find("rect", class_="bar")
    weeks = digest["momentum"]["weeks"]
    assert [(b["data-week"], int(b["data-wins"])) for b in bars] == [
        (w["week"], w["total"]) for w in weeks
    ]
    heights = [float(b["height"]) for b in bars]
    assert (
        heights[5] == HEIGHT - TOP - BOTTOM
        and heights[3] == 0.0
        and heights[1] == pytest.approx(heights[5] / 3)
    )
    assert len(elements.find("polyline", class_="habit")[0]["points"].split()) == len(weeks)


def test_findings_name_goals_and_requirements_by_title_never_by_id():
    view = seed_story("client-f").view()
    (goal_id, goal), (requirement_id, requirement) = (
        next(iter(view["goals"].items())),
        next(iter(view["requirements"].items())),
    )
    view["alignment"] = {
        "checked_at": "2026-03-24",
        "findings": [
            {
                "rule": "goal_stalled",
                "severity": "warning",
                "summary": "stalled",
                "goal_id": goal_id,
                "message": f"goal 'Short' (id {goal_id}) has had no win",
            },
            {
                "rule": "requirement_uncovered",
                "severity": "info",
                "summary": "covered by no goal",
                "requirement_id": requirement_id,
                "message": f"requirement 'Short' (id {requirement_id}) is covered",
            },
            {
                "rule": "goal_overdue",
                "severity": "warning",
                "summary": "overdue",
                "goal_id": "gone-goal-id",
            },
        ],
    }
    digest = client_digest(view, TODAY, *period_for("weekly", TODAY)[:2])
    for text in (to_markdown(digest), to_html(digest)):
        findings = text[text.index("Findings") : text.index("Deadlines in the next 30 days")]
        assert f"stalled (goal: {goal['statement']})" in findings
        assert f"covered by no goal (requirement: {requirement['description']})" in findings
        assert "overdue (goal: a goal no longer in the plan)" in findings
        assert "goal 'Short' has had no win" in findings.replace("&#39;", "'")
        assert (
            goal_id not in findings
            and requirement_id not in findings
            and "gone-goal-id" not in findings
        )


def test_user_text_is_escaped_in_html_and_markdown(hostile):
    page, text = to_html(hostile), to_markdown(hostile)
    assert (
        "<script" not in page
        and "<img" not in page
        and "<b>" not in page
        and "</li><script>" not in page
    )
    assert (
        "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt;" in page
    )  # markupsafe writes " as &#34;
    assert "Ship &lt;img src=x onerror=alert(1)&gt; &amp; more" in page
    assert 'class="badge &lt;b&gt;"' in page
    assert "<script" not in text and "<img" not in text
    assert 'Review digest for &lt;script&gt;alert("name")&lt;/script&gt;, 2026-W12' in text
    assert "\\*\\*bold\\*\\* \\[link\\](javascript:alert(1)) \\| cell" in text
