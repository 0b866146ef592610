"""A career plan as an iCalendar feed (RFC 5545): goal due dates, completed milestones, the next review.

Every entry is an all-day VEVENT with a stable UID (`<goal_id>@careerplan`,
`<milestone_id>@careerplan`, `review-<client_id>@careerplan`), so a calendar
app that polls the feed moves an entry whose date changed instead of adding a
second one. Built from client views only (never from events):

- each open goal (active or paused) on its due date, summary naming the goal,
  description saying how it leads (the requirements it serves);
- each completed micro-milestone on the client-local day it was completed:
  milestones carry no due date, so the feed shows the dated wins instead, and
  open milestones are left out;
- the next quarterly review, on the day the caseload and digests say it falls
  due (`projections.caseload.review_due_on`), while no review is open.

A coach's feed holds the same for each of their clients, each summary
prefixed with the client's display name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, vDuration

from domain.dates import local_today
from projections.caseload import review_due_on
from projections.client_view import OPEN, by_start

PRODID = "-//careerplan//calendar feed 1.0//EN"
UID_DOMAIN = "careerplan"
REFRESH = timedelta(hours=1)  # how often a subscriber should poll (a hint Apple and Outlook read)


def next_review_on(view: dict) -> date | None:
    """The day the client's next review falls due (the caseload's rule); None while one is open."""
    client, reviews = view["client"], view["reviews"]
    if reviews["open"] is not None:
        return None
    return review_due_on(
        {
            "last_review_completed_at": reviews["last_completed_at"],
            "enrolled_at": client["enrolled_at"],
            "timezone": client["timezone"],
            "review_cadence_months": client["review_cadence_months"],
        }
    )


def _how_it_leads(view: dict, goal: dict) -> str:
    lines = []
    for contribution in goal.get("serves") or ():
        requirement = view["requirements"].get(contribution["requirement_id"]) or {}
        served = requirement.get("description") or "a requirement"
        lines.append(f"- {served}: {contribution['how_it_leads']}")
    return "How it leads to the destination:\n" + "\n".join(lines) if lines else ""


def _entry(uid: str, day: date, summary: str, description: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a deadline, not a busy slot
    return event


def client_events(view: dict, stamp: datetime, prefix: str = "") -> list[Event]:
    """The calendar entries of one client's plan; each summary starts with `prefix`."""
    events = []
    for goal in sorted(view["goals"].values(), key=by_start):
        if goal["status"] in OPEN:
            summary = f"{prefix}Goal due: {goal['statement']}"
            if goal["status"] == "paused":
                summary += " (paused)"
            events.append(
                _entry(
                    goal["goal_id"],
                    date.fromisoformat(goal["due_on"]),
                    summary,
                    _how_it_leads(view, goal),
                    stamp,
                )
            )
        for milestone_id, milestone in sorted(goal["milestones"].items()):
            if milestone["status"] != "completed" or not milestone["completed_at"]:
                continue
            done_on = local_today(
                datetime.fromisoformat(milestone["completed_at"]), view["client"]["timezone"]
            )
            events.append(
                _entry(
                    milestone_id,
                    done_on,
                    f"{prefix}Milestone done: {milestone['title']}",
                    f"A step toward the goal: {goal['statement']}",
                    stamp,
                )
            )
    review_on = next_review_on(view)
    if review_on is not None:
        months = view["client"]["review_cadence_months"]
        events.append(
            _entry(
                f"review-{view['client_id']}",
                review_on,
                f"{prefix}Quarterly review due",
                f"Review every active goal: keep, tweak or replace (every {months} months).",
                stamp,
            )
        )
    return events


def calendar(name: str, events: Iterable[Event]) -> bytes:
    """A whole VCALENDAR named `name` (what Google and Apple show) holding `events`, as bytes."""
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    feed.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", vDuration(REFRESH))  # an X- property: say it is a duration
    for event in events:
        feed.add_component(event)
    return feed.to_ical()


def client_calendar(view: dict, stamp: datetime) -> bytes:
    """A client's own feed."""
    name = view["client"]["display_name"] or "client"
    return calendar(f"Career plan: {name}", client_events(view, stamp))


def coach_calendar(coach_name: str, views: Iterable[dict], stamp: datetime) -> bytes:
    """A coach's feed: every given client's entries, each prefixed with the client's display name."""
    events = []
    for view in sorted(views, key=lambda v: (v["client"]["display_name"] or "", v["client_id"])):
        prefix = f"{view['client']['display_name'] or 'client'}: "
        events.extend(client_events(view, stamp, prefix))
    return calendar(f"Clients of {coach_name}", events)
