"""History: a readable change description for every event, with old → new values."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from projection_story import START, Story, every_event_story

from domain import commands as c
from domain.values import TermsPatch
from projections.history import describe, labels


def test_every_event_type_gets_a_description():
    s = every_event_story()
    names = labels(s.view())
    lines: dict[str, str] = {}  # the first event of each type
    for event in s.events:
        lines.setdefault(event.type, describe(event, names))
    assert all(line and line != kind for kind, line in lines.items())
    assert lines["CoachReassigned"] == "reassigned coach: coach-1 → coach-2"
    assert lines["ClientDetailsChanged"] == (
        "changed client details: display name 'Ada L.'; review every 6 months"
    )
    assert lines["ClientArchived"] == "archived the client: on leave"
    assert lines["ClientReactivated"] == "reactivated the client: back"
    assert lines["DestinationRevised"] == "revised destination: horizon 2031-01-05 → 2032-01-05"
    assert lines["RequirementRevised"] == (
        "revised requirement 'Designs reliable systems': description 'Skill 0' → 'Designs reliable systems'"
    )
    assert lines["RequirementRetired"] == "retired requirement 'A certificate': no longer asked for"
    assert (
        lines["GoalReplaced"]
        == "replaced goal 'Complete a system design course' with 'Ship a design doc': sharper"
    )
    assert lines["ReviewDecisionRecorded"] == (
        "review decided replace for goal 'Complete a system design course': sharper"
    )
    assert (
        lines["GoalReopened"]
        == "reopened goal 'Complete a system design course' (life-cycle 2): one more module"
    )


def test_refinements_show_old_and_new_values():
    s = Story().enrol()
    gid = s.goal(confidence=6)
    s.run(
        c.RefineGoal(
            goal_id=gid, changes=TermsPatch(due_on=START.date() + timedelta(days=120), confidence=7)
        )
    )
    event = s.events[-1]
    assert describe(event, labels(s.view())) == (
        "refined goal 'Complete a system design course': due date 2026-04-15 → 2026-05-05; confidence 6 → 7"
    )
    assert (
        describe(event) == f"refined goal {gid}: due date 2026-04-15 → 2026-05-05; confidence 6 → 7"
    )


def test_goals_and_check_ins_read_naturally():
    s = Story().enrol()
    gid = s.goal()
    first = s.check_in(gid, 3, confidence=6, note="module 3 done")
    s.check_in(gid, 2, confidence=6, corrects=first)
    names = labels(s.view())
    set_line, check_in, correction = (describe(e, names) for e in s.events[-3:])
    assert set_line == (
        "set skill goal 'Complete a system design course': modules completed 0 → 10 modules, "
        "2026-01-05 to 2026-04-15, confidence 7, serves 'Skill 0'"
    )
    assert check_in == (
        "checked in on goal 'Complete a system design course': value 3, confidence 6; note: module 3 done"
    )
    assert correction.startswith(
        f"corrected check-in {first} on goal 'Complete a system design course': value 2"
    )


def test_unknown_types_are_named():
    event = Story().enrol().events[0]
    assert describe(replace(event, type="Renamed")) == "Renamed"


def test_a_pivot_reads_as_one_episode_from_start_to_completion():
    s = every_event_story()
    names = labels(s.view())
    pivot = [describe(e, names) for e in s.events if e.type.startswith("Pivot")][2:]
    assert pivot[0] == (
        "started a pivot from senior software engineer (software) to product manager (software), "
        "'Become a product manager.' (horizon 2032-01-05): 0 requirement(s) carry over, "
        "1 goal(s) no longer serve the destination, 1 new requirement(s) have no goal"
    )
    assert pivot[1] == "pivot decided keep for goal 'Ship a design doc'"
    assert pivot[2] == "pivot decided keep for requirement 'Designs reliable systems'"
    assert pivot[-1] == (
        "completed the pivot from senior software engineer (software) to product manager "
        "(software): a PM plan"
    )
    abandoned = next(e for e in s.events if e.type == "PivotAbandoned")
    assert describe(abandoned, names).startswith("abandoned the pivot from senior software")
    assert describe(abandoned).startswith("abandoned pivot p1: not yet")  # no view: named by id
