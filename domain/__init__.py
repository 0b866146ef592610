"""The career-plan domain: commands, events, the `CareerPlan` aggregate and `decide`.

Pure Python: imports only the standard library and itself, so the rules run
the same in the API, the workers and the unit tests.
"""
