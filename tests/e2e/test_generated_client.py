"""The OpenAPI document as an integrator uses it: it validates, and a generated client works typed.

Validates /openapi.json (openapi-spec-validator), generates a client with
openapi-python-client into a temporary folder (no warning may be printed), imports
it and drives the seed's client through a live server: enrol, destination,
requirement, goal, milestone, check-in, roadmap and momentum read as typed objects
(never through `additional_properties`), the HTML digest fetched through its
generated function, and the organisation digest's content read as its own type.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from api import create_app
from careerplan.seed_example import REQUIREMENTS

PACKAGE = "career_plan_client"
# The export's JSON Lines: a media type the generator does not know, read as bytes.
GENERATOR_CONFIG = {"content_type_overrides": {"application/x-ndjson": "application/octet-stream"}}


@pytest.fixture
def live_server(services) -> Iterator[str]:
    """The app on a real port, in a thread: the generated client speaks HTTP to it."""
    server = make_server("127.0.0.1", 0, create_app(services=services), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def generate(document: dict, folder: Path) -> str:
    """Run openapi-python-client on `document` into `folder`; its output."""
    (folder / "openapi.json").write_text(json.dumps(document))
    (folder / "config.json").write_text(json.dumps(GENERATOR_CONFIG))
    bin_dir = str(Path(sys.executable).parent)  # its ruff formats the generated code
    done = subprocess.run(
        [
            os.path.join(bin_dir, "openapi-python-client"),
            "generate",
            "--path",
            str(folder / "openapi.json"),
            "--config",
            str(folder / "config.json"),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")},
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


@pytest.fixture
def generated(http, tmp_path, monkeypatch):
    """The client package generated from the served document, imported."""
    output = generate(http.get("/openapi.json").json, tmp_path)
    assert "Warning" not in output and "WARNING" not in output, output
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    yield importlib.import_module(PACKAGE)


def test_the_document_validates_as_openapi_3_1(http):
    from openapi_spec_validator import validate

    document = http.get("/openapi.json").json
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_a_generated_client_drives_the_seed_client_typed(generated, live_server, admin_a, services):
    api = importlib.import_module(f"{PACKAGE}.api")
    m = importlib.import_module(f"{PACKAGE}.models")
    call = {
        name: importlib.import_module(f"{PACKAGE}.api.{module}")
        for name, module in [
            ("coach", "coaches.create_coach"),
            ("enrol", "clients.enrol_client"),
            ("destination", "destination.set_destination"),
            ("requirement", "requirements.add_requirement"),
            ("goal", "goals.set_goal"),
            ("milestone", "progress.add_milestone"),
            ("complete", "progress.complete_milestone"),
            ("roadmap", "views.get_roadmap"),
            ("momentum", "views.get_momentum"),
            ("html", "digests.get_digest_html"),
            ("digest", "digests.get_digest"),
        ]
    }
    assert api is not None
    client = importlib.import_module(PACKAGE).AuthenticatedClient(
        base_url=live_server, token=admin_a.key
    )
    today = services.clock().date()

    coach = call["coach"].sync(
        client=client, body=m.NewCoach(name="Maria Okafor", coach_id="coach-maria")
    )
    assert isinstance(coach, m.Coach) and coach.active, coach
    enrolled = call["enrol"].sync(
        client=client,
        body=m.EnrolClient(
            display_name="Sam Example", timezone="Europe/London", coach_id=coach.coach_id
        ),
    )
    assert isinstance(enrolled, m.CommandResult), enrolled
    client_id = enrolled.client_id
    destination = m.Destination(
        statement="Become a senior software engineer in 5 years.",
        role="senior software engineer",
        industry="software",
        impact="designs reliable systems and raises the team's engineering standards",
        horizon=date(today.year + 5, today.month, 1),
    )
    assert isinstance(
        call["destination"].sync(client_id, client=client, body=destination), m.CommandResult
    )
    _, kind, description = REQUIREMENTS[0]
    requirement = call["requirement"].sync(
        client_id,
        client=client,
        body=m.NewRequirement(kind=m.NewRequirementKind(kind), description=description),
    )
    assert isinstance(requirement, m.RequirementAdded), requirement
    goal = call["goal"].sync(
        client_id,
        client=client,
        body=m.SetGoal(
            statement="Complete one advanced course in system design",
            category=m.SetGoalCategory.SKILL,
            measure=m.Measure(
                name="course modules completed", baseline=0, target=10, unit="modules"
            ),
            confidence=7,
            start_on=today,
            due_on=date(today.year + 1, 1, 31),
            serves=[
                m.Contribution(
                    requirement_id=requirement.requirement_id,
                    how_it_leads="Builds technical depth.",
                )
            ],
        ),
    )
    assert isinstance(goal, m.GoalSet), goal
    milestone = call["milestone"].sync(
        client_id,
        goal.goal_id,
        client=client,
        body=m.NewMilestone(title="Watch module 1", estimate_minutes=45),
    )
    assert isinstance(milestone, m.MilestoneAdded), milestone
    done = call["complete"].sync(
        client_id, goal.goal_id, milestone.milestone_id, client=client, body=m.Command()
    )
    assert isinstance(done, m.CommandResult), done

    roadmap = call["roadmap"].sync(client_id, client=client)
    assert isinstance(roadmap, m.Roadmap), roadmap
    assert roadmap.destination.role == "senior software engineer"
    (frame,) = [t for t in roadmap.timeframes if t.goals]
    entry = frame.goals[0]
    assert isinstance(entry, m.RoadmapGoal) and entry.goal_id == goal.goal_id
    assert entry.measure.target == 10 and entry.milestones.completed == 1
    assert entry.serves[0].requirement_id == requirement.requirement_id
    assert roadmap.gaps == []
    for typed in (roadmap, frame, entry, entry.measure, entry.serves[0]):
        assert not hasattr(typed, "additional_properties")  # closed, fully typed objects

    momentum = call["momentum"].sync(client_id, client=client)
    assert isinstance(momentum, m.Momentum), momentum
    assert momentum.weeks[-1].milestones == 1 and momentum.streak.current == 1
    assert momentum.trend_30d.last_30_days == 1 and momentum.trend_30d.direction == "up"
    assert isinstance(momentum.confidence, m.Confidence)
    for typed in (momentum, momentum.weeks[-1], momentum.trend_30d, momentum.streak):
        assert not hasattr(typed, "additional_properties")  # closed, fully typed objects

    digest_id = _digest_of(admin_a, services, client_id)
    page = call["html"].sync(digest_id, client=client)
    assert isinstance(page, str) and page.lstrip().lower().startswith("<!doctype html")
    digest = call["digest"].sync(digest_id, client=client)
    assert isinstance(digest, m.Digest) and isinstance(digest.content, m.ClientDigestContent)
    assert digest.content.client.display_name == "Sam Example"

    subject = f"organisation:{admin_a.organisation_id}"
    listed = admin_a.get("/v1/digests").json["items"]
    (organisation_id,) = [d["digest_id"] for d in listed if d["subject"] == subject]
    organisation = call["digest"].sync(organisation_id, client=client)
    assert isinstance(organisation.content, m.OrganisationDigestContent), organisation.content
    assert organisation.content.clients.total == 1
    assert [row.coach_id for row in organisation.content.coaches] == [
        digest.content.client.coach_id
    ]
    assert isinstance(organisation.content.cohort, m.CohortSection)
    assert organisation.content.cohort.momentum.clients == 1


def _digest_of(admin, services, client_id: str) -> str:
    """A weekly digest of the client, then the coach's and the organisation's, written now (as the
    workers would): the client's digest id."""
    from services.digests.generation import generate_client_digests, generate_coach_digests

    services.clock.advance(weeks=1)  # the enrolment's week has ended
    run = admin.post("/v1/digest-runs", json={"kind": "weekly"})
    assert run.status_code == 202, run.json
    generate_client_digests(services.engine, services.store, run.json["run_id"], [client_id])
    generate_coach_digests(services.engine, run.json["run_id"])
    listed = admin.get(f"/v1/digests?client_id={client_id}").json["items"]
    return listed[0]["digest_id"]
