"""The demo organisation of the embedded default: the seed's example client, ready to explore.

Made once, on the first start of an empty database; later starts find it and
leave it alone (its admin key was shown once, on that first start). It ships
the "Senior software engineer in 5 years" programme template, built from the
seed's table (`careerplan.seed_template`), to apply to new clients. The
client was enrolled three weeks before the service's clock says it is now,
and their facts are recorded as of when they happened (business time), so
the momentum view opens on a three-week streak rather than on day one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import timedelta

from careerplan.seed_example import GOAL_KEYS, seed_example_commands, seed_id
from careerplan.seed_template import SEED_TEMPLATE_NAME, seed_template_body
from domain import commands as c
from services.plans import CommandContext

DEMO_NAME = "Demo coaching firm"
DEMO_COACH = "coach-demo"
DEMO_COACH_NAME = "Dana Demo"


@dataclass(frozen=True)
class Demo:
    organisation_id: str
    admin_key: str
    client_id: str


def ensure_demo(services) -> Demo | None:
    """Create the demo organisation, its admin key, its coach, its template and the seed client; None when data exists."""
    if services.tenancy.organisations.list():
        return None
    organisation, key = services.tenancy.organisations.create(DEMO_NAME)
    services.coaches.create(organisation.organisation_id, DEMO_COACH_NAME, coach_id=DEMO_COACH)
    services.templates.create(
        organisation.organisation_id,
        SEED_TEMPLATE_NAME,
        seed_template_body(),
        actor="demo",
        note="The seed's table: four goals in the roadmap's four timeframes",
    )
    client_id = str(uuid.uuid4())
    context = CommandContext(
        organisation.organisation_id, actor="demo", correlation_id="demo-setup"
    )
    enrolled = services.clock() - timedelta(weeks=3)
    first_goal = seed_id(client_id, "goal", GOAL_KEYS[0])
    more_progress = [
        (
            c.CompleteMilestone(
                goal_id=first_goal, milestone_id=seed_id(client_id, "milestone", "sketch")
            ),
            enrolled + timedelta(weeks=1),
        ),
        (
            c.RecordCheckIn(
                goal_id=first_goal,
                check_in_id=seed_id(client_id, "check-in", "2"),
                value=2,
                confidence=8,
                note="Module 2 done; the side project has its first service",
            ),
            enrolled + timedelta(weeks=2),
        ),
    ]
    seed = seed_example_commands(
        client_id, organisation.organisation_id, DEMO_COACH, enrolled.date()
    )
    for command, occurred_at in [(command, enrolled) for command in seed] + more_progress:
        services.plans.execute(client_id, replace(command, occurred_at=occurred_at), context)
    services.projections.catch_up()
    return Demo(organisation.organisation_id, key.key, client_id)


def try_these(demo: Demo, base_url: str) -> list[str]:
    """Three curl lines that show the demo client's roadmap, momentum and the caseload."""
    auth = f'-H "Authorization: Bearer {demo.admin_key}"'
    return [
        f"curl -s {auth} {base_url}/v1/clients/{demo.client_id}/roadmap",
        f"curl -s {auth} {base_url}/v1/clients/{demo.client_id}/momentum",
        f"curl -s {auth} {base_url}/v1/caseload",
    ]
