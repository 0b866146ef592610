"""Nudges: the daily sweep that records `NudgeDue` for quiet clients, and a client's nudges as a list.

Whether a client is due, about which goal and milestone, is the domain's
(`domain.nudges`); here are the organisation's settings (`services.policies`),
the fan-out through the outbox (`sweeps`) and the read (`listing`). The
`client.nudge_due` webhook comes from `projections.plan_notices`.
"""
