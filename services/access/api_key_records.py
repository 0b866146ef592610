"""What the API-key service hands out and refuses with: callers, listed keys, new keys, errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidValue, NotFound, RuleViolation
from eventstore.schema import utc

ROLES = ("admin", "coach", "auditor")


class KeyNotFound(NotFound):
    code = "api_key_not_found"


class KeyRevoked(RuleViolation):
    code = "api_key_revoked"


class LastAdminKey(RuleViolation):
    code = "last_admin_key"


class InvalidKeyRole(InvalidValue):
    code = "invalid_key_role"


@dataclass(frozen=True)
class Principal:
    """Who is calling: one key of one organisation, with its role (and coach, for coach keys)."""

    key_id: str
    organisation_id: str
    role: str
    coach_id: str | None

    @property
    def actor(self) -> str:
        """How events record this caller."""
        return f"key:{self.key_id}"


@dataclass(frozen=True)
class ApiKey:
    """A key as listings show it: never the key itself."""

    key_id: str
    organisation_id: str
    prefix: str
    role: str
    coach_id: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class IssuedKey:
    """A new key: `key` is shown this once and stored nowhere."""

    key: str
    api_key: ApiKey


def api_key_from_row(row) -> ApiKey:
    """A listing entry from a table row (or the dict of values just inserted)."""
    r = row if isinstance(row, dict) else row._mapping
    return ApiKey(
        r["id"],
        r["organisation_id"],
        r["prefix"],
        r["role"],
        r["coach_id"],
        utc(r["created_at"]),
        utc(r["last_used_at"]),
        utc(r["revoked_at"]),
    )


def check_role(role: str, coach_id: str | None) -> None:
    """A coach key names its coach; admin and auditor keys name none."""
    if role not in ROLES:
        raise InvalidKeyRole(f"a key's role is one of {', '.join(ROLES)}; got {role!r}")
    if (role == "coach") != bool(coach_id):
        raise InvalidKeyRole(
            "a coach key needs the coach's id"
            if role == "coach"
            else f"an {role} key belongs to no coach: leave coach_id out"
        )
