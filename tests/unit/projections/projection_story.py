"""A story for the projection tests: commands decided by the real domain, kept as stored events."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

from hypothesis import strategies as st

from careerplan.seed_template import seed_template_body
from domain import commands as c
from domain.decide import decide
from domain.events import EVENT_TYPES, Event, event_to_data
from domain.pivots import ProposedRequirement
from domain.plan import CareerPlan
from domain.templates import body_from_data, checked_body
from domain.values import Contribution, GoalTerms, Measure, TermsPatch
from eventstore import StoredEvent
from projections import client_view

START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)  # a Monday


def new_id() -> str:
    return str(uuid.uuid4())


def stored(event: Event, client_id: str, position: int, version: int, now: datetime) -> StoredEvent:
    """A domain event as the store would hand it to a projection."""
    name = type(event).__name__
    return StoredEvent(
        position=position,
        tx_id=position,
        stream_id=f"client-{client_id}",
        stream_version=version,
        event_id=uuid.uuid4(),
        type=name,
        schema_version=EVENT_TYPES[name].schema_version,
        data=event_to_data(event),
        metadata={},
        recorded_at=now,
    )


def stored_history(
    commands: list[c.Command], now: datetime, client_id: str = "client-1"
) -> list[StoredEvent]:
    """Every event the commands produce when decided one after another at `now`."""
    story = Story(client_id, now)
    for command in commands:
        story.run(command)
    return story.events


def fold(events: list[StoredEvent], client_id: str = "client-1") -> dict:
    view = client_view.new_view(client_id)
    for event in events:
        client_view.apply(view, event)
    return view


class Story:
    """One client's plan under test: `run` decides, applies and records stored events."""

    def __init__(self, client_id: str = "client-1", now: datetime = START):
        self.client_id, self.now = client_id, now
        self.plan = CareerPlan()
        self.events: list[StoredEvent] = []
        self.requirement_ids: list[str] = []

    @property
    def today(self) -> date:
        return self.now.date()

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)

    def run(self, command: c.Command) -> list[StoredEvent]:
        new = []
        for event in decide(self.plan, command, self.now):
            self.plan.apply(event)
            new.append(
                stored(
                    event,
                    self.client_id,
                    len(self.events) + len(new) + 1,
                    self.plan.version,
                    self.now,
                )
            )
        self.events.extend(new)
        return new

    def view(self) -> dict:
        return fold(self.events, self.client_id)

    def enrol(self, name: str = "Ada", requirements: int = 5, coach_id: str = "coach-1") -> Story:
        self.run(
            c.EnrolClient(
                client_id=self.client_id,
                organisation_id="org-1",
                coach_id=coach_id,
                display_name=name,
                timezone="Europe/London",
            )
        )
        self.run(
            c.SetDestination(
                statement="Become a senior software engineer in 5 years.",
                role="senior software engineer",
                industry="software",
                impact="reliable systems",
                horizon=self.today.replace(year=self.today.year + 5),
            )
        )
        for index in range(requirements):
            self.requirement_ids.append(new_id())
            self.run(
                c.AddRequirement(
                    requirement_id=self.requirement_ids[-1],
                    kind="skill",
                    description=f"Skill {index}",
                )
            )
        return self

    def terms(self, **overrides) -> GoalTerms:
        base = GoalTerms(
            statement="Complete a system design course",
            category="skill",
            measure=Measure.metric("modules completed", 0, 10, "modules"),
            confidence=7,
            serves=(Contribution(self.requirement_ids[0], "Builds technical depth."),),
            start_on=self.today,
            due_on=self.today + timedelta(days=100),
        )
        return replace(base, **overrides)

    def goal(self, goal_id: str | None = None, **overrides) -> str:
        goal_id = goal_id or new_id()
        self.run(c.SetGoal(goal_id=goal_id, terms=self.terms(**overrides)))
        return goal_id

    def check_in(self, goal_id: str, value: float | None, confidence: int = 7, **fields) -> str:
        check_in_id = fields.pop("check_in_id", None) or new_id()
        self.run(
            c.RecordCheckIn(
                goal_id=goal_id,
                check_in_id=check_in_id,
                value=value,
                confidence=confidence,
                **fields,
            )
        )
        return check_in_id

    def milestone(self, goal_id: str, complete: bool = False) -> str:
        milestone_id = new_id()
        self.run(
            c.AddMilestone(
                goal_id=goal_id,
                milestone_id=milestone_id,
                title="Write one page",
                estimate_minutes=45,
            )
        )
        if complete:
            self.run(c.CompleteMilestone(goal_id=goal_id, milestone_id=milestone_id))
        return milestone_id


def every_event_story() -> Story:
    """A story that records every type of career-plan event at least once."""
    s = Story().enrol()
    s.run(c.ReassignCoach(coach_id="coach-2"))
    s.run(c.ChangeClientDetails(display_name="Ada L.", review_cadence_months=6))
    s.run(c.ArchiveClient(reason="on leave"))
    s.run(c.ReactivateClient(reason="back"))
    s.run(c.ReviseDestination(horizon=s.today.replace(year=s.today.year + 6)))
    s.run(
        c.ReviseRequirement(
            requirement_id=s.requirement_ids[0], description="Designs reliable systems"
        )
    )
    s.run(c.AddRequirement(requirement_id="extra", kind="credential", description="A certificate"))
    s.run(c.RetireRequirement(requirement_id="extra", reason="no longer asked for"))
    first = s.goal("g1")
    s.run(
        c.RefineGoal(
            goal_id=first, changes=TermsPatch(confidence=8, due_on=s.today + timedelta(days=120))
        )
    )
    milestone = s.milestone(first, complete=True)
    s.run(c.ReopenMilestone(goal_id=first, milestone_id=milestone))
    s.run(c.RemoveMilestone(goal_id=first, milestone_id=milestone))
    check_in = s.check_in(first, 3)
    s.check_in(first, 2, corrects=check_in)
    s.run(c.PauseGoal(goal_id=first, reason="holiday"))
    s.run(c.ResumeGoal(goal_id=first))
    s.run(c.AchieveGoal(goal_id=first, note="done early"))
    s.run(c.ReopenGoal(goal_id=first, reason="one more module"))
    second = s.goal("g2", statement="Lead one feature")
    s.run(c.DropGoal(goal_id=second, reason="team changed"))
    s.run(c.StartReview(review_id="r1"))
    s.run(
        c.RecordReviewDecision(
            review_id="r1",
            goal_id=first,
            decision="replace",
            note="sharper",
            replacement=c.SetGoal(goal_id="g3", terms=s.terms(statement="Ship a design doc")),
        )
    )
    s.run(c.CompleteReview(review_id="r1", summary="one goal replaced"))
    s.run(c.ReviseDestination(role="product manager", pivot_id="p1"))
    s.run(c.AbandonPivot(pivot_id="p1", reason="not yet"))
    proposed = ProposedRequirement("n1", "skill", "Runs discovery interviews")
    destination = s.plan.destination
    s.run(
        c.StartPivot(
            pivot_id="p2",
            statement="Become a product manager.",
            role="product manager",
            industry=destination.industry,
            impact=destination.impact,
            horizon=destination.horizon,
            requirements=(proposed,),
        )
    )
    s.run(c.RecordPivotDecision(pivot_id="p2", goal_id="g3", decision="keep"))
    for requirement_id in s.plan.pivots["p2"].requirement_ids:
        s.run(c.RecordPivotDecision(pivot_id="p2", requirement_id=requirement_id, decision="keep"))
    s.run(c.CompletePivot(pivot_id="p2", summary="a PM plan"))
    s.advance(days=30)
    s.run(c.RecordAlignmentCheck(check_id="a1"))
    s.run(c.RecordNudge(day=s.now.date(), policy={"enabled": True}))
    s.run(
        c.ApplyTemplate(
            template_id="t1",
            template_version=1,
            template_name="Senior software engineer in 5 years",
            body=checked_body(body_from_data(seed_template_body())),
            requirement_keys=("design",),
            goal_keys=(),
        )
    )
    return s


OPS = (
    "goal",
    "binary_goal",
    "check_in",
    "check_in",
    "correct",
    "backdate",
    "milestone",
    "complete",
    "reopen_milestone",
    "remove_milestone",
    "pause",
    "resume",
    "achieve",
    "drop",
    "reopen",
    "refine",
    "replace",
    "review",
    "retire",
    "reassign",
    "align",
    "details",
    "archive",
    "reactivate",
)


def step(ops: tuple[str, ...] = OPS) -> st.SearchStrategy:
    """One step for `random_step`: (op, pick, value, confidence, days to advance first)."""
    return st.tuples(
        st.sampled_from(ops),
        st.integers(0, 99),
        st.integers(0, 12),
        st.integers(1, 10),
        st.integers(0, 9),
    )


STEP = step()


def _pick(items, index):
    items = list(items)
    return items[index % len(items)] if items else None


def random_step(s: Story, op: str, pick: int, value: int, confidence: int) -> None:
    """Run one drawn step on the story (the domain may refuse it): `pick` chooses the goal and more."""
    goals = list(s.plan.goals.values())
    pools = {
        "correct": [g for g in goals if g.is_open and g.check_ins],
        "complete": [
            g for g in goals if g.is_open and any(m.status == "open" for m in g.milestones.values())
        ],
        "reopen_milestone": [
            g
            for g in goals
            if g.is_open and any(m.status == "completed" for m in g.milestones.values())
        ],
        "remove_milestone": [g for g in goals if g.is_open and g.milestones],
        "resume": [g for g in goals if g.status == "paused"],
        "reopen": [g for g in goals if g.status in ("achieved", "dropped")],
    }
    goal = _pick(pools.get(op) or [g for g in goals if g.is_open] or goals, pick)
    gid = goal.goal_id if goal else "none"
    binary = goal is not None and goal.terms.measure.is_binary
    amount = value % 2 if binary else value
    active = [r.requirement_id for r in s.plan.active_requirements]
    serves = (Contribution(_pick(active, pick), "Builds depth."),)
    if op == "goal":
        s.goal(
            follows=(gid,) if goal and pick % 3 == 0 else (),
            serves=serves,
            start_on=s.today + timedelta(days=7 * (pick % 3)),
        )
    elif op == "binary_goal":
        s.goal(measure=Measure.done("certificate received"), serves=serves)
    elif op in ("check_in", "backdate"):
        at = s.now - timedelta(days=pick % 20) if op == "backdate" else None
        s.check_in(gid, amount, confidence, occurred_at=at)
    elif op == "correct" and goal and goal.check_ins:
        s.check_in(gid, amount, confidence, corrects=_pick(goal.check_ins, pick).check_in_id)
    elif op == "milestone":
        s.milestone(gid, complete=pick % 2 == 0)
    elif op in ("complete", "reopen_milestone", "remove_milestone") and goal and goal.milestones:
        command = {
            "complete": c.CompleteMilestone,
            "reopen_milestone": c.ReopenMilestone,
            "remove_milestone": c.RemoveMilestone,
        }[op]
        wanted = {"complete": "open", "reopen_milestone": "completed"}.get(op)
        ids = [
            mid
            for mid, m in goal.milestones.items()
            if m.status == wanted or (not wanted and m.status != "removed")
        ]
        if ids:
            s.run(command(goal_id=gid, milestone_id=_pick(ids, pick)))
    elif op in ("pause", "resume", "achieve"):
        s.run(
            {"pause": c.PauseGoal, "resume": c.ResumeGoal, "achieve": c.AchieveGoal}[op](
                goal_id=gid
            )
        )
    elif op == "drop":
        s.run(c.DropGoal(goal_id=gid, reason="no longer relevant"))
    elif op == "reopen":
        s.run(c.ReopenGoal(goal_id=gid, reason="again"))
    elif op == "refine":
        s.run(
            c.RefineGoal(
                goal_id=gid,
                changes=TermsPatch(
                    confidence=confidence,
                    due_on=s.today + timedelta(days=30 + value),
                    measure=None
                    if binary or value % 2
                    else Measure.metric("modules completed", value % 3, 20, "m")
                    if value % 4
                    else Measure.metric("modules left", 12, value % 3, "m"),
                ),
            )
        )
    elif op == "replace":
        s.run(
            c.ReplaceGoal(
                goal_id=gid, replacement=c.SetGoal(goal_id=new_id(), terms=s.terms(serves=serves))
            )
        )
    elif op == "review":
        s.run(c.StartReview(review_id=new_id()))
        review = s.plan.open_review
        for goal_id in review.goal_ids:
            s.run(
                c.RecordReviewDecision(
                    review_id=review.review_id,
                    goal_id=goal_id,
                    decision="achieved" if value % 4 == 0 else "keep",
                )
            )
        s.run(c.CompleteReview(review_id=review.review_id))
    elif op == "retire" and len(active) > 3:
        s.run(c.RetireRequirement(requirement_id=_pick(s.requirement_ids, pick), reason="changed"))
    elif op == "reassign":
        s.run(c.ReassignCoach(coach_id=f"coach-{pick}"))
    elif op == "align":
        s.run(c.RecordAlignmentCheck(check_id=new_id(), policy={"stall_days": 1 + value}))
    elif op == "details":
        zone = ("Europe/London", "Pacific/Auckland", "America/New_York")[pick % 3]
        s.run(c.ChangeClientDetails(timezone=zone, review_cadence_months=1 + value % 12))
    elif op == "archive":
        s.run(c.ArchiveClient(reason="on leave" if pick % 2 else ""))
    elif op == "reactivate":
        s.run(c.ReactivateClient())
