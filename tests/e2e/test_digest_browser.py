"""The HTML digest in a real browser: headless Chromium (Debian's package) driven by Playwright.

Opens the seed client's rendered digest from a file and checks what a coach
sees: the momentum chart with one bar per week, and every section. Skipped on
a laptop without /usr/bin/chromium or the `playwright` package; under CI=true
their absence fails the run. No browser is ever downloaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from digest_story import TODAY, seed_story

from domain import commands as c
from services.digests import client_digest, coach_digest, coach_to_html, period_for, to_html
from services.digests.coach import period_attention

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SECTIONS = {
    "wins": "Wins",
    "momentum": "Momentum",
    "findings": "Findings",
    "deadlines": "Deadlines in the next 30 days",
    "next-milestones": "Next milestones",
    "suggestions": "Suggested review decisions",
}


def _missing(what: str) -> None:
    """Fail under CI (the browser test must run there), skip elsewhere."""
    message = f"browser test needs {what}: apt-get install chromium; pip install playwright"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        _missing(str(CHROMIUM))
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def _digest(display_name: str | None = None) -> dict:
    """The seed client's digest of the last complete week, after a re-alignment check."""
    story = seed_story(display_name=display_name)
    story.run(c.RecordAlignmentCheck(check_id="check-1"))
    return client_digest(story.view(), TODAY, *period_for("weekly", TODAY)[:2])


def _open(
    browser, tmp_path: Path, display_name: str | None = None, width: int = 960, html=to_html
) -> tuple:
    """(page, digest, problems): the seed client's digest rendered by `html` (client or coach page), opened
    from a file in a `width` px wide window; `problems` collects console errors, page errors and dialogs."""
    digest = _digest(display_name)
    if html is coach_to_html:
        start, end, _ = period_for("weekly", TODAY)
        digest = coach_digest(
            period_attention([digest]), [digest], TODAY, start, end, coach_id="coach-1"
        )
    path = tmp_path / "digest.html"
    path.write_text(html(digest), encoding="utf-8")
    page, problems = browser.new_page(viewport={"width": width, "height": 900}), []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss())
    )
    page.goto(path.as_uri())
    return page, digest, problems


def test_chart_and_every_section_are_visible(browser, tmp_path):
    page, digest, problems = _open(browser, tmp_path)
    chart = page.locator("#momentum-chart")
    assert chart.is_visible()
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 100
    assert "last 12 weeks" in chart.get_attribute("aria-label")
    bars = page.locator("#momentum-chart rect.bar")
    assert bars.count() == 12 == len(digest["momentum"]["weeks"])
    busy = [i for i, week in enumerate(digest["momentum"]["weeks"]) if week["total"]]
    assert all(bars.nth(i).is_visible() and bars.nth(i).bounding_box()["height"] > 0 for i in busy)
    assert page.locator("#momentum-chart polyline.habit").is_visible()
    for section_id, heading in SECTIONS.items():
        section = page.locator(f"section#{section_id}")
        assert section.is_visible(), section_id
        assert section.locator("h2").inner_text() == heading
    assert page.locator("#suggestions .badge.tweak").first.inner_text() == "Tweak"
    assert "Write up one design trade-off" in page.locator("#next-milestones").inner_text()
    assert page.locator("#findings .badge.warning").first.is_visible()
    assert "pace at risk" in page.locator("#findings").inner_text()
    shot = tmp_path / "digest.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    assert problems == []
    page.close()


def test_a_hostile_display_name_is_shown_as_text_and_never_runs(browser, tmp_path):
    name = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    page, _, problems = _open(browser, tmp_path, display_name=name)
    assert page.locator("h1").inner_text() == f"Review digest for {name}, 2026-W12"
    assert page.locator("main img, main script").count() == 0
    assert problems == []
    page.close()


NARROW = 390  # a phone held upright


@pytest.mark.parametrize("html", [to_html, coach_to_html], ids=["client", "coach"])
def test_at_390_px_wide_nothing_scrolls_sideways(browser, tmp_path, html):
    page, _, problems = _open(browser, tmp_path, width=NARROW, html=html)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= NARROW
    wider = page.evaluate("""() => [...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.outerHTML.slice(0, 80))""")
    assert wider == []
    assert problems == []
    page.close()


def test_at_390_px_wide_the_chart_fits_and_its_labels_stay_legible(browser, tmp_path):
    page, digest, _ = _open(browser, tmp_path, width=NARROW)
    chart = page.locator("#momentum-chart").bounding_box()
    assert chart["x"] >= 0 and chart["x"] + chart["width"] <= NARROW
    # on-screen size of each label: its font size in chart units times the chart's scale
    sizes = page.evaluate("""() => {
        const svg = document.getElementById('momentum-chart');
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    }""")
    assert sizes and min(sizes) >= 10
    labels = [
        (text.text_content(), text.bounding_box())
        for text in page.locator("#momentum-chart text").all()
    ]
    assert all(
        chart["x"] <= b["x"] and b["x"] + b["width"] <= chart["x"] + chart["width"]
        for _, b in labels
    )
    weeks = sorted((b for text, b in labels if text.startswith("W")), key=lambda b: b["x"])
    assert len(weeks) >= len(digest["momentum"]["weeks"]) // 3
    assert all(a["x"] + a["width"] < b["x"] for a, b in zip(weeks, weeks[1:])), (
        "week labels overlap"
    )
    page.close()
