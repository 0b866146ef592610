"""What a re-alignment check judges by and what it reports: the policy, the rule catalogue, a finding.

An organisation tunes the thresholds (`AlignmentPolicy`, stored as a plain
dict with `to_dict`/`from_dict`); every finding names a stable rule code whose
severity and suggested action come from `RULES`, so digests, webhooks and
dashboards can act on the code rather than on the wording.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from domain.errors import InvalidAlignmentPolicy
from domain.goal_formulas import BEHIND_GAP

SEVERITIES = ("critical", "warning", "info")
ACTIONS = ("keep", "tweak", "replace", "add goal")

# Rule code -> (severity, suggested action), in the order findings of one severity are listed.
RULES: dict[str, tuple[str, str]] = {
    "goal_serves_no_requirement": ("critical", "replace"),
    "goal_overdue": ("critical", "tweak"),
    "goal_not_smart": ("warning", "tweak"),
    "goal_stalled": ("warning", "tweak"),
    "pace_at_risk": ("warning", "tweak"),
    "goal_too_long": ("warning", "tweak"),
    "goal_due_after_horizon": ("warning", "tweak"),
    "follows_dropped_goal": ("warning", "replace"),
    "requirement_uncovered": ("warning", "add goal"),
    "too_many_active_goals": ("warning", "tweak"),
    "follows_replaced_goal": ("info", "tweak"),
    "no_open_milestone": ("info", "tweak"),
    "review_due": ("info", "keep"),
}

# Field -> (lowest, highest) accepted value.
_LIMITS = {
    "stall_days": (1, 365),
    "max_active_goals": (1, 50),
    "pace_at_risk_gap": (0.01, 1.0),
    "max_goal_months": (1, 24),
}


@dataclass(frozen=True, kw_only=True)
class AlignmentPolicy:
    """An organisation's thresholds for re-alignment checks.

    `pace_at_risk_gap` is the expected-minus-actual progress above which a
    goal's pace is "at risk" (by default the views' `goal_formulas.BEHIND_GAP`);
    `max_goal_months` may be stricter than the 2 years a SMART goal allows;
    `disabled_rules` names rule codes the organisation does not want reported.
    """

    stall_days: int = 21
    max_active_goals: int = 6
    pace_at_risk_gap: float = BEHIND_GAP
    max_goal_months: int = 24
    disabled_rules: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "disabled_rules", tuple(self.disabled_rules))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AlignmentPolicy:
        """The policy stored as `data`; missing fields take their defaults, unknown ones are refused."""
        if not isinstance(data, dict):
            raise InvalidAlignmentPolicy(
                f"an alignment policy is an object of thresholds, got {data!r}"
            )
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise InvalidAlignmentPolicy(
                f"an alignment policy has no setting(s) {', '.join(sorted(unknown))}"
            )
        values = dict(data)
        if isinstance(values.get("pace_at_risk_gap"), int) and not isinstance(
            values["pace_at_risk_gap"], bool
        ):
            values["pace_at_risk_gap"] = float(values["pace_at_risk_gap"])
        if not isinstance(values.get("disabled_rules", ()), (list, tuple)):
            raise InvalidAlignmentPolicy("disabled_rules is a list of rule codes")
        return cls(**values).checked()

    def to_dict(self) -> dict[str, Any]:
        """The policy as JSON-safe data for an organisation's settings."""
        return {**asdict(self), "disabled_rules": list(self.disabled_rules)}

    def checked(self) -> AlignmentPolicy:
        """This policy, after refusing thresholds out of range and unknown rule codes."""
        for name, (low, high) in _LIMITS.items():
            value = getattr(self, name)
            wanted = (int, float) if isinstance(low, float) else int
            if isinstance(value, bool) or not isinstance(value, wanted) or not low <= value <= high:
                raise InvalidAlignmentPolicy(
                    f"{name} must be a number from {low} to {high}, got {value!r}"
                )
        unknown = [code for code in self.disabled_rules if code not in RULES]
        if unknown:
            raise InvalidAlignmentPolicy(
                f"unknown rule code(s) {', '.join(map(str, unknown))}; "
                f"the rules are {', '.join(RULES)}"
            )
        return self


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One thing a re-alignment check flagged, with what the coach should do about it.

    `summary` is a short phrase for lists and history ("stalled: no win for 30
    days"); `message` names the goal or requirement and the next step.
    """

    rule: str
    severity: str
    suggested_action: str
    summary: str
    message: str
    goal_id: str | None = None
    requirement_id: str | None = None


def finding(
    rule: str,
    summary: str,
    message: str,
    *,
    goal_id: str | None = None,
    requirement_id: str | None = None,
) -> Finding:
    """A finding of `rule`, with the severity and suggested action the catalogue gives it."""
    severity, action = RULES[rule]
    return Finding(
        rule=rule,
        severity=severity,
        suggested_action=action,
        summary=summary,
        message=message,
        goal_id=goal_id,
        requirement_id=requirement_id,
    )


def sort_key(item: Finding) -> tuple[int, int]:
    """Findings list most severe first, then in catalogue order (ties keep the order they were found)."""
    return SEVERITIES.index(item.severity), list(RULES).index(item.rule)
