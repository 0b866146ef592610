"""Property test: random command sequences keep the plan's invariants and replay exactly from stored data.

A hypothesis state machine issues commands drawn from the plan's current
state (mostly valid, some not); a refused command changes nothing. After each
step the stored form of every event (JSON, type name, schema version) must
replay to exactly the plan held in memory, and the invariants must hold.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain import commands as c
from domain.alignment import AlignmentPolicy
from domain.alignment_policy import RULES, sort_key
from domain.decide import decide
from domain.errors import DomainError
from domain.events import GoalAchieved, GoalDropped, GoalReopened, event_from_data, event_to_data
from domain.pivots import ProposedRequirement
from domain.plan import CareerPlan
from domain.progress import MILESTONE_LIMIT_MINUTES
from domain.upcasters import upcast
from domain.values import (
    GOAL_CATEGORIES,
    PIVOT_DECISIONS,
    REQUIREMENT_KINDS,
    Contribution,
    GoalTerms,
    Measure,
    TermsPatch,
)

START = datetime(2026, 1, 15, 9, 0, tzinfo=timezone.utc)
STATEMENTS = [
    "Lead one feature end-to-end.",
    "Ship a side project",
    "Mentor a junior. Document practices.",
    "A. B. C.",
]
TEXT = st.sampled_from(["Pick a course", "Write the design doc", " ", "Message one mentor"])
POLICIES = [
    AlignmentPolicy(),
    {"stall_days": 7, "max_active_goals": 2, "pace_at_risk_gap": 0.1},
    {"stall_days": 0},
    AlignmentPolicy(max_goal_months=6, disabled_rules=("review_due",)),
]
TIMED_RULES = {"goal_overdue", "goal_stalled", "pace_at_risk", "no_open_milestone"}


class CareerPlanMachine(RuleBasedStateMachine):
    """Issues commands against one plan, keeping every event it was given back."""

    def __init__(self) -> None:
        super().__init__()
        self.plan = CareerPlan()
        self.events: list = []
        self.now = START
        self.ids = 0

    def new_id(self) -> str:
        self.ids += 1
        return str(uuid.UUID(int=self.ids))

    def attempt(self, command: c.Command) -> None:
        before = copy.deepcopy(self.plan)
        try:
            events = decide(self.plan, command, self.now)
        except DomainError:
            events = []
        assert self.plan == before, "decide must not change the plan it is given"
        for event in events:
            self.plan.apply(event)
        self.events.extend(events)

    def pick(self, data, ids, fresh_in_10: int = 1) -> str:
        """Mostly an existing id, sometimes (`fresh_in_10` times in 10) one the plan has never seen."""
        ids = list(ids)
        if not ids or data.draw(st.integers(0, 9)) >= 10 - fresh_in_10:
            return self.new_id()
        return data.draw(st.sampled_from(ids))

    def terms(self, data) -> GoalTerms:
        requirements = list(self.plan.requirements) or [self.new_id()]
        if data.draw(st.booleans()):
            baseline, target = data.draw(st.integers(0, 5)), data.draw(st.integers(0, 20))
            measure = Measure.metric("score", baseline, target, "points")
        else:
            measure = Measure.done("done")
        start = self.now.date() + timedelta(days=data.draw(st.integers(-60, 400)))
        served = data.draw(
            st.lists(st.sampled_from(requirements), min_size=1, max_size=2, unique=True)
        )
        goals = list(self.plan.goals)
        follows = (
            data.draw(st.lists(st.sampled_from(goals), max_size=2, unique=True)) if goals else []
        )
        return GoalTerms(
            statement=data.draw(st.sampled_from(STATEMENTS)),
            category=data.draw(st.sampled_from(GOAL_CATEGORIES)),
            measure=measure,
            confidence=data.draw(st.sampled_from([7, 1, 10, 0])),
            serves=tuple(Contribution(r, "It leads there.") for r in served),
            start_on=start,
            due_on=start + timedelta(days=data.draw(st.integers(1, 760))),
            follows=tuple(follows),
        )

    def patch(self, data) -> TermsPatch:
        full = self.terms(data).as_dict()
        chosen = data.draw(
            st.lists(st.sampled_from(sorted(full)), min_size=1, max_size=3, unique=True)
        )
        return TermsPatch(**{name: full[name] for name in chosen})

    @initialize(
        requirements=st.sampled_from([5, 1, 10, 0]), goals=st.integers(1, 4), data=st.data()
    )
    def enrol(self, requirements, goals, data) -> None:
        """Most plans start enrolled, with a destination, requirements and goals, so every rule is reached."""
        self.attempt(
            c.EnrolClient(
                client_id=self.new_id(),
                organisation_id="org",
                coach_id="coach",
                display_name="Ada",
                timezone="Pacific/Auckland",
            )
        )
        self.attempt(
            c.SetDestination(
                statement=STATEMENTS[0],
                role="engineer",
                industry="software",
                impact="x",
                horizon=self.now.date() + timedelta(days=1500),
            )
        )
        for _ in range(requirements):
            self.attempt(
                c.AddRequirement(
                    requirement_id=self.new_id(), kind="skill", description="Designs systems"
                )
            )
        for _ in range(goals):
            self.set_goal(data)

    @rule(hours=st.integers(0, 24 * 45), microseconds=st.integers(0, 10**6))
    def time_passes(self, hours, microseconds) -> None:
        self.now += timedelta(hours=hours, microseconds=microseconds)

    @rule(data=st.data())
    def client_record(self, data) -> None:
        """Change details, archive or reactivate (an archived plan refuses every other rule's command)."""
        choice = data.draw(st.sampled_from(["details", "archive", "reactivate", "reactivate"]))
        if choice == "details":
            self.attempt(
                c.ChangeClientDetails(
                    display_name=data.draw(st.sampled_from([None, "Ada", "Ada L.", " "])),
                    timezone=data.draw(st.sampled_from([None, "Pacific/Auckland", "UTC"])),
                    review_cadence_months=data.draw(st.sampled_from([None, 3, 6, 13])),
                )
            )
        elif choice == "archive":
            self.attempt(c.ArchiveClient(reason=data.draw(TEXT)))
        else:
            self.attempt(c.ReactivateClient(reason=data.draw(TEXT)))

    @rule(data=st.data())
    def destination(self, data) -> None:
        fields = dict(
            statement=data.draw(st.sampled_from(STATEMENTS)),
            role="engineer",
            industry="software",
            impact="impact",
            horizon=self.now.date() + timedelta(days=data.draw(st.integers(-5, 3000))),
        )
        set_again = data.draw(st.integers(0, 5)) == 5
        self.attempt(c.SetDestination(**fields) if set_again else c.ReviseDestination(**fields))

    @rule(data=st.data())
    def requirement(self, data) -> None:
        requirement_id = self.pick(data, self.plan.requirements, fresh_in_10=5)
        kind = data.draw(st.sampled_from(REQUIREMENT_KINDS + ("hobby",)))
        action = data.draw(st.sampled_from(["add", "retire", "revise"]))
        self.attempt(
            {
                "add": c.AddRequirement(
                    requirement_id=requirement_id, kind=kind, description="Knows the craft"
                ),
                "revise": c.ReviseRequirement(requirement_id=requirement_id, kind=kind),
                "retire": c.RetireRequirement(requirement_id=requirement_id, reason="moved on"),
            }[action]
        )

    @rule(data=st.data())
    def set_goal(self, data) -> None:
        self.attempt(c.SetGoal(goal_id=self.new_id(), terms=self.terms(data)))

    @rule(data=st.data())
    def change_goal(self, data) -> None:
        goal_id = self.pick(data, self.plan.goals)
        action = data.draw(
            st.sampled_from(
                ["refine", "follow", "pause", "resume", "achieve", "drop", "reopen", "replace"]
            )
        )
        other = self.pick(data, self.plan.goals)
        self.attempt(
            {
                "refine": lambda: c.RefineGoal(goal_id=goal_id, changes=self.patch(data)),
                "follow": lambda: c.RefineGoal(
                    goal_id=goal_id, changes=TermsPatch(follows=(other,))
                ),
                "pause": lambda: c.PauseGoal(goal_id=goal_id),
                "resume": lambda: c.ResumeGoal(goal_id=goal_id),
                "achieve": lambda: c.AchieveGoal(goal_id=goal_id),
                "drop": lambda: c.DropGoal(goal_id=goal_id, reason="no longer fits"),
                "reopen": lambda: c.ReopenGoal(goal_id=goal_id, reason="fits again"),
                "replace": lambda: c.ReplaceGoal(
                    goal_id=goal_id,
                    replacement=c.SetGoal(goal_id=self.new_id(), terms=self.terms(data)),
                ),
            }[action]()
        )

    @rule(data=st.data())
    def milestone(self, data) -> None:
        goal_id = self.pick(data, self.plan.goals)
        existing = self.plan.goals[goal_id].milestones if goal_id in self.plan.goals else {}
        milestone_id = self.pick(data, existing, fresh_in_10=5)
        action = data.draw(st.sampled_from(["add", "add", "complete", "reopen", "remove"]))
        self.attempt(
            {
                "add": lambda: c.AddMilestone(
                    goal_id=goal_id,
                    milestone_id=milestone_id,
                    title=data.draw(TEXT),
                    estimate_minutes=data.draw(st.integers(10, 130)),
                ),
                "complete": lambda: c.CompleteMilestone(goal_id=goal_id, milestone_id=milestone_id),
                "reopen": lambda: c.ReopenMilestone(goal_id=goal_id, milestone_id=milestone_id),
                "remove": lambda: c.RemoveMilestone(goal_id=goal_id, milestone_id=milestone_id),
            }[action]()
        )

    @rule(data=st.data())
    def check_in(self, data) -> None:
        goal_id = self.pick(data, self.plan.goals)
        earlier = (
            [k.check_in_id for k in self.plan.goals[goal_id].check_ins]
            if goal_id in self.plan.goals
            else []
        )
        corrects = data.draw(st.none() | st.sampled_from(earlier)) if earlier else None
        self.attempt(
            c.RecordCheckIn(
                goal_id=goal_id,
                check_in_id=self.new_id(),
                confidence=data.draw(st.integers(1, 11)),
                value=data.draw(
                    st.none() | st.integers(0, 1) | st.floats(-50, 50, allow_nan=False)
                ),
                corrects=corrects,
                occurred_at=self.now - timedelta(minutes=data.draw(st.integers(-5, 60 * 24 * 20))),
            )
        )

    @rule(data=st.data())
    def review(self, data) -> None:
        review = self.plan.open_review
        if review is None or data.draw(st.integers(0, 5)) == 0:
            self.attempt(c.StartReview(review_id=self.new_id()))
        elif review.undecided and data.draw(st.integers(0, 3)) > 0:
            goal_id = data.draw(st.sampled_from(review.undecided))
            decision = data.draw(
                st.sampled_from(["keep", "tweak", "replace", "achieved", "dropped"])
            )
            details = {
                "tweak": {"refinement": self.patch(data)},
                "dropped": {"note": "off track"},
                "replace": {
                    "replacement": c.SetGoal(goal_id=self.new_id(), terms=self.terms(data))
                },
            }
            self.attempt(
                c.RecordReviewDecision(
                    review_id=review.review_id,
                    goal_id=goal_id,
                    decision=decision,
                    **details.get(decision, {}),
                )
            )
        else:
            self.attempt(c.CompleteReview(review_id=review.review_id))

    @rule(data=st.data())
    def pivot(self, data) -> None:
        pivot = self.plan.open_pivot
        if pivot is None or data.draw(st.integers(0, 5)) == 0:
            proposed = tuple(
                ProposedRequirement(
                    self.new_id(),
                    data.draw(st.sampled_from(REQUIREMENT_KINDS)),
                    data.draw(st.sampled_from(["Knows the craft", "Runs discovery", "Leads"])),
                )
                for _ in range(data.draw(st.integers(0, 4)))
            )
            self.attempt(
                c.StartPivot(
                    pivot_id=self.new_id(),
                    statement="Become a product manager.",
                    role=data.draw(st.sampled_from(["engineer", "product manager"])),
                    industry="software",
                    impact="impact",
                    horizon=self.now.date() + timedelta(days=900),
                    requirements=proposed,
                )
            )
        elif (pivot.undecided_goals or pivot.undecided_requirements) and data.draw(
            st.integers(0, 3)
        ):
            decision = data.draw(st.sampled_from(PIVOT_DECISIONS))
            if pivot.undecided_goals and data.draw(st.booleans()):
                subject = {"goal_id": data.draw(st.sampled_from(pivot.undecided_goals))}
                subject.update(
                    {
                        "tweak": {"refinement": self.patch(data)},
                        "drop": {"note": "off track"},
                        "replace": {
                            "replacement": c.SetGoal(goal_id=self.new_id(), terms=self.terms(data))
                        },
                    }.get(decision, {})
                )
            else:
                undecided = pivot.undecided_requirements or (self.new_id(),)
                subject = {"requirement_id": data.draw(st.sampled_from(undecided))}
                if pivot.proposed and data.draw(st.booleans()):
                    subject["becomes"] = data.draw(st.sampled_from(pivot.proposed)).requirement_id
            self.attempt(
                c.RecordPivotDecision(pivot_id=pivot.pivot_id, decision=decision, **subject)
            )
        elif data.draw(st.booleans()):
            self.attempt(c.CompletePivot(pivot_id=pivot.pivot_id))
        else:
            self.attempt(c.AbandonPivot(pivot_id=pivot.pivot_id, reason="not now"))

    @invariant()
    def a_pivot_takes_goals_only_by_its_decisions_and_excludes_a_review(self) -> None:
        pivot, review, replacing = None, None, set()
        for event in self.events:
            name = type(event).__name__
            if name == "PivotStarted":
                assert review is None, "no pivot starts while a review is open"
                pivot, replacing = event, set()
            elif name in ("PivotCompleted", "PivotAbandoned"):
                pivot = None
            elif name == "ReviewStarted":
                assert pivot is None, "no review starts while a pivot is open"
                review = event
            elif name == "ReviewCompleted":
                review = None
            elif name == "PivotDecisionRecorded" and event.decision == "replace":
                replacing.add(event.goal_id)
            elif name == "GoalSet" and pivot is not None:
                assert event.replaces in replacing, "a pivot sets goals only as replacements"
            elif name == "DestinationRevised" and pivot is not None:
                assert event.new == pivot.new, "a pivot revises the destination only to its own"

    @rule(data=st.data())
    def alignment_check(self, data) -> None:
        """Record a check (sometimes redelivered under an id already used); its findings fit the plan."""
        check_id = self.pick(data, sorted(self.plan.alignment_check_ids), fresh_in_10=7)
        redelivered, version = check_id in self.plan.alignment_check_ids, self.plan.version
        self.attempt(
            c.RecordAlignmentCheck(check_id=check_id, policy=data.draw(st.sampled_from(POLICIES)))
        )
        if redelivered or self.plan.version == version:
            assert self.plan.version == version
            return
        findings = self.plan.last_alignment_check.findings
        assert list(findings) == sorted(findings, key=sort_key)
        for finding in findings:
            assert RULES[finding.rule] == (finding.severity, finding.suggested_action)
            assert finding.goal_id is None or finding.goal_id in self.plan.goals
            assert (
                finding.requirement_id is None
                or self.plan.requirements[finding.requirement_id].is_active
            )
            if finding.rule in TIMED_RULES:
                assert self.plan.goals[finding.goal_id].status == "active", (
                    "paused goals are exempt"
                )

    @invariant()
    def replay_of_the_stored_events_gives_the_same_plan(self) -> None:
        stored = [
            (type(e).__name__, e.schema_version, json.dumps(event_to_data(e))) for e in self.events
        ]
        replayed = CareerPlan.replay(
            event_from_data(name, upcast(name, version, json.loads(text)))
            for name, version, text in stored
        )
        assert replayed == self.plan
        assert self.plan.version == len(self.events)

    @invariant()
    def the_plan_keeps_its_rules(self) -> None:
        plan = self.plan
        assert len(plan.active_requirements) <= 10
        for goal in plan.goals.values():
            assert goal.goal_id not in plan.chain(goal.goal_id), "chains are acyclic"
            low, high = MILESTONE_LIMIT_MINUTES
            assert all(low <= m.estimate_minutes <= high for m in goal.milestones.values())
            assert goal.status in ("active", "paused", "achieved", "dropped", "replaced")
            assert (goal.closed_at is None) == goal.is_open
        open_reviews = [r for r in plan.reviews.values() if r.is_open]
        assert len(open_reviews) <= 1
        open_pivots = [p for p in plan.pivots.values() if p.is_open]
        assert len(open_pivots) <= 1 and not (open_reviews and open_pivots)
        check = plan.last_alignment_check
        assert check is None or check.check_id in plan.alignment_check_ids
        statuses = [
            e for e in self.events if type(e).__name__ in ("ClientArchived", "ClientReactivated")
        ]
        archived = bool(statuses) and type(statuses[-1]).__name__ == "ClientArchived"
        assert plan.status == ("archived" if archived else "active")

    @invariant()
    def an_archived_plan_records_nothing_until_reactivated(self) -> None:
        archived = False
        for event in self.events:
            name = type(event).__name__
            assert not archived or name == "ClientReactivated", f"{name} recorded while archived"
            archived = name == "ClientArchived" or (archived and name != "ClientReactivated")

    @invariant()
    def no_goal_lifecycle_is_both_achieved_and_dropped(self) -> None:
        outcomes: dict[tuple[str, int], set[str]] = {}
        lifecycle: dict[str, int] = {}
        for event in self.events:
            if isinstance(event, GoalReopened):
                lifecycle[event.goal_id] = event.lifecycle
            elif isinstance(event, (GoalAchieved, GoalDropped)):
                key = (event.goal_id, lifecycle.get(event.goal_id, 1))
                outcomes.setdefault(key, set()).add(type(event).__name__)
        assert all(len(found) == 1 for found in outcomes.values())


CareerPlanMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCareerPlanProperties = CareerPlanMachine.TestCase
