"""The calendar feed as RFC 5545 text: read back by `icalendar` and by the independent `vobject`."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import vobject
from icalendar import Calendar
from projection_story import START, Story

from domain import commands as c
from domain.dates import add_months
from services.calendars.rendering import client_calendar, coach_calendar, next_review_on

STAMP = datetime(2026, 2, 1, 12, 0, tzinfo=timezone.utc)


def story() -> tuple[Story, dict]:
    s = Story().enrol("Ada")
    ids = {
        "course": s.goal(statement="Complete a system design course"),
        "talk": s.goal(statement="Give one internal talk", due_on=s.today + timedelta(days=60)),
        "done": s.goal(statement="Read one book", due_on=s.today + timedelta(days=30)),
    }
    s.run(c.AchieveGoal(goal_id=ids["done"], note="read"))
    s.run(c.PauseGoal(goal_id=ids["talk"], reason="holiday"))
    s.advance(days=2)
    ids["milestone"] = s.milestone(ids["course"], complete=True)
    ids["open_milestone"] = s.milestone(ids["course"])
    return s, ids


def by_uid_icalendar(text: bytes) -> dict:
    parsed = Calendar.from_ical(text)
    return {str(e["UID"]): e for e in parsed.walk("VEVENT")}


def by_uid_vobject(text: bytes) -> dict:
    parsed = vobject.readOne(text.decode())
    return {e.uid.value: e for e in parsed.vevent_list}


def test_a_client_feed_holds_open_goals_done_milestones_and_the_next_review_for_both_parsers():
    s, ids = story()
    text = client_calendar(s.view(), STAMP)
    events = by_uid_icalendar(text)
    course, talk = events[f"{ids['course']}@careerplan"], events[f"{ids['talk']}@careerplan"]
    assert course.decoded("DTSTART") == START.date() + timedelta(days=100)
    assert course.decoded("DTEND") == START.date() + timedelta(days=101)
    assert str(course["SUMMARY"]) == "Goal due: Complete a system design course"
    assert "Skill 0: Builds technical depth." in str(course["DESCRIPTION"])
    assert str(talk["SUMMARY"]) == "Goal due: Give one internal talk (paused)"
    assert f"{ids['done']}@careerplan" not in events  # achieved: no longer due
    milestone = events[f"{ids['milestone']}@careerplan"]
    assert milestone.decoded("DTSTART") == START.date() + timedelta(days=2)
    assert f"{ids['open_milestone']}@careerplan" not in events  # milestones carry no due date
    review = events["review-client-1@careerplan"]
    assert review.decoded("DTSTART") == date(2026, 4, 5)  # enrolled 2026-01-05, every 3 months
    assert all(e.decoded("DTSTAMP") == STAMP for e in events.values())
    parsed = Calendar.from_ical(text)
    assert str(parsed["X-WR-CALNAME"]) == "Career plan: Ada"
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in text and b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text
    assert "careerplan" in str(parsed["PRODID"]) and str(parsed["VERSION"]) == "2.0"

    second = by_uid_vobject(text)
    assert set(second) == set(events)
    assert second[f"{ids['course']}@careerplan"].dtstart.value == START.date() + timedelta(days=100)
    assert second["review-client-1@careerplan"].dtstart.value == date(2026, 4, 5)
    assert second["review-client-1@careerplan"].summary.value == "Quarterly review due"


def test_the_next_review_is_a_cadence_after_the_last_completed_one_and_absent_while_one_is_open():
    s, _ = story()
    s.advance(days=50)
    s.run(c.StartReview(review_id="r1"))
    assert next_review_on(s.view()) is None
    assert "review-client-1@careerplan" not in by_uid_icalendar(client_calendar(s.view(), STAMP))
    view = s.view()
    for goal_id in view["reviews"]["open"]["goal_ids"]:
        s.run(c.RecordReviewDecision(review_id="r1", goal_id=goal_id, decision="keep"))
    s.run(c.CompleteReview(review_id="r1"))
    reviewed_on = s.today
    events = by_uid_icalendar(client_calendar(s.view(), STAMP))
    assert events["review-client-1@careerplan"].decoded("DTSTART") == add_months(reviewed_on, 3)


def test_a_coach_feed_prefixes_each_entry_with_the_client_and_keeps_the_uids():
    first, ids = story()
    other = Story("client-2").enrol("Bo")
    goal = other.goal(statement="Mentor a junior engineer")
    text = coach_calendar("Maria", [first.view(), other.view()], STAMP)
    events = by_uid_icalendar(text)
    assert str(events[f"{goal}@careerplan"]["SUMMARY"]) == "Bo: Goal due: Mentor a junior engineer"
    assert str(events[f"{ids['course']}@careerplan"]["SUMMARY"]).startswith("Ada: Goal due: ")
    assert {"review-client-1@careerplan", "review-client-2@careerplan"} <= set(events)
    assert str(Calendar.from_ical(text)["X-WR-CALNAME"]) == "Clients of Maria"
    assert set(by_uid_vobject(text)) == set(events)
