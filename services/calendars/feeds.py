"""Calendar feeds: issue or rotate a coach's or client's feed token, and serve the feed a token opens.

A token is `cal_` + 43 random URL-safe characters, shown once when issued.
Calendar apps (Google, Apple) subscribe to a URL and send no Authorization
header, so the token in the URL is the credential: like an API key, the table
keeps only HMAC-SHA256(server secret, token), looked up by index and compared
in constant time. Issuing again rotates: the row's hash is replaced, so the old
URL stops working at once. A token that opens nothing gets `None`, which the
API answers with a 404 that says nothing more.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from eventstore.schema import utc
from projections import queries
from services.calendars import rendering
from services.calendars.tables import calendar_feeds
from services.client_views import ClientViews
from services.coaches.roster import Coaches
from services.plans import Clock

TOKEN_PREFIX = "cal_"
SUBJECTS = ("client", "coach")
FEED_PATH = "/v1/calendars/{token}.ics"


@dataclass(frozen=True)
class IssuedFeed:
    """A feed just issued or rotated: its URL (holding the token, shown this once) and its times."""

    url: str
    subject_kind: str
    subject_id: str
    created_at: datetime
    rotated_at: datetime


class CalendarFeeds:
    """Issue, rotate and open the private calendar feeds of an organisation's coaches and clients."""

    def __init__(
        self,
        engine: sa.Engine,
        secret: str,
        clock: Clock,
        views: ClientViews,
        coaches: Coaches,
        reader: sa.Engine | None = None,
    ):
        self._engine = engine
        self._reader = reader or engine
        self._secret = secret.encode()
        self._clock = clock
        self._views = views
        self._coaches = coaches

    def _digest(self, token: str) -> str:
        return hmac.new(self._secret, token.encode(), hashlib.sha256).hexdigest()

    def issue(self, organisation_id: str, subject_kind: str, subject_id: str) -> IssuedFeed:
        """A new feed URL for the subject (a client or a coach the caller may reach); the old one dies."""
        if subject_kind not in SUBJECTS:
            raise ValueError(f"unknown calendar subject {subject_kind!r}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self._clock()
        key = {
            "organisation_id": organisation_id,
            "subject_kind": subject_kind,
            "subject_id": subject_id,
        }
        where = [calendar_feeds.c[name] == value for name, value in key.items()]
        with self._engine.begin() as conn:
            created_at = conn.execute(sa.select(calendar_feeds.c.created_at).where(*where)).scalar()
            if created_at is None:
                created_at = now
                conn.execute(
                    calendar_feeds.insert().values(
                        **key, token_hash=self._digest(token), created_at=now, rotated_at=now
                    )
                )
            else:
                conn.execute(
                    calendar_feeds.update()
                    .where(*where)
                    .values(token_hash=self._digest(token), rotated_at=now)
                )
        return IssuedFeed(
            FEED_PATH.format(token=token), subject_kind, subject_id, utc(created_at), utc(now)
        )

    def feed(self, token: str) -> bytes | None:
        """The .ics the token opens, rendered from the current views; None for an unknown or rotated token.

        A deactivated coach's feed opens nothing (as their keys stop working) until they are active again.
        """
        digest = self._digest(token)
        with self._reader.connect() as conn:
            row = conn.execute(
                sa.select(calendar_feeds).where(calendar_feeds.c.token_hash == digest)
            ).first()
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        self._views.refresh_all()  # a subscriber sees the plan as it stands, not as the follower left it
        stamp = self._clock()
        with self._reader.connect() as conn:
            if row.subject_kind == "client":
                view = queries.client_view(conn, row.organisation_id, row.subject_id)
                return None if view is None else rendering.client_calendar(view, stamp)
            views = queries.coach_client_views(conn, row.organisation_id, row.subject_id)
        coach = self._coaches.get(row.organisation_id, row.subject_id)
        return rendering.coach_calendar(coach.name, views, stamp) if coach.active else None
