"""Property: facts recorded live, or back-filled afterwards in any order, give the same momentum and roadmap.

Views work in business time (`occurred_at`), so a coach entering last
month's notes today leaves the client's streaks, habit strength, trend,
stalls and pace exactly as if each fact had been recorded when it happened.
Runs on SQLite and PostgreSQL through the application service and the
store, folding each client's stored events as the client-view projection does.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_histories import Clock, context

from domain import commands as c
from domain.errors import DomainError
from domain.values import Contribution, GoalTerms, Measure
from eventstore import EventStore
from projections import client_view, queries
from services.plans import CareerPlans
from services.plans.event_mapping import domain_codec, stream_id

START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)  # a Monday
REQUIREMENT = "7c0e7c6e-0000-4000-8000-000000000001"
GOALS = ("7c0e7c6e-0000-4000-8000-0000000000a1", "7c0e7c6e-0000-4000-8000-0000000000a2")
MILESTONES = tuple(f"7c0e7c6e-0000-4000-8000-0000000001{n:02d}" for n in range(6))


def setup_commands(client: str) -> list[c.Command]:
    """Enrolment, destination, a requirement, two goals and three milestones each: the same ids for any client."""
    terms = GoalTerms(
        statement="Complete a system design course",
        category="skill",
        measure=Measure.metric("modules", 0, 10, "modules"),
        confidence=7,
        serves=(Contribution(REQUIREMENT, "Builds technical depth."),),
        start_on=START.date(),
        due_on=START.date() + timedelta(days=120),
    )
    commands: list[c.Command] = [
        c.EnrolClient(
            client_id=client,
            organisation_id="org-a",
            coach_id="coach-1",
            display_name="Sam",
            timezone="Europe/London",
        ),
        c.SetDestination(
            statement="Become a senior engineer.",
            role="senior engineer",
            industry="software",
            impact="reliable systems",
            horizon=date(2031, 1, 1),
        ),
        c.AddRequirement(requirement_id=REQUIREMENT, kind="skill", description="System design"),
        *(
            c.SetGoal(goal_id=goal, terms=dataclasses.replace(terms, statement=f"Goal {n}"))
            for n, goal in enumerate(GOALS)
        ),
    ]
    for n, milestone in enumerate(MILESTONES):
        commands.append(
            c.AddMilestone(
                goal_id=GOALS[n % 2], milestone_id=milestone, title=f"Step {n}", estimate_minutes=45
            )
        )
    return commands


@st.composite
def lives(draw) -> list[tuple[int, c.Command]]:
    """Facts of ten weeks, by minutes after the start (two never at the same minute, as in life):
    check-ins, completed milestones, a pause and its resumption."""
    used: set[int] = set()

    def minute(low: int = 60, high: int = 100_800) -> int:
        value = draw(st.integers(low, high).filter(lambda m: m not in used))
        used.add(value)
        return value

    facts: list[tuple[int, c.Command]] = []
    for milestone in draw(
        st.lists(st.sampled_from(MILESTONES), unique=True, max_size=len(MILESTONES))
    ):
        goal = GOALS[MILESTONES.index(milestone) % 2]
        facts.append((minute(), c.CompleteMilestone(goal_id=goal, milestone_id=milestone)))
    for _ in range(draw(st.integers(0, 8))):
        facts.append(
            (
                minute(),
                c.RecordCheckIn(
                    goal_id=draw(st.sampled_from(GOALS)),
                    check_in_id=str(uuid.uuid4()),
                    value=float(draw(st.integers(0, 10))),
                    confidence=draw(st.integers(1, 10)),
                ),
            )
        )
    if draw(st.booleans()):
        paused = minute(60, 90_000)
        facts.append((paused, c.PauseGoal(goal_id=GOALS[1], reason="exam season")))
        facts.append((minute(paused + 1, paused + 10_000), c.ResumeGoal(goal_id=GOALS[1])))
    return sorted(facts, key=lambda fact: fact[0])


def backfill_order(facts: list, permutation: list[int]) -> list:
    """The facts in the drawn order, except that a goal's pause and resumption keep theirs."""
    shuffled = [facts[i] for i in permutation]
    status = [fact for fact in facts if isinstance(fact[1], (c.PauseGoal, c.ResumeGoal))]
    slots = [
        i for i, fact in enumerate(shuffled) if isinstance(fact[1], (c.PauseGoal, c.ResumeGoal))
    ]
    for slot, fact in zip(slots, status, strict=True):
        shuffled[slot] = fact
    return shuffled


def test_back_filled_facts_give_the_momentum_and_roadmap_live_facts_gave(engine):
    store = EventStore(engine, domain_codec())
    clock = Clock(START)
    plans = CareerPlans(store, clock)

    def views_of(client: str, today: date) -> dict:
        view = client_view.new_view(client)
        for event in store.read_stream(stream_id(client)):
            client_view.apply(view, event)
        roadmap = queries.roadmap_of(view, today)
        roadmap.pop("client_id")
        return {"momentum": queries.momentum_of(view, today), "roadmap": roadmap}

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(facts=lives(), data=st.data())
    def check(facts, data):
        live, late = str(uuid.uuid4()), str(uuid.uuid4())
        for client in (live, late):
            clock.now = START
            for command in setup_commands(client):
                plans.execute(client, command, context())
        accepted = []
        for minutes, command in facts:
            clock.now = START + timedelta(minutes=minutes)
            try:
                plans.execute(live, command, context())
            except DomainError:
                continue
            accepted.append((clock.now, command))
        clock.now = START + timedelta(weeks=12)
        permutation = data.draw(st.permutations(range(len(accepted))))
        for moment, command in backfill_order(accepted, permutation):
            plans.execute(late, dataclasses.replace(command, occurred_at=moment), context())
        for today in (START.date() + timedelta(weeks=4), clock.now.date()):
            assert views_of(late, today) == views_of(live, today)

    check()
