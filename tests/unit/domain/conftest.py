"""Fixtures for the domain unit tests: an empty plan and a plan ready for goals."""

from __future__ import annotations

import pytest
from plan_harness import Harness


@pytest.fixture
def empty() -> Harness:
    """A plan with no events yet."""
    return Harness()


@pytest.fixture
def harness() -> Harness:
    """An enrolled client with a destination and five requirements."""
    harness = Harness()
    harness.enrol()
    harness.set_destination()
    harness.add_requirements(5)
    return harness
