"""A coach's caseload digest: who needs attention and why, the caseload's wins, and deadlines across clients.

Composed from the ranked caseload (`projections.caseload.rank`) and,
when the batch has them, the period's client digests; without client digests
the wins, deadlines and findings parts are None (not zero: unknown).
"""

from __future__ import annotations

from datetime import date

from projections.caseload import by_attention
from services.digests.client import SCHEMA_VERSION, SEVERITY_RANK
from services.digests.period import period_section
from services.digests.wins import ITEM_KINDS


def coach_digest(
    caseload_entries: list[dict],
    client_digests: list[dict] | None,
    today: date,
    period_start: date,
    period_end: date,
    coach_id: str | None = None,
    *,
    provisional: bool = False,
    cohort: dict | None = None,
) -> dict:
    """The caseload summary for one coach (or an organisation) for the period, as of `today`.

    A period's batch passes the attention entries of the period's client
    digests (`period_attention`), so nothing after the period shows, and the
    period's cohort section (`services.digests.cohort`); without one, `cohort` is None.
    """
    attention = [
        {
            name: entry[name]
            for name in ("client_id", "display_name", "score", "reasons", "next_review_due")
        }
        for entry in caseload_entries
        if entry["score"] > 0
    ]
    return {
        "kind": "coach",
        "schema_version": SCHEMA_VERSION,
        "coach_id": coach_id,
        "as_of": today.isoformat(),
        "provisional": provisional,
        "period": period_section(period_start, period_end),
        "clients": {"total": len(caseload_entries), "needing_attention": len(attention)},
        "attention": attention,
        "wins": None if client_digests is None else _wins(client_digests),
        "deadlines": None if client_digests is None else _deadlines(client_digests),
        "findings": None if client_digests is None else _findings(client_digests),
        "cohort": cohort,
    }


def period_attention(client_digests: list[dict]) -> list[dict]:
    """The client digests' attention entries, ranked as `projections.caseload.rank` ranks a caseload."""
    entries = [d["attention"] for d in client_digests if d.get("attention")]
    entries.sort(key=by_attention)
    return entries


def _name(digest: dict) -> dict:
    return {"client_id": digest["client_id"], "display_name": digest["client"]["display_name"]}


def _wins(digests: list[dict]) -> dict:
    """Totals per kind across the caseload, and each client's total (most wins first)."""
    totals = {plural: sum(d["wins"][plural] for d in digests) for plural in ITEM_KINDS.values()}
    by_client = sorted(
        ({**_name(d), "total": d["wins"]["total"]} for d in digests),
        key=lambda row: (-row["total"], row["display_name"].casefold(), row["client_id"]),
    )
    return {
        "total": sum(totals.values()),
        **totals,
        "by_client": by_client,
        "clients_without_wins": sum(row["total"] == 0 for row in by_client),
    }


def _deadlines(digests: list[dict]) -> list[dict]:
    """Every client's deadlines in the next 30 days (and overdue ones), soonest first."""
    items = [{**_name(d), **deadline} for d in digests for deadline in d["deadlines"]]
    items.sort(key=deadline_order)
    return items


def deadline_order(item: dict) -> tuple:
    """A named deadline's place among a caseload's: soonest first, then by client and kind."""
    return (item["due_on"], item["display_name"].casefold(), item["client_id"], item["kind"])


def _findings(digests: list[dict]) -> dict:
    """How many findings the caseload's latest checks raised, in all and per severity."""
    severities: dict[str, int] = {}
    for digest in digests:
        for severity, count in digest["findings"]["counts"].items():
            severities[severity] = severities.get(severity, 0) + count
    return findings_totals(sum(d["findings"]["total"] for d in digests), severities)


def findings_totals(total: int, severities: dict[str, int]) -> dict:
    """Findings in all and per severity (worst first, none that counts 0)."""
    ordered = sorted(
        severities.items(),
        key=lambda item: (SEVERITY_RANK.get(item[0], len(SEVERITY_RANK)), item[0]),
    )
    return {
        "total": total,
        "by_severity": {severity: count for severity, count in ordered if count},
    }
