"""The one place where the service's parts are built and wired together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from careerplan.database import engine_for
from careerplan.settings import Settings, SettingsError
from eventstore import EventStore
from eventstore.engine import autocommit_engine
from eventstore.migrate import upgrade
from projections.client_projection import ClientViewProjection
from projections.finding_notices import FindingNotices
from projections.insights import InsightsProjection
from projections.plan_notices import PlanNotices
from projections.runner import ProjectionRunner
from projections.template_applications import TemplateApplications
from services import webhooks
from services.access.tenancy import Tenancy
from services.calendars.feeds import CalendarFeeds
from services.client_views import ClientViews
from services.coaches.assignable import CoachRule
from services.coaches.roster import Coaches
from services.insights import Insights
from services.plans import CareerPlans, Clock, utc_now
from services.plans.event_mapping import domain_codec
from services.privacy.client_keys import ClientKeys
from services.privacy.erasure import ClientErasure
from services.privacy.sealing import ClientDataSealer
from services.templates.library import Templates
from workers.metrics import BacklogCollector


@dataclass
class Services:
    """What the API, the workers and the CLI share in one process."""

    settings: Settings
    engine: sa.Engine
    store: EventStore
    plans: CareerPlans
    projections: ProjectionRunner
    clock: Clock
    tenancy: Tenancy
    erasure: ClientErasure
    views: ClientViews
    coaches: Coaches
    calendars: CalendarFeeds
    templates: Templates
    insights: Insights
    # Builds the scrape-time gauges of the background work for these services (api.metrics registers it).
    backlog: Callable[[Services], BacklogCollector] = BacklogCollector


def open_event_store(settings: Settings) -> EventStore:
    """The event store alone, on an engine of its own, opening sealed fields as the service does.

    For processes that only read events, such as a rebuild's workers: each
    builds its own from the same settings (no migration, no other service).
    """
    engine = engine_for(settings)
    keys = ClientKeys(engine, settings.data_master_key)
    return EventStore(engine, domain_codec(ClientDataSealer(keys)))


def bootstrap(
    settings: Settings, *, engine: sa.Engine | None = None, clock: Clock = utc_now
) -> Services:
    """Build the store, the application services and the projections (migrating first if asked).

    SettingsError when MASTER_KEY is not the key the stored client data keys were wrapped by.
    """
    engine = engine or engine_for(settings)
    if settings.migrate_on_start:
        upgrade(engine)
    reader = autocommit_engine(engine)
    webhooks.configure(
        engine,
        webhooks.WebhookConfig(
            settings.data_master_key,
            settings.webhook_allowed_hosts,
            secret_grace=timedelta(hours=settings.webhook_secret_grace_hours),
        ),
    )
    keys = ClientKeys(engine, settings.data_master_key, reader=reader)
    if (other := keys.wrapped_by_another_master_key()) is not None:
        raise SettingsError(
            f"MASTER_KEY is not the key this database's client data keys were wrapped by (key id {other}, "
            f"configured {keys.master_id}): set the MASTER_KEY this database was created with"
        )
    store = EventStore(engine, domain_codec(ClientDataSealer(keys)), reader=reader)
    projections = ProjectionRunner(
        engine,
        store,
        [
            ClientViewProjection(),
            TemplateApplications(),
            InsightsProjection(),
            FindingNotices(webhooks.notify_all),
            PlanNotices(webhooks.notify_all),
        ],
    )
    tenancy = Tenancy.build(
        engine,
        store,
        settings.key_secret,
        clock,
        idempotency_takeover=timedelta(seconds=settings.idempotency_takeover_s),
    )
    views = ClientViews(engine, store, projections, tenancy.owners)
    coaches = Coaches(engine, clock, tenancy.keys)
    plans = CareerPlans(
        store,
        clock,
        skew=timedelta(seconds=settings.clock_skew_seconds),
        coach_check=CoachRule(reader),
    )
    return Services(
        settings=settings,
        engine=engine,
        store=store,
        plans=plans,
        projections=projections,
        clock=clock,
        tenancy=tenancy,
        erasure=ClientErasure(
            engine, keys, tenancy.owners, [p.name for p in projections.projections], clock
        ),
        views=views,
        coaches=coaches,
        calendars=CalendarFeeds(engine, settings.key_secret, clock, views, coaches, reader=reader),
        templates=Templates(engine, clock, plans, projections),
        insights=Insights(engine, projections),
    )
