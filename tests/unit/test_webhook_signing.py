"""Deliveries are signed as Standard Webhooks say: the `standardwebhooks` package itself verifies them."""

from __future__ import annotations

import base64
import json
import os
from datetime import datetime, timedelta, timezone

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from services.webhooks.config import WebhookConfig
from services.webhooks.delivery import valid_secrets
from services.webhooks.signing import legacy_signature, new_secret, signed_headers

BODY = json.dumps({"type": "goal.achieved", "data": {"goal_id": "g-1"}}).encode()


def sign(secrets: list[str], at: datetime | None = None) -> dict[str, str]:
    return signed_headers("d-1", "goal.achieved", BODY, secrets, at or datetime.now(timezone.utc))


def test_a_new_secret_is_whsec_and_32_random_bytes_in_base64():
    secret = new_secret()
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:], validate=True)) == 32
    assert new_secret() != secret


def test_a_delivery_verifies_with_the_packages_own_verify():
    secret = new_secret()
    headers = sign([secret])
    assert Webhook(secret).verify(BODY, headers) == json.loads(BODY)
    assert headers["webhook-id"] == "d-1" and headers["webhook-signature"].startswith("v1,")


def test_another_secret_or_a_changed_body_is_refused():
    headers = sign([new_secret()])
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(BODY + b" ", headers)


def test_during_the_grace_period_both_secrets_verify_and_after_it_only_the_new_one():
    old, new = new_secret(), new_secret()
    rotated_at = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    config = WebhookConfig(master_key=os.urandom(32), secret_grace=timedelta(hours=24))
    row = {  # secrets stored in the clear read as they are (rows from before sealing)
        "endpoint_id": "e-1",
        "secret": new,
        "previous_secret": old,
        "previous_secret_expires_at": rotated_at + config.secret_grace,
    }

    during = valid_secrets(config, row, rotated_at + timedelta(hours=23))
    assert during == [new, old]
    headers = sign(during)
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(new).verify(BODY, headers) and Webhook(old).verify(BODY, headers)

    after = valid_secrets(config, row, rotated_at + timedelta(hours=24, seconds=1))
    assert after == [new]
    headers = sign(after)
    assert Webhook(new).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(BODY, headers)


def test_a_stale_timestamp_is_refused_by_the_receiver():
    secret = new_secret()
    headers = sign([secret], datetime.now(timezone.utc) - timedelta(minutes=10))
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(BODY, headers)


def test_the_deprecated_header_is_still_sent_under_the_current_secret():
    secret = new_secret()
    headers = sign([secret])
    timestamp = int(headers["webhook-timestamp"])
    assert headers["X-Careerplan-Signature"] == legacy_signature(secret, timestamp, BODY)


def test_a_pre_standard_secret_the_package_cannot_read_signs_only_the_deprecated_header():
    unreadable = "whsec_a"  # not base64: Webhook() refuses it
    with pytest.raises(ValueError):
        Webhook(unreadable)
    headers = sign([unreadable])
    assert "webhook-signature" not in headers and "X-Careerplan-Signature" in headers
