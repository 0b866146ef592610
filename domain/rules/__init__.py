"""The career plan's rules, one module per concept; `domain.plan.CareerPlan` combines them.

Each module adds aggregate methods that check a rule (`_check_…`) and then
record an event, and registers with `applies` how each of its events changes
the plan. Applying an event never checks a rule, so replay cannot fail.
"""
