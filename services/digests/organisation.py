"""An organisation's digest: the whole organisation's attention, wins, deadlines and findings, per coach too.

Composed from the period's client digests, folded batch by batch (the
caller reads them a page at a time, so memory holds the totals and the
attention and deadline entries, never every client digest at once), and
the organisation's cohort section (`services.digests.cohort`). The totals
are those a coach digest of every client would show (`coach_digest`).

The lists are bounded: `attention` holds the LISTED clients most needing
it and `deadlines` the LISTED soonest, with `clients.needing_attention`
and `deadlines_total` counting them all. At 100,000 clients every entry
would make a document of tens of megabytes that nobody reads to its end;
the coach digests list each caseload whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from projections.caseload import by_attention
from services.digests.client import SCHEMA_VERSION
from services.digests.coach import deadline_order, findings_totals
from services.digests.period import period_section
from services.digests.wins import ITEM_KINDS

_ATTENTION = ("client_id", "display_name", "score", "reasons", "next_review_due")
LISTED = 200  # attention entries and deadlines an organisation digest lists


def _first(entries: list[dict], key, limit: int) -> list[dict]:
    """The first `limit` of `entries` in the order of `key` (sorted)."""
    entries.sort(key=key)
    del entries[limit:]
    return entries


def organisation_digest(
    batches: Iterable[list[dict]],
    today: date,
    period_start: date,
    period_end: date,
    organisation_id: str,
    *,
    provisional: bool = False,
    cohort: dict | None = None,
    listed: int = LISTED,
) -> dict:
    """The organisation's summary for the period, as of `today`, from its client digests in batches.

    `attention` ranks the `listed` clients most needing attention as a
    caseload ranks them, `deadlines` the `listed` soonest; `coaches` counts each coach's clients and those needing attention
    (most needing attention first); wins and findings are totals.
    """
    clients, attention, deadlines, needing, deadlines_total = 0, [], [], 0, 0
    wins = dict.fromkeys(ITEM_KINDS.values(), 0)
    without_wins, findings, severities = 0, 0, {}
    coaches: dict[str, dict] = {}
    for batch in batches:
        for digest in batch:
            clients += 1
            entry = digest.get("attention")
            needs = bool(entry and entry["score"] > 0)
            if needs:
                needing += 1
                attention.append({name: entry[name] for name in _ATTENTION})
            coach_id = digest["client"]["coach_id"]
            counts = coaches.setdefault(
                coach_id, {"coach_id": coach_id, "clients": 0, "needing_attention": 0}
            )
            counts["clients"] += 1
            counts["needing_attention"] += needs
            for plural in wins:
                wins[plural] += digest["wins"][plural]
            without_wins += digest["wins"]["total"] == 0
            name = {
                "client_id": digest["client_id"],
                "display_name": digest["client"]["display_name"],
            }
            deadlines += [{**name, **deadline} for deadline in digest["deadlines"]]
            deadlines_total += len(digest["deadlines"])
            findings += digest["findings"]["total"]
            for severity, count in digest["findings"]["counts"].items():
                severities[severity] = severities.get(severity, 0) + count
        # Memory holds at most about twice the lists, whatever the organisation's size.
        if len(attention) > 2 * listed:
            _first(attention, by_attention, listed)
        if len(deadlines) > 2 * listed:
            _first(deadlines, deadline_order, listed)
    _first(attention, by_attention, listed)
    _first(deadlines, deadline_order, listed)
    return {
        "kind": "organisation",
        "schema_version": SCHEMA_VERSION,
        "organisation_id": organisation_id,
        "as_of": today.isoformat(),
        "provisional": provisional,
        "period": period_section(period_start, period_end),
        "clients": {"total": clients, "needing_attention": needing},
        "attention": attention,
        "coaches": sorted(
            coaches.values(), key=lambda row: (-row["needing_attention"], row["coach_id"])
        ),
        "wins": {"total": sum(wins.values()), **wins, "clients_without_wins": without_wins},
        "deadlines": deadlines,
        "deadlines_total": deadlines_total,
        "findings": findings_totals(findings, severities),
        "cohort": cohort,
    }
