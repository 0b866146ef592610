"""Review digests, one home: compose, render, run and store them, true to their period.

A digest is per client, per coach or for the whole organisation, for a
weekly or quarterly period, as JSON, Markdown and HTML. Composition is pure, over the client view as it was
at the period's end (`projections.business_time`) with `today` the period's
last day; `runs` and `generation` make the period's run and store one digest
per subject (their tables: `tables`).

    start, end, key = period_for("weekly", today)
    view = view_as_on(client_id, events, end_of_day(end, org_timezone))
    digest = client_digest(view, end, start, end)             # JSON-safe dict
    to_markdown(digest), to_html(digest)                       # rendered
    coach = coach_digest(period_attention(digests), digests, end, start, end)
    coach_to_markdown(coach), coach_to_html(coach)
    organisation = organisation_digest(batches_of_client_digests, end, start, end, org_id)
    organisation_to_markdown(organisation), organisation_to_html(organisation)
"""

from services.digests.client import client_digest
from services.digests.coach import coach_digest
from services.digests.html import coach_to_html, organisation_to_html, to_html
from services.digests.markdown import coach_to_markdown, organisation_to_markdown, to_markdown
from services.digests.organisation import organisation_digest
from services.digests.period import period_for, period_key

__all__ = [
    "client_digest",
    "coach_digest",
    "period_for",
    "period_key",
    "to_markdown",
    "to_html",
    "coach_to_markdown",
    "coach_to_html",
    "organisation_digest",
    "organisation_to_markdown",
    "organisation_to_html",
]
