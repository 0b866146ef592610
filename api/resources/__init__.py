"""The /v1 resources, one blueprint per concept; each view is schema in → application service → schema out."""

from api.resources import (
    alignment,
    calendars,
    clients,
    coaches,
    destination,
    digests,
    events,
    goals,
    keys,
    nudges,
    progress,
    requirements,
    reviews,
    verification,
    views,
    webhooks,
)

BLUEPRINTS = [
    clients.blp,
    destination.blp,
    requirements.blp,
    goals.blp,
    progress.blp,
    reviews.blp,
    keys.blp,
    views.blp,
    digests.blp,
    webhooks.blp,
    verification.blp,
    alignment.blp,
    events.blp,
    coaches.blp,
    calendars.blp,
    nudges.blp,
]
