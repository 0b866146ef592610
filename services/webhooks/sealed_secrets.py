"""Webhook signing secrets kept sealed under MASTER_KEY (AES-256-GCM), never stored in the clear.

A stored secret reads `sealed:v1:<master key id>:<base64 of nonce + ciphertext>`,
bound to its endpoint (the endpoint id is the associated data), so a sealed
secret copied onto another endpoint does not open. Secrets stored before
sealing existed (they start `whsec_`) are read as they are.
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from services.privacy.client_keys import WrongMasterKey, master_key_id

_PREFIX = "sealed:v1:"
_NONCE = 12


def seal(master_key: bytes, endpoint_id: str, secret: str) -> str:
    """The text to store for `secret` of the endpoint."""
    nonce = os.urandom(_NONCE)
    sealed = nonce + AESGCM(master_key).encrypt(nonce, secret.encode(), endpoint_id.encode())
    return f"{_PREFIX}{master_key_id(master_key)}:{base64.b64encode(sealed).decode()}"


def open_secret(master_key: bytes, endpoint_id: str, stored: str) -> str:
    """The endpoint's secret from its stored text; WrongMasterKey when another master key sealed it."""
    if not stored.startswith(_PREFIX):
        return stored  # stored in the clear before secrets were sealed
    key_id, _, text = stored[len(_PREFIX) :].partition(":")
    if key_id != master_key_id(master_key):
        raise WrongMasterKey(
            f"the secret of webhook endpoint {endpoint_id} was sealed by master key {key_id}, "
            f"not by the configured MASTER_KEY ({master_key_id(master_key)})"
        )
    sealed = base64.b64decode(text)
    return (
        AESGCM(master_key).decrypt(sealed[:_NONCE], sealed[_NONCE:], endpoint_id.encode()).decode()
    )
