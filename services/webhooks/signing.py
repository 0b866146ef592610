"""Signing a delivery as the Standard Webhooks specification says (https://www.standardwebhooks.com).

Each request carries `webhook-id` (the delivery id: the same on every retry, so
a receiver can drop duplicates), `webhook-timestamp` (Unix seconds of this
attempt) and `webhook-signature`: `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`
under each secret that is valid now, separated by spaces. After a rotation the
old secret stays valid for a grace period (WEBHOOK_SECRET_GRACE_HOURS), so a
receiver that still holds it keeps verifying while it switches. Signatures are
made by the `standardwebhooks` package itself, so they verify with its
`Webhook(secret).verify(body, headers)` by construction.

Secrets read `whsec_<base64 of 32 random bytes>`. Endpoints registered before
this change hold a `whsec_<base64url>` secret that the package may not read;
such a secret signs only the deprecated `X-Careerplan-Signature` header
(`t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">` under the secret's text),
which every delivery still carries, under the current secret, until the next
major version: receivers should move to the standard headers (rotating an old
secret gives a standard one).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Iterable
from datetime import datetime, timezone

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
LEGACY_HEADER = "X-Careerplan-Signature"


def new_secret() -> str:
    """A fresh signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(os.urandom(SECRET_BYTES)).decode()


def standard_signature(secrets: Iterable[str], delivery_id: str, at: datetime, body: bytes) -> str:
    """The `webhook-signature` value: one `v1,<base64>` per secret the package can read, space-separated."""
    signatures = []
    for secret in secrets:
        try:
            signer = Webhook(secret)
        except (binascii.Error, ValueError):  # a pre-standard secret: only the legacy header signs
            continue
        signatures.append(signer.sign(delivery_id, at, body.decode()))
    return " ".join(signatures)


def legacy_signature(secret: str, timestamp: int, body: bytes) -> str:
    """The deprecated `X-Careerplan-Signature` value for `body` sent at `timestamp`."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def signed_headers(
    delivery_id: str, event_type: str, body: bytes, secrets: list[str], at: datetime
) -> dict[str, str]:
    """Every header of one attempt: content type, the Standard Webhooks trio, and the legacy ones.

    `secrets` are the secrets valid at `at`, the current one first.
    """
    at = at.astimezone(timezone.utc)
    timestamp = int(at.timestamp())
    headers = {
        "Content-Type": "application/json",
        "webhook-id": delivery_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": standard_signature(secrets, delivery_id, at, body),
        "X-Careerplan-Event": event_type,
        "X-Careerplan-Delivery": delivery_id,
        LEGACY_HEADER: legacy_signature(secrets[0], timestamp, body),
    }
    if not headers["webhook-signature"]:
        del headers["webhook-signature"]
    return headers
