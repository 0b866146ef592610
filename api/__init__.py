"""The HTTP API: parse, authorise, call the application layer or read a view."""

from api.app import create_app

__all__ = ["create_app"]
