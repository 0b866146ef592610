"""A projection that turns plan events into webhook notices (goal set, check-in recorded, …), exactly once.

Like `finding_notices`, it follows the feed: the deliveries and the checkpoint
commit together, so each event notifies each subscribed, enabled endpoint
once, however often the runner restarts; and a replay of the feed finds each
notice already queued (one per endpoint and event id). An endpoint hears only
of events recorded after it was registered. The payload holds ids and times,
never the client's personal text (a goal's statement, a note): fetch the goal
over the API; so forgetting a client leaves nothing of theirs in the log.
`ClientArchived` is mapped by name for the client lifecycle's event. The one
exception is `client.nudge_due`: it carries what to say (the goal's statement
and the milestone's title) so the firm's messaging can send it as it is;
forgetting the client strips that text from the log (`services.privacy.erasure`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from eventstore import StoredEvent
from eventstore.schema import utc
from eventstore.streams import client_of
from projections.finding_notices import Notice, Notify

# The domain event → (its notice, the ids of its data the notice carries).
NOTICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "GoalSet": ("goal.set", ("goal_id", "replaces")),
    "GoalAchieved": ("goal.achieved", ("goal_id",)),
    "GoalDropped": ("goal.dropped", ("goal_id",)),
    "GoalReplaced": ("goal.replaced", ("goal_id", "replaced_by")),
    "CheckInRecorded": ("check_in.recorded", ("goal_id", "check_in_id", "corrects")),
    "ReviewCompleted": ("review.completed", ("review_id",)),
    "ClientArchived": ("client.archived", ()),
    "NudgeDue": (
        "client.nudge_due",
        (
            "nudge_id",
            "day",
            "quiet_days",
            "goal_id",
            "goal_statement",
            "milestone_id",
            "milestone_title",
        ),
    ),
}


def notice_payload(event: StoredEvent, ids: Sequence[str]) -> dict:
    """The `data` of an event's notice: which event, whose, when, and the ids it names."""
    return {
        "event_id": str(event.event_id),
        "event": event.type,
        "client_id": client_of(event.stream_id),
        "occurred_at": event.data.get("occurred_at"),
        "recorded_at": utc(event.recorded_at).isoformat(),
        **{name: event.data.get(name) for name in ids},
    }


class PlanNotices:
    name = "plan_notices"
    read_model = False
    rebuildable = False  # deliveries are history: a rebuild would notify again
    event_types = frozenset(NOTICES)

    def __init__(self, notify: Notify):
        self._notify = notify

    def apply(self, conn: sa.Connection, events: Sequence[StoredEvent]) -> None:
        self._notify(
            conn,
            [
                Notice(
                    event.metadata["organisation_id"],
                    NOTICES[event.type][0],
                    str(event.event_id),
                    notice_payload(event, NOTICES[event.type][1]),
                    recorded_at=event.recorded_at,
                )
                for event in events
                if event.type in NOTICES
            ],
        )

    def clear(self, conn: sa.Connection) -> None:
        raise NotImplementedError("plan notices are not rebuilt; they were delivered")
