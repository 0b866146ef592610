"""The seed's worked example (`services.seed_example`), sent as HTTP requests.

Each domain command becomes the request a coaching firm's integration would
send, so the journey over HTTP runs exactly the commands the domain tests run.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from careerplan.seed_example import seed_example_commands
from domain import commands as c


def _json(value):
    """Dates as ISO strings, tuples as lists: what a JSON client sends."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    return value


def goal_body(command: c.SetGoal) -> dict:
    return {"goal_id": command.goal_id, **_json(asdict(command.terms))}


def request_for(client_id: str, command: c.Command) -> tuple[str, str, dict]:
    """(method, path, body) of the request that runs `command` on the client."""
    base = f"/v1/clients/{client_id}"
    fields = {
        k: v for k, v in _json(asdict(command)).items() if k != "occurred_at" or v is not None
    }
    match command:
        case c.EnrolClient():
            fields.pop("organisation_id")
            return "POST", "/v1/clients", fields
        case c.SetDestination():
            return "PUT", f"{base}/destination", fields
        case c.AddRequirement():
            return "POST", f"{base}/requirements", fields
        case c.SetGoal():
            return "POST", f"{base}/goals", goal_body(command)
        case c.AddMilestone():
            goal = fields.pop("goal_id")
            return "POST", f"{base}/goals/{goal}/milestones", fields
        case c.CompleteMilestone():
            return (
                "POST",
                f"{base}/goals/{command.goal_id}/milestones/{command.milestone_id}/complete",
                {},
            )
        case c.RecordCheckIn():
            goal = fields.pop("goal_id")
            return (
                "POST",
                f"{base}/goals/{goal}/check-ins",
                {k: v for k, v in fields.items() if v is not None},
            )
    raise AssertionError(f"no request for {type(command).__name__}")


def seed_requests(client_id: str, coach_id: str, today: date) -> list[tuple[str, str, dict]]:
    """Every request of the worked example, in order (the organisation comes from the key)."""
    return [
        request_for(client_id, command)
        for command in seed_example_commands(client_id, "-", coach_id, today)
    ]


def seed_digests_and_webhooks(admin, services, client: str) -> dict[str, str]:
    """A digest run with the client's digest written, a webhook endpoint and a test delivery: their ids."""
    from services.digests.generation import generate_client_digests

    services.clock.advance(weeks=1)  # the enrolment's week has ended
    run_id = admin.post("/v1/digest-runs", json={"kind": "weekly"}).json["run_id"]
    generate_client_digests(services.engine, services.store, run_id, [client])
    endpoint_id = admin.post("/v1/webhooks", json={"url": "https://hooks.example.com/a"}).json[
        "endpoint_id"
    ]
    return {
        "run_id": run_id,
        "digest_id": admin.get("/v1/digests").json["items"][0]["digest_id"],
        "endpoint_id": endpoint_id,
        "delivery_id": admin.post(f"/v1/webhooks/{endpoint_id}/test").json["delivery_id"],
    }
