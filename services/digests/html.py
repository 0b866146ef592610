"""Digests as self-contained HTML pages from `templates/` (client, coach, organisation): no scripts.

This is what a coach opens. The templates autoescape all user text, and a
Content-Security-Policy forbids scripts and remote loads as a second guard.
Each part is a `<section>` with a stable id (wins, momentum, findings,
deadlines, next-milestones, suggestions, late-corrections; a coach digest:
attention, wins, deadlines, findings, cohort; an organisation digest adds
coaches), so pages can be linked into and tested. The charts stay code
(`services.digests.chart`), which escapes its own text, and is inserted as markup.
"""

from __future__ import annotations

from markupsafe import Markup

from services.digests.chart import cohort_chart, momentum_chart
from services.digests.templating import HTML


def to_html(digest: dict) -> str:
    """A client digest as one HTML page with the momentum chart inline."""
    chart = Markup(momentum_chart(digest["momentum"]["weeks"]))  # the chart escapes its own text
    return HTML.get_template("client.html").render(digest=digest, chart=chart)


def coach_to_html(digest: dict) -> str:
    """A coach's caseload digest as one HTML page, with the cohort chart when it has a cohort section."""
    return _with_cohort_chart("coach.html", digest)


def organisation_to_html(digest: dict) -> str:
    """An organisation's digest as one HTML page, with the cohort chart when it has a cohort section."""
    return _with_cohort_chart("organisation.html", digest)


def _with_cohort_chart(template: str, digest: dict) -> str:
    cohort = digest.get("cohort")
    chart = Markup(cohort_chart(cohort["by_requirement_kind"])) if cohort else None
    return HTML.get_template(template).render(digest=digest, chart=chart)
