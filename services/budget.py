"""A time budget for one unit of work (an API request): no database wait inside it outlasts it.

The API imports it from here, not from the store: see `eventstore.deadline`
for how the connections still waiting when the budget is spent are cut (the
caller then gets an OperationalError, which the API answers with 503).
"""

from __future__ import annotations

from eventstore.deadline import deadline as within_budget

__all__ = ["within_budget"]
