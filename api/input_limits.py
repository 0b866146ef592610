"""Input limits checked before anything parses the request: a malicious request is a 4xx, never a 500.

The standard library's JSON parser recurses once per nesting level (a body
nested 100,000 deep is a RecursionError) and refuses integers beyond 4,300
digits with a ValueError; a NUL in a query parameter reaches PostgreSQL,
which refuses it. So before any view runs: every path, query string and
header value is free of control characters (400 `control_character`); a JSON
body nests at most MAX_DEPTH deep and holds no number longer than MAX_DIGITS
digits (422 `json_too_deep`, `number_too_long`); and a PUT or PATCH carries a
JSON body (422 `body_required`), so an empty one cannot reset a resource to
its defaults. The checks scan the raw bytes once and write nothing.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from flask import Flask, request

from api.problems import Problem

MAX_DEPTH = 64
MAX_DIGITS = 40
_BODY_METHODS = ("PUT", "PATCH")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")
_LONG_NUMBER = re.compile(rb"\d{%d,}" % (MAX_DIGITS + 1))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x1f\x7f]")
_HEADER_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # a header value may hold a tab


def _refuse_control(where: str) -> Problem:
    return Problem(
        400,
        "control_character",
        f"the request's {where} holds a control character (such as NUL); remove it",
    )


def check_url_and_headers() -> None:
    """400 when the path, the query string or a header value holds a control character."""
    if _CONTROL.search(request.path):
        raise _refuse_control("path")
    if _CONTROL_BYTES.search(unquote_to_bytes(request.query_string.replace(b"+", b" "))):
        raise _refuse_control("query string")
    for name, value in request.headers.items():
        if _HEADER_CONTROL.search(name) or _HEADER_CONTROL.search(value):
            raise _refuse_control(f"{name} header")


def check_body() -> None:
    """422 when a PUT/PATCH has no JSON body, or a JSON body nests too deep or holds too long a number."""
    body = request.get_data(cache=True)
    if request.method in _BODY_METHODS and request.path.startswith("/v1/") and not body.strip():
        raise Problem(
            422, "body_required", f"a {request.method} needs a JSON body: send the whole resource"
        )
    if not body or not request.is_json:
        return
    outside_strings = _STRING.sub(b'""', body)
    if nests_too_deep(outside_strings):
        raise Problem(422, "json_too_deep", f"the JSON body nests deeper than {MAX_DEPTH} levels")
    if _LONG_NUMBER.search(outside_strings):
        raise Problem(
            422, "number_too_long", f"the JSON body holds a number of more than {MAX_DIGITS} digits"
        )


def nests_too_deep(text: bytes) -> bool:
    """True when arrays and objects in JSON text (its strings blanked out) nest deeper than MAX_DEPTH."""
    if text.count(b"[") + text.count(b"{") <= MAX_DEPTH:
        return False  # too few brackets to go deep: the common case costs two counts
    depth = 0
    for bracket in _BRACKET.finditer(text):
        depth += 1 if bracket.group() in (b"[", b"{") else -1
        if depth > MAX_DEPTH:
            return True
    return False


def install(app: Flask) -> None:
    """Check every request before authentication, rate limits and views."""
    app.before_request(check_url_and_headers)
    app.before_request(check_body)
