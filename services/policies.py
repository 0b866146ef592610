"""An organisation's background-work policy: re-alignment thresholds, digest cadence, time zone, nudges.

The time zone (an IANA name, "UTC" by default) says when a digest period
ends: at midnight where the organisation works, not in UTC. Nudges
(`domain.nudges.NudgePolicy`) are off until the organisation opts in; a
stored NULL reads as those defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from domain.alignment_policy import AlignmentPolicy
from domain.errors import InvalidValue
from domain.nudges import NudgePolicy
from domain.rules.enrolment import check_timezone
from eventstore.schema import JsonDocument
from projections.upsert import upsert

metadata = sa.MetaData()

organisation_policies = sa.Table(
    "organisation_policies",
    metadata,
    sa.Column("organisation_id", sa.String(100), primary_key=True),
    sa.Column("alignment", JsonDocument, nullable=False),
    sa.Column("digest_kinds", JsonDocument, nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
    sa.Column("nudges", JsonDocument, nullable=True),
)

DIGEST_KINDS = ("weekly", "quarterly")
DEFAULT_DIGEST_KINDS = ("quarterly",)  # the seed's review rhythm: every 3 months
DEFAULT_TIMEZONE = "UTC"


@dataclass(frozen=True)
class Policy:
    alignment: AlignmentPolicy
    digest_kinds: tuple[str, ...]
    timezone: str = DEFAULT_TIMEZONE
    nudges: NudgePolicy = NudgePolicy()


def policy_of(conn: sa.Connection, organisation_id: str) -> Policy:
    """The organisation's policy, or the defaults."""
    row = (
        conn.execute(
            sa.select(organisation_policies).where(
                organisation_policies.c.organisation_id == organisation_id
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return Policy(AlignmentPolicy(), DEFAULT_DIGEST_KINDS)
    return Policy(
        AlignmentPolicy.from_dict(row["alignment"]),
        tuple(row["digest_kinds"]),
        row["timezone"],
        NudgePolicy.from_dict(row["nudges"]),
    )


def read_policy(engine: sa.Engine, organisation_id: str) -> Policy:
    """The organisation's policy, or the defaults, read on a connection of its own."""
    with engine.connect() as conn:
        return policy_of(conn, organisation_id)


def set_policy(
    engine: sa.Engine,
    organisation_id: str,
    alignment: dict,
    digest_kinds: list[str],
    timezone: str = DEFAULT_TIMEZONE,
    nudges: dict | None = None,
) -> Policy:
    """Replace the organisation's policy; a bad threshold, cadence, time zone or nudge setting is
    refused and nothing is written. Nudges left out are the defaults (off)."""
    checked = AlignmentPolicy.from_dict(alignment).checked()
    nudging = NudgePolicy.from_dict(nudges)
    unknown = set(digest_kinds) - set(DIGEST_KINDS)
    if unknown:
        raise InvalidValue(
            f"unknown digest cadence {', '.join(sorted(unknown))}: use weekly and/or quarterly"
        )
    kinds = tuple(k for k in DIGEST_KINDS if k in digest_kinds)
    zone = check_timezone(timezone)
    with engine.begin() as conn:
        upsert(
            conn,
            organisation_policies,
            [
                {
                    "organisation_id": organisation_id,
                    "alignment": checked.to_dict(),
                    "digest_kinds": list(kinds),
                    "timezone": zone,
                    "nudges": nudging.to_dict(),
                }
            ],
            key="organisation_id",
        )
    return Policy(checked, kinds, zone, nudging)
