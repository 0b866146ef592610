"""The client view: one handler per event type, folded from events the real domain decided."""

from __future__ import annotations

import json
from datetime import timedelta

from projection_story import START, Story, new_id

from domain import commands as c
from domain.values import Measure, TermsPatch
from eventstore import StoredEvent
from projections import client_view


def story() -> Story:
    return Story().enrol()


def test_enrolment_destination_and_requirements():
    s = story()
    s.run(c.ReassignCoach(coach_id="coach-2"))
    s.run(c.ReviseDestination(statement="Become a staff engineer in 6 years."))
    rid = s.requirement_ids[0]
    s.run(c.ReviseRequirement(requirement_id=rid, kind="experience", description="Led a migration"))
    s.run(c.RetireRequirement(requirement_id=s.requirement_ids[1], reason="not needed"))
    view = s.view()
    assert view["client"] == {
        "organisation_id": "org-1",
        "coach_id": "coach-2",
        "display_name": "Ada",
        "timezone": "Europe/London",
        "review_cadence_months": 3,
        "enrolled_at": START.isoformat(),
        "status": "active",
        "archived_at": None,
    }
    assert view["destination"]["statement"] == "Become a staff engineer in 6 years."
    assert view["destination"]["set_at"] == START.isoformat() == view["destination"]["revised_at"]
    assert view["requirements"][rid]["kind"] == "experience"
    assert view["requirements"][rid]["description"] == "Led a migration"
    retired = view["requirements"][s.requirement_ids[1]]
    assert (retired["status"], retired["retire_reason"]) == ("retired", "not needed")
    assert view["version"] == len(s.events)


def test_goal_set_keeps_terms_and_starts_active():
    s = story()
    first = s.goal()
    second = s.goal(
        follows=(first,),
        confidence=5,
        start_on=s.today + timedelta(days=30),
        due_on=s.today + timedelta(days=90),
    )
    goal = s.view()["goals"][second]
    assert goal["status"] == "active" and goal["lifecycle"] == 1 and goal["follows"] == [first]
    assert goal["measure"] == {
        "name": "modules completed",
        "baseline": 0,
        "target": 10,
        "unit": "modules",
    }
    assert goal["current_value"] == 0 and goal["latest_confidence"] == 5
    assert goal["serves"] == [
        {"requirement_id": s.requirement_ids[0], "how_it_leads": "Builds technical depth."}
    ]
    assert goal["start_on"] == (s.today + timedelta(days=30)).isoformat()


def test_refinement_patches_terms_and_follows_baseline_and_confidence_before_check_ins():
    s = story()
    gid = s.goal()
    s.run(
        c.RefineGoal(
            goal_id=gid,
            changes=TermsPatch(
                confidence=4,
                due_on=s.today + timedelta(days=120),
                measure=Measure.metric("modules completed", 2, 12, "m"),
            ),
        )
    )
    goal = s.view()["goals"][gid]
    assert goal["confidence"] == goal["latest_confidence"] == 4
    assert (
        goal["current_value"] == 2 and goal["due_on"] == (s.today + timedelta(days=120)).isoformat()
    )


def test_pause_resume_keep_intervals_and_closing_ends_a_pause():
    s = story()
    gid = s.goal()
    s.run(c.PauseGoal(goal_id=gid, reason="holiday"))
    assert s.view()["goals"][gid]["status"] == "paused"
    s.advance(days=10)
    s.run(c.ResumeGoal(goal_id=gid))
    s.run(c.PauseGoal(goal_id=gid))
    s.advance(days=2)
    s.run(c.DropGoal(goal_id=gid, reason="changed plans"))
    goal = s.view()["goals"][gid]
    day10, day12 = (
        (START + timedelta(days=10)).isoformat(),
        (START + timedelta(days=12)).isoformat(),
    )
    assert goal["pauses"] == [[START.isoformat(), day10], [day10, day12]]
    assert (goal["status"], goal["closed_at"], goal["close_note"]) == (
        "dropped",
        day12,
        "changed plans",
    )


def test_achieve_counts_a_win_and_reopen_starts_a_new_lifecycle():
    s = story()
    gid = s.goal()
    s.run(c.AchieveGoal(goal_id=gid, note="passed"))
    view = s.view()
    assert view["goals"][gid]["status"] == "achieved"
    assert view["wins"] == {"2026-W02": {"milestones": 0, "goals": 1, "check_ins": 0}}
    s.advance(days=1)
    s.run(c.ReopenGoal(goal_id=gid, reason="one more module"))
    goal = s.view()["goals"][gid]
    assert (goal["status"], goal["lifecycle"], goal["closed_at"]) == ("active", 2, None)
    assert goal["activated_at"] == s.now.isoformat()
    assert goal["past_lifecycles"] == [
        {"lifecycle": 1, "outcome": "achieved", "closed_at": START.isoformat(), "note": "passed"}
    ]


def test_replacement_links_both_goals():
    s = story()
    old = s.goal()
    new = new_id()
    s.run(
        c.ReplaceGoal(
            goal_id=old,
            replacement=c.SetGoal(goal_id=new, terms=s.terms(statement="Better")),
            reason="sharper",
        )
    )
    goals = s.view()["goals"]
    assert goals[old]["status"] == "replaced" and goals[old]["replaced_by"] == new
    assert goals[new]["replaces"] == old and goals[old]["close_note"] == "sharper"


def test_milestones_complete_reopen_and_remove():
    s = story()
    gid = s.goal()
    done = s.milestone(gid, complete=True)
    other = s.milestone(gid)
    view = s.view()
    assert view["goals"][gid]["milestones"][done]["status"] == "completed"
    assert view["wins"]["2026-W02"]["milestones"] == 1 and view["last_win_at"] == START.isoformat()
    s.advance(days=1)
    s.run(c.ReopenMilestone(goal_id=gid, milestone_id=done))
    s.run(c.RemoveMilestone(goal_id=gid, milestone_id=other))
    view = s.view()
    assert view["goals"][gid]["milestones"][done] == {
        "title": "Write one page",
        "estimate_minutes": 45,
        "status": "open",
        "completed_at": None,
    }
    assert other not in view["goals"][gid]["milestones"]
    assert view["wins"] == {} and view["win_days"] == {}
    assert (
        view["last_win_at"] is None and view["goals"][gid]["last_win_at"] is None
    )  # the win was taken back


def test_a_removed_milestone_s_win_still_counts_after_another_is_reopened():
    s = story()
    gid = s.goal()
    kept = s.milestone(gid, complete=True)
    s.run(c.RemoveMilestone(goal_id=gid, milestone_id=kept))
    s.advance(days=1)
    taken_back = s.milestone(gid, complete=True)
    s.advance(days=1)
    s.run(c.ReopenMilestone(goal_id=gid, milestone_id=taken_back))
    assert (
        s.view()["goals"][gid]["last_win_at"]
        == START.isoformat()
        == s.plan.goals[gid].last_win_at.isoformat()
    )


def test_a_new_measure_judges_the_check_ins_again():
    s = story()
    gid = s.goal()
    s.check_in(gid, 3)
    assert s.view()["wins"]["2026-W02"]["check_ins"] == 1
    s.run(
        c.RefineGoal(
            goal_id=gid, changes=TermsPatch(measure=Measure.metric("modules left", 2, 0, "modules"))
        )
    )
    view = s.view()
    assert (
        view["wins"] == {}
        and view["goals"][gid]["last_win_at"] is None is s.plan.goals[gid].last_win_at
    )


def test_check_ins_forward_backward_and_corrections():
    s = story()
    gid = s.goal()
    first = s.check_in(gid, 3, confidence=6)
    s.advance(days=7)
    s.check_in(gid, 2, confidence=5)  # backward: no win
    s.advance(days=7)
    s.check_in(gid, 4, confidence=8)  # forward from 2
    goal = s.view()["goals"][gid]
    assert goal["current_value"] == 4 and goal["latest_confidence"] == 8
    assert s.view()["wins"] == {
        "2026-W02": {"milestones": 0, "goals": 0, "check_ins": 1},
        "2026-W04": {"milestones": 0, "goals": 0, "check_ins": 1},
    }
    s.check_in(
        gid, 1, confidence=4, corrects=first
    )  # first was 1, not 3: the second (2) is forward now
    view = s.view()
    assert view["goals"][gid]["current_value"] == 4
    assert {week: counts["check_ins"] for week, counts in view["wins"].items()} == {
        "2026-W02": 1,
        "2026-W03": 1,
        "2026-W04": 1,
    }
    assert s.plan.goals[gid].current_value == view["goals"][gid]["current_value"]


def test_backdated_check_in_and_correcting_the_latest():
    s = story()
    gid = s.goal()
    s.advance(days=10)
    latest = s.check_in(gid, 5, confidence=7)
    s.check_in(gid, 2, confidence=3, occurred_at=START + timedelta(days=1))
    s.check_in(gid, 6, confidence=9, corrects=latest)
    goal, plan_goal = s.view()["goals"][gid], s.plan.goals[gid]
    assert (goal["current_value"], goal["latest_confidence"]) == (6, 9)
    assert (plan_goal.current_value, plan_goal.current_confidence) == (6, 9)
    assert sorted(s.view()["win_days"]) == ["2026-01-06", "2026-01-15"]


def test_done_not_done_goal_wins_when_done():
    s = story()
    gid = s.goal(measure=Measure.done("certificate received"))
    s.check_in(gid, 0)
    s.check_in(gid, None)
    s.check_in(gid, 1)
    view = s.view()
    assert view["goals"][gid]["current_value"] == 1
    assert view["wins"]["2026-W02"]["check_ins"] == 1


def test_reviews_open_decide_and_complete():
    s = story()
    gid = s.goal()
    s.run(c.StartReview(review_id="r1"))
    view = s.view()
    assert view["reviews"]["open"] == {
        "review_id": "r1",
        "started_at": START.isoformat(),
        "goal_ids": [gid],
        "decisions": {},
    }
    s.run(c.RecordReviewDecision(review_id="r1", goal_id=gid, decision="keep"))
    assert s.view()["reviews"]["open"]["decisions"] == {gid: "keep"}
    s.run(c.CompleteReview(review_id="r1", summary="steady"))
    reviews = s.view()["reviews"]
    assert reviews == {
        "open": None,
        "last_completed_at": START.isoformat(),
        "last_completed_id": "r1",
        "last_summary": "steady",
        "completed": 1,
    }


def test_unknown_event_types_are_ignored():
    s = story()
    view = s.view()
    before = json.loads(json.dumps(view))
    client_view.apply(
        view,
        StoredEvent(
            position=99,
            tx_id=99,
            stream_id="client-client-1",
            stream_version=99,
            event_id=new_id(),
            type="SomethingNew",
            schema_version=1,
            data={"x": 1},
            metadata={},
            recorded_at=START,
        ),
    )
    assert {**view, "version": before["version"]} == before


def test_caseload_row_is_flat_and_json_safe():
    s = story()
    gid = s.goal()
    paused = s.goal()
    s.check_in(gid, 2, confidence=4)
    s.run(c.PauseGoal(goal_id=paused))
    row = client_view.caseload_row(s.view())
    assert json.loads(json.dumps(row)) == row
    assert {
        k: row[k]
        for k in (
            "client_id",
            "organisation_id",
            "coach_id",
            "display_name",
            "active_goals",
            "paused_goals",
            "recent_confidence",
            "confidence_delta",
        )
    } == {
        "client_id": "client-1",
        "organisation_id": "org-1",
        "coach_id": "coach-1",
        "display_name": "Ada",
        "active_goals": 1,
        "paused_goals": 1,
        "recent_confidence": [4],
        "confidence_delta": -3.0,
    }
    assert [g["paused"] for g in row["goals"]] == [False, True]


def test_every_event_type_has_a_handler_and_folds():
    from projection_story import every_event_story

    from domain.events import EVENT_TYPES

    s = every_event_story()
    assert {event.type for event in s.events} == set(EVENT_TYPES) == set(client_view.HANDLERS)
    goals = s.view()["goals"]
    assert {gid: g["status"] for gid, g in goals.items()} == {
        "g1": "replaced",
        "g2": "dropped",
        "g3": "active",
    }
    assert goals["g1"]["replaced_by"] == "g3" and goals["g3"]["replaces"] == "g1"
    assert goals["g1"]["current_value"] == 2


def test_check_ins_at_the_same_moment_keep_their_recorded_order_whatever_the_key_order():
    s = story()
    gid = s.goal()
    s.advance(days=2)
    s.check_in(gid, 3)
    s.check_in(gid, 5)
    view = json.loads(json.dumps(s.view()), object_pairs_hook=lambda pairs: dict(reversed(pairs)))
    for event in s.run(
        c.RecordCheckIn(
            goal_id=gid,
            check_in_id=new_id(),
            value=1,
            confidence=7,
            occurred_at=START + timedelta(days=1),
        )
    ):
        client_view.apply(view, event)
    assert view["goals"][gid]["current_value"] == s.plan.goals[gid].current_value == 5
