"""Tenancy and access: organisations, API keys, who may reach which client, idempotent requests."""
