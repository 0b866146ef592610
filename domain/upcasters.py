"""Upcasting: old layouts of stored event data read as the current layout.

Events are never rewritten in the store. When an event's layout changes, its
class's `schema_version` goes up by one and an upcaster is registered here for
(type, old version); reading applies them in turn until the data is current.

History of layouts:
- GoalSet v1 -> v2. v1 (before done/not-done goals existed) held the SMART
  fields flat on the event, with the metric as `metric_name`, `baseline`,
  `target` and `unit`. v2 nests them as `terms`, with `measure` a value that
  may also be done/not-done, and adds `replaces` (a v1 goal replaced nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.events import EVENT_TYPES

Data = dict[str, Any]

_GOAL_TERM_FIELDS = (
    "statement",
    "category",
    "confidence",
    "serves",
    "start_on",
    "due_on",
    "follows",
)


def _goal_set_v1_to_v2(data: Data) -> Data:
    """Nest v1's flat SMART fields as `terms` and its flat metric as `terms.measure`."""
    terms = {name: data[name] for name in _GOAL_TERM_FIELDS if name in data}
    terms.setdefault("follows", [])
    terms["measure"] = {
        "name": data["metric_name"],
        "baseline": data["baseline"],
        "target": data["target"],
        "unit": data["unit"],
    }
    return {
        "occurred_at": data["occurred_at"],
        "goal_id": data["goal_id"],
        "terms": terms,
        "replaces": None,
    }


UPCASTERS: dict[tuple[str, int], Callable[[Data], Data]] = {
    ("GoalSet", 1): _goal_set_v1_to_v2,
}


def upcast(type_name: str, schema_version: int, data: Data) -> Data:
    """The data of a stored `type_name` event of `schema_version`, at the current schema version.

    Types this module does not know (written by other parts of the system)
    pass through unchanged. A version newer than the code, or a gap in the
    chain of upcasters, raises ValueError rather than loading wrong data.
    """
    return upcast_versioned(type_name, schema_version, data)[1]


def upcast_versioned(type_name: str, schema_version: int, data: Data) -> tuple[int, Data]:
    """`upcast`, also returning the version reached: the shape the event store's codec takes."""
    version = schema_version
    while (type_name, version) in UPCASTERS:
        data = UPCASTERS[(type_name, version)](data)
        version += 1
    event_type = EVENT_TYPES.get(type_name)
    if event_type is not None and version != event_type.schema_version:
        raise ValueError(
            f"{type_name} data of schema v{schema_version} cannot be read as v{event_type.schema_version}"
        )
    return version, data
