"""An organisation's background-work policy: re-alignment thresholds and digest cadence."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from domain.alignment_policy import AlignmentPolicy
from domain.errors import InvalidValue
from projections.upsert import upsert
from workers.tables import organisation_policies

DIGEST_KINDS = ("weekly", "quarterly")
DEFAULT_DIGEST_KINDS = ("quarterly",)  # the seed's review rhythm: every 3 months


@dataclass(frozen=True)
class Policy:
    alignment: AlignmentPolicy
    digest_kinds: tuple[str, ...]


def policy_of(conn: sa.Connection, organisation_id: str) -> Policy:
    """The organisation's policy, or the defaults."""
    row = conn.execute(sa.select(organisation_policies).where(
        organisation_policies.c.organisation_id == organisation_id)).mappings().first()
    if row is None:
        return Policy(AlignmentPolicy(), DEFAULT_DIGEST_KINDS)
    return Policy(AlignmentPolicy.from_dict(row["alignment"]), tuple(row["digest_kinds"]))


def set_policy(engine: sa.Engine, organisation_id: str, alignment: dict, digest_kinds: list[str]) -> Policy:
    """Replace the organisation's policy; a bad threshold or cadence is refused and nothing is written."""
    checked = AlignmentPolicy.from_dict(alignment).checked()
    unknown = set(digest_kinds) - set(DIGEST_KINDS)
    if unknown:
        raise InvalidValue(f"unknown digest cadence {', '.join(sorted(unknown))}: use weekly and/or quarterly")
    kinds = tuple(k for k in DIGEST_KINDS if k in digest_kinds)
    with engine.begin() as conn:
        upsert(conn, organisation_policies, [{
            "organisation_id": organisation_id, "alignment": checked.to_dict(), "digest_kinds": list(kinds),
        }], key="organisation_id")
    return Policy(checked, kinds)
