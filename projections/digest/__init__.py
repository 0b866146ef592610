"""Review digests: per client and per coach, for a weekly or quarterly period, as JSON, Markdown and HTML.

Pure functions over the client views and caseload rows; the workers compose,
store (one per client per period key) and deliver them. A period's digest is
composed from the view as at the period's end (`projections.business_time`)
with `today` the period's last day.

    start, end, key = period_for("weekly", today)
    view = view_as_on(client_id, events, end_of_day(end, org_timezone))
    digest = client_digest(view, end, start, end)             # JSON-safe dict
    to_markdown(digest), to_html(digest)                       # rendered
    coach = coach_digest(period_attention(digests), digests, end, start, end)
    coach_to_markdown(coach), coach_to_html(coach)
"""

from projections.digest.client import client_digest
from projections.digest.coach import coach_digest
from projections.digest.html import coach_to_html, to_html
from projections.digest.markdown import coach_to_markdown, to_markdown
from projections.digest.period import period_for, period_key

__all__ = ["client_digest", "coach_digest", "period_for", "period_key",
           "to_markdown", "to_html", "coach_to_markdown", "coach_to_html"]
