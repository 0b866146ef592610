"""Webhooks: organisations receive notices of what happened, signed as Standard Webhooks, and retried.

A delivery row is written with its outbox message in the transaction that
produced the notice (exactly one per endpoint and notice: `notices`), and
every attempt is recorded (`delivery`). Requests are signed as the Standard
Webhooks specification says, with the deprecated `X-Careerplan-Signature`
still sent alongside for a while (`signing`). Admins manage their endpoints
(`endpoints`: register, disable, delete, rotate a secret with a grace period)
and read the delivery log or send a test ping (`delivery_log`). Where an
endpoint may point is `targets`' rule, how a request is sent `transport`'s,
and secrets are stored sealed (`sealed_secrets`).

Notices (the `type` of a delivery's body; `data` holds ids and times only,
never a client's personal text but a nudge's what-to-say, so forgetting a client leaves none behind in
the delivery log; fetch the goal or client over the API for its text):

- `digest.ready`: digest_id, subject, kind, period_key, provisional.
- `alignment.findings`: client_id, check_id, checked_at, findings (rule, severity, suggested_action,
  goal_id, requirement_id).
- `goal.set`, `goal.achieved`, `goal.dropped`, `goal.replaced`, `check_in.recorded`,
  `review.completed`, `client.archived`: event_id, event (its name, e.g. `GoalSet`), client_id,
  occurred_at, recorded_at, and the ids that apply: goal_id, replaces, replaced_by, check_in_id,
  review_id (see `projections.plan_notices`).
- `client.nudge_due`: as the plan notices, plus nudge_id, day, quiet_days, goal_id, milestone_id
  (None: suggest adding a step) and, the one exception to "ids only", goal_statement and
  milestone_title: what to say. Forgetting the client strips that text from the log.
- `webhook.test`: endpoint_id, requested_at: a ping an admin asked for.
"""

from services.webhooks.config import WebhookConfig, config_of, configure
from services.webhooks.delivery import WebhookFailed, deliver
from services.webhooks.endpoints import register
from services.webhooks.notices import EVENT_TYPES, TEST_EVENT, Notice, notify, notify_all

__all__ = [
    "EVENT_TYPES",
    "Notice",
    "TEST_EVENT",
    "WebhookConfig",
    "WebhookFailed",
    "config_of",
    "configure",
    "deliver",
    "notify",
    "notify_all",
    "register",
]
