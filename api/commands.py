"""Running one career-plan command for an HTTP request.

Builds the command's context from the request (organisation, actor, request
id, Idempotency-Key), turns If-Match into the expected version, and answers
with the plan's new version as body and ETag. New ids are the caller's when
given; otherwise uuid4, or, under an Idempotency-Key, derived from it, so a
retry names the same new goal even if the first answer was lost. The views
are left to the next read of the client, which refreshes them first
(read-your-writes, see `services.client_views`), and to the projection follower.
"""

from __future__ import annotations

import uuid

from flask import current_app, g, request

from api.authentication import principal
from api.problems import Problem
from domain.commands import Command
from services.plans import CommandContext, CommandResult

_ID_NAMESPACE = uuid.UUID("3c1f8a52-2f4e-4d0b-9a8e-6b1f0d7c2e94")


def etag(version: int) -> str:
    """The ETag of a plan at a stream version."""
    return f'"{version}"'


def expected_version() -> int | None:
    """The version named by If-Match (`"7"`, `W/"7"` or `7`); None when absent or `*`."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    tag = header.strip().removeprefix("W/").strip('"')
    if not tag.isdigit() or len(tag) > 9:
        raise Problem(400, "invalid_if_match", 'If-Match takes the ETag of the plan, such as "7"')
    return int(tag)


def new_id(kind: str, supplied: uuid.UUID | str | None = None) -> str:
    """The id of a new thing: the caller's, else derived from the Idempotency-Key, else random."""
    if supplied is not None:
        return str(supplied)
    key = request.headers.get("Idempotency-Key")
    if key:
        return str(
            uuid.uuid5(_ID_NAMESPACE, f"{principal().organisation_id}/{key}/{request.path}/{kind}")
        )
    return str(uuid.uuid4())


def command_context() -> CommandContext:
    """The request as the metadata of the events it stores: organisation, actor, request id, Idempotency-Key."""
    caller = principal()
    return CommandContext(
        organisation_id=caller.organisation_id,
        actor=caller.actor,
        correlation_id=g.request_id,
        idempotency_key=request.headers.get("Idempotency-Key"),
    )


def run(client_id, command: Command, *, status: int = 200, location: str | None = None, **ids: str):
    """Execute `command` on the client's plan: (body, status, headers) for flask-smorest."""
    result = current_app.extensions["careerplan"].plans.execute(
        str(client_id), command, command_context(), expected_version=expected_version()
    )
    headers = {"ETag": etag(result.version)}
    if location:
        headers["Location"] = location
    return result_body(result, ids), status, headers


def result_body(result: CommandResult, ids: dict[str, str]) -> dict:
    """What a command answers: the plan's new version, the ids it created, the events it stored."""
    return {
        "client_id": result.client_id,
        "version": result.version,
        **ids,
        "events": [
            {
                "event_id": e.event_id,
                "type": e.type,
                "stream_version": e.stream_version,
                "recorded_at": e.recorded_at,
            }
            for e in result.events
        ],
    }
