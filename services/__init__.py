"""Application services: one entry per use case, shared by the API and the workers.

They load a career plan from the event store, let the domain decide, and append
the decided events with the version they saw. No business rule lives here.
"""
