"""Marshmallow schemas of the HTTP API: request bodies in (loaded into domain values), documents out."""
