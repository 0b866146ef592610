"""The multi-tenant side of the service, wired once: organisations and their keys, who owns
a client, each organisation's client list, its replayable requests, and a request's access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from eventstore import EventStore
from services.access.api_keys import ApiKeys
from services.access.client_access import ClientOwners
from services.access.client_directory import ClientDirectory
from services.access.idempotency import IdempotentRequests
from services.access.organisations import Organisations
from services.access.request_access import RequestAccess
from services.plans import Clock


@dataclass
class Tenancy:
    organisations: Organisations
    keys: ApiKeys
    owners: ClientOwners
    directory: ClientDirectory
    idempotency: IdempotentRequests
    access: RequestAccess

    @classmethod
    def build(
        cls,
        engine: sa.Engine,
        store: EventStore,
        key_secret: str,
        clock: Clock,
        idempotency_takeover: timedelta = timedelta(seconds=60),
    ) -> Tenancy:
        """All of it on one engine and store; keys are hashed under `key_secret`.

        An Idempotency-Key claim left unsettled for `idempotency_takeover` (the
        process serving it died) is taken over by a retry.
        """
        keys = ApiKeys(engine, key_secret, clock, reader=store.reader)
        owners = ClientOwners(store)
        return cls(
            organisations=Organisations(engine, keys, clock),
            keys=keys,
            owners=owners,
            directory=ClientDirectory(engine),
            idempotency=IdempotentRequests(engine, clock, abandon_after=idempotency_takeover),
            access=RequestAccess(keys, owners),
        )
