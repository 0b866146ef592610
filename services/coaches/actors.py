"""Who did it, as a person: an event's recorded actor (`key:<id>`, `scheduler`, …) described for people.

Events record the API key that asked (`key:<uuid>`), or `scheduler` for the
re-alignment checks the workers run, or a word such as `demo` or `cli` for
work done by the service itself. An auditor wants the coach's name or the
admin key's label instead. `describe_actors` resolves a page's actors with one
query (keys joined with their coaches), and `with_actors` adds the description
to each record of a history page or an export as `actor`:

- `{"kind": "coach", "id", "name", "key_id"}` for a coach key (name as the roster says now),
- `{"kind": "admin" | "auditor", "key_id", "label"}` for those keys (the label is the key's prefix),
- `{"kind": "scheduler"}` for the scheduled checks,
- `{"kind": "system", "name"}` for anything else (with `key_id` for a key that is not known).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import sqlalchemy as sa

from services.access.tables import api_keys
from services.coaches.tables import coaches

KEY_ACTOR = "key:"
SCHEDULER = "scheduler"
EXPORT_BATCH = 500


def describe_actors(
    engine: sa.Engine, organisation_id: str, actors: Iterable[str | None]
) -> dict[str | None, dict]:
    """Each actor string as a person, by one query for the keys among them (of `organisation_id` only)."""
    actors = set(actors)
    key_ids = {a.removeprefix(KEY_ACTOR) for a in actors if a and a.startswith(KEY_ACTOR)}
    keys = _keys(engine, organisation_id, key_ids) if key_ids else {}
    return {actor: _describe(actor, keys) for actor in actors}


def with_actors(engine: sa.Engine, records: list[dict]) -> list[dict]:
    """The event records (as `event_record` builds them) with `actor` added: one query per organisation."""
    recorded = [recorded_actor(record.get("metadata")) for record in records]
    described = describe_recorded(engine, recorded)
    return [
        {**record, "actor": described[who]} for record, who in zip(records, recorded, strict=True)
    ]


def recorded_actor(metadata: dict | None) -> tuple[str | None, str | None]:
    """The organisation and actor strings an event's metadata recorded."""
    metadata = metadata or {}
    return metadata.get("organisation_id"), metadata.get("actor")


def describe_recorded(
    engine: sa.Engine, recorded: Iterable[tuple[str | None, str | None]]
) -> dict[tuple[str | None, str | None], dict]:
    """Each (organisation, actor) pair of `recorded_actor` as a person: one query per organisation."""
    by_organisation: dict[str | None, set[str | None]] = {}
    for organisation_id, actor in recorded:
        by_organisation.setdefault(organisation_id, set()).add(actor)
    return {
        (organisation_id, actor): description
        for organisation_id, actors in by_organisation.items()
        for actor, description in describe_actors(engine, organisation_id, actors).items()
    }


def with_actors_streamed(
    engine: sa.Engine, records: Iterable[dict], batch: int = EXPORT_BATCH
) -> Iterator[dict]:
    """`with_actors` over a stream of records, one query per `batch` records (for exports)."""
    pending: list[dict] = []
    for record in records:
        pending.append(record)
        if len(pending) >= batch:
            yield from with_actors(engine, pending)
            pending = []
    if pending:
        yield from with_actors(engine, pending)


def _keys(engine: sa.Engine, organisation_id: str | None, key_ids: set[str]) -> dict[str, sa.Row]:
    query = (
        sa.select(
            api_keys.c.id,
            api_keys.c.role,
            api_keys.c.prefix,
            api_keys.c.coach_id,
            coaches.c.name.label("coach_name"),
        )
        .select_from(
            api_keys.outerjoin(
                coaches,
                sa.and_(
                    coaches.c.organisation_id == api_keys.c.organisation_id,
                    coaches.c.id == api_keys.c.coach_id,
                ),
            )
        )
        .where(api_keys.c.organisation_id == organisation_id, api_keys.c.id.in_(sorted(key_ids)))
    )
    with engine.connect() as conn:
        return {row.id: row for row in conn.execute(query)}


def _describe(actor: str | None, keys: dict[str, sa.Row]) -> dict:
    if actor == SCHEDULER:
        return {"kind": "scheduler"}
    if actor and actor.startswith(KEY_ACTOR):
        key_id = actor.removeprefix(KEY_ACTOR)
        key = keys.get(key_id)
        if key is None:
            return {"kind": "system", "name": actor, "key_id": key_id}
        if key.role == "coach":
            name = key.coach_name or key.coach_id
            return {"kind": "coach", "id": key.coach_id, "name": name, "key_id": key_id}
        return {"kind": key.role, "key_id": key_id, "label": key.prefix}
    return {"kind": "system", "name": actor}
