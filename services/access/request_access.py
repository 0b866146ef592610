"""One request's access: the caller a bearer key stands for and, on a client, what it found of that client.

A request on one client reads the caller's key and the client's owner (and,
for a read, the client's view and its last event) in one statement
(`ClientOwners.key_and_owner_and_view`): one round trip authenticates and
scopes it. `RequestAccess.caller` makes that one call and returns a `Caller`
holding both, the single value the API keeps for the request.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from eventstore import FeedCursor
from services.access.api_key_records import Principal
from services.access.api_keys import ApiKeys
from services.access.client_access import ClientOwner, ClientOwners


@dataclass(frozen=True)
class ClientReach:
    """A client as the request's read found it: owner and view, and `behind` when the view lags the events."""

    client_id: str
    owner: ClientOwner | None
    view: dict | None = None
    behind: FeedCursor | None = None


@dataclass(frozen=True)
class Caller:
    """The authenticated caller of a request and, on a client, what its first read found of the client."""

    principal: Principal
    reach: ClientReach | None = None

    def reaching(self, reach: ClientReach) -> Caller:
        """This caller with `reach` in place of what the first read found (a refreshed view)."""
        return replace(self, reach=reach)

    def may_reach(self, owner: ClientOwner | None) -> bool:
        """Whether the client of `owner` is the caller's: their organisation's, and their own for a coach key."""
        who = self.principal
        return (
            owner is not None
            and owner.organisation_id == who.organisation_id
            and (who.role != "coach" or owner.coach_id == who.coach_id)
        )

    def view_of(self, client_id: str) -> dict | None:
        """The view of `client_id` as read with the ownership check; None when not read, or no view yet."""
        view = self.reach.view if self.reach is not None else None
        return view if view is not None and view.get("client_id") == client_id else None


class RequestAccess:
    """Resolves a presented key (and the client a request names) to a `Caller`, in one statement."""

    def __init__(self, keys: ApiKeys, owners: ClientOwners):
        self._keys = keys
        self._owners = owners

    def caller(
        self, key: str, client_id: str | None = None, *, read: bool = False
    ) -> Caller | None:
        """The caller `key` stands for (None for an unknown or revoked key), with what it found of `client_id`.

        `read` takes the client's view in the same statement, for a request that goes on to read it.
        """
        key_hash = self._keys.lookup_digest(key)
        if client_id is None or key_hash is None:
            principal = self._keys.authenticate(key)
            return Caller(principal) if principal is not None else None
        if read:
            row, found = self._owners.key_and_owner_and_view(key_hash, client_id)
            reach = ClientReach(client_id, found.owner, found.view, found.behind)
        else:
            row, owner = self._owners.key_and_owner(key_hash, client_id)
            reach = ClientReach(client_id, owner)
        principal = self._keys.caller(row)
        return Caller(principal, reach) if principal is not None else None
