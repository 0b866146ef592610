"""Composition root of the career-plan service: settings, wiring and the command line."""
