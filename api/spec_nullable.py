"""Nullable enums as `anyOf` [the enum, null], which client generators read as `Enum | None`.

marshmallow and apispec write an optional choice (`allow_none` with `OneOf`)
as `{"type": ["string", "null"], "enum": [..., null]}`; openapi-python-client
turns that into three generated types per field. The same choice written as
`anyOf: [{"type": "string", "enum": [...]}, {"type": "null"}]` means the same
to a validator and generates one enum and None.
"""

from __future__ import annotations

KEPT_OUTSIDE = ("description", "default", "deprecated", "example", "title")


def split_nullable_enums(node):
    """`node` (a schema, or anything holding schemas) with every nullable enum rewritten, in place."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            node[index] = split_nullable_enums(item)
        return node
    if not isinstance(node, dict):
        return node
    for key, value in list(node.items()):
        node[key] = split_nullable_enums(value)
    types, choices = node.get("type"), node.get("enum")
    if isinstance(types, list) and "null" in types and choices is not None and None in choices:
        (kind,) = [t for t in types if t != "null"] or ["string"]
        inner = {
            k: v for k, v in node.items() if k not in KEPT_OUTSIDE and k not in ("type", "enum")
        }
        outer = {k: v for k, v in node.items() if k in KEPT_OUTSIDE}
        enum = {"type": kind, "enum": [c for c in choices if c is not None], **inner}
        return {"anyOf": [enum, {"type": "null"}], **outer}
    return node
