"""Secrets that protect nothing: the placeholders shipped in deploy/ and the embedded defaults.

A deployment that copied deploy/.env.example or the k8s Secret without filling
them in would hash API keys and wrap clients' data keys under publicly known
strings, so outside the embedded SQLite default they are refused at start-up.
"""

from __future__ import annotations

import base64
import binascii

# Exactly as shipped in deploy/.env.example and deploy/k8s/config.yaml (a test keeps them in step).
SHIPPED = {
    "API_KEY_SECRET": {"replace-me-kq3V9xN7pL2sT8wZ4mR6yB1cF5hJ0dG-replace-me"},
    "MASTER_KEY": {"cmVwbGFjZS1tZS13aXRoLTMyLXJhbmRvbS1ieXRlcyE="},
}
_MARKERS = ("replace-me", "replace_me", "change-me", "changeme", "not-a-secret", "placeholder")
HOW_TO_GENERATE = {
    "API_KEY_SECRET": 'python -c "import secrets; print(secrets.token_urlsafe(48))"',
    "MASTER_KEY": 'python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"',
}


def is_placeholder(name: str, value: str, embedded_default: str) -> bool:
    """True when `value` of setting `name` is a shipped placeholder, the embedded default or reads as one."""
    if value in SHIPPED.get(name, set()) or value == embedded_default:
        return True
    try:
        readable = base64.b64decode(value, validate=True).decode("ascii", errors="ignore")
    except binascii.Error:
        readable = ""
    return any(marker in text.lower() for text in (value, readable) for marker in _MARKERS)


def refusal(name: str) -> str:
    """The start-up error for a placeholder in setting `name`: what is wrong and how to make a real one."""
    return (
        f"{name} is a placeholder (as shipped in deploy/ or the embedded default), which anyone can read: "
        f"set your own, e.g. {HOW_TO_GENERATE[name]}"
    )
