"""Waiting for something another process or thread makes true, without a fixed sleep."""

from __future__ import annotations

import time
from collections.abc import Callable

TIMEOUT_SECONDS = 120.0  # generous: a loaded CI machine is slow, and a pass returns at once


def eventually(condition: Callable[[], bool], seconds: float = TIMEOUT_SECONDS) -> bool:
    """Poll until `condition()` holds (True) or a generous deadline passes (False)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
