"""Digests as self-contained HTML pages: inline CSS and an inline SVG chart, no scripts, no external assets.

This is what a coach opens. All user text goes through `html.escape`, and a
Content-Security-Policy forbids scripts and remote loads as a second guard.
Each part is a `<section>` with a stable id (wins, momentum, findings,
deadlines, next-milestones, suggestions, late-corrections; a coach digest:
attention, wins, deadlines, findings), so pages can be linked into and tested.
"""

from __future__ import annotations

from html import escape

from projections.digest import words as w
from projections.digest.chart import momentum_chart

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
CSS = """
body{margin:0;background:#f4f6f9;color:#1f2633;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:880px;margin:0 auto;padding:24px}
header,section{background:#fff;border:1px solid #dde2ea;border-radius:10px;padding:16px 20px;margin:0 0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0 0 10px;color:#2f3b52}h3{font-size:15px;margin:12px 0 4px}
.muted{color:#5f6b80;margin:0 0 8px}li .muted{font-size:13px}ul{margin:6px 0;padding-left:20px}li{margin:3px 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e6e9ef;vertical-align:top}
th{font-size:13px;color:#5f6b80}th:last-child,td:last-child{min-width:11em}.num{text-align:right}
svg{max-width:100%;height:auto}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;
background:#6b7487}
.keep{background:#2e8b57}.tweak{background:#d08a17}.replace{background:#c0392b}
.critical{background:#c0392b}.warning{background:#d08a17}.info{background:#5f7fa8}
.overdue{color:#c0392b;font-weight:600}
.provisional{background:#fff4d6;border:1px solid #d08a17;border-radius:6px;padding:6px 10px;margin:8px 0}
"""


def e(text: object) -> str:
    """Escape user text for HTML content and attribute values."""
    return escape(str(text), quote=True)


def _page(title: str, body: list[str]) -> str:
    return "\n".join([
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title><style>{CSS}</style></head>", '<body><main class="digest">',
        *body, "</main></body></html>", ""])


def _section(section_id: str, heading: str, content: list[str]) -> str:
    return "\n".join([f'<section id="{section_id}"><h2>{e(heading)}</h2>', *content, "</section>"])


def _list(lines: list[str], empty: str = "") -> list[str]:
    """An HTML list of already-escaped lines; when there are none, the `empty` message (if any)."""
    if not lines:
        return [f'<p class="muted">{e(empty)}</p>'] if empty else []
    return ["<ul>", *(f"<li>{line}</li>" for line in lines), "</ul>"]


def _badge(label: str, kind: object) -> str:
    return f'<span class="badge {e(str(kind).lower())}">{e(label)}</span>'


def _header(digest: dict, title: str, *more: str) -> str:
    """The page header: title, the provisional marker when there is one, the period line."""
    marker = w.provisional_line(digest)
    flag = [f'<p class="provisional" id="provisional"><strong>{e(marker)}</strong></p>'] if marker else []
    return "\n".join([f"<header><h1>{e(title)}</h1>", *flag,
                      f"<p class=\"muted\">{e(w.period_line(digest))}</p>", *more, "</header>"])


def to_html(digest: dict) -> str:
    """A client digest as one HTML page with the momentum chart inline."""
    findings, title = digest["findings"], w.title(digest)
    checked = [f'<p class="muted">Last re-alignment check: {e(findings["checked_at"])}</p>'] if findings[
        "checked_at"] else []
    milestones = []
    for goal in digest["next_milestones"]:
        steps = [e(w.milestone_line(m)) for m in goal["milestones"]]
        milestones += [f"<h3>{e(goal['statement'])}</h3>", *_list(steps, "No open milestone: add one.")]
    rows = [_suggestion(s) for s in digest["suggestions"]]
    return _page(title, [
        _header(digest, title, f"<p><strong>Destination:</strong> {e(w.destination_line(digest['destination']))}</p>"),
        _section("wins", "Wins", [f"<p>{e(w.wins_summary(digest['wins']))}</p>",
                                  *_list([e(w.win_line(i)) for i in digest["wins"]["items"]])]),
        _section("momentum", "Momentum", [momentum_chart(digest["momentum"]["weeks"]),
                                          *_list([e(f) for f in w.momentum_facts(digest["momentum"])])]),
        _section("findings", "Findings", [*checked, *_list(
            [_finding(f) for f in findings["items"]], "No findings.")]),
        _section("deadlines", "Deadlines in the next 30 days", _list(
            [_deadline(d) for d in digest["deadlines"]], "No deadlines in the next 30 days.")),
        _section("next-milestones", "Next milestones",
                 milestones or ['<p class="muted">No active goal starting in the next 30 days.</p>']),
        _section("suggestions", "Suggested review decisions", [
            "<table><thead><tr><th>Goal</th><th>Pace</th><th class=\"num\">Progress</th><th>Suggestion</th>"
            "<th>Why</th></tr></thead><tbody>", *rows, "</tbody></table>"] if rows else
            ['<p class="muted">No open goals.</p>']),
        _section("late-corrections", "Late corrections", _list(
            [e(w.correction_line(item)) for item in digest.get("late_corrections") or ()],
            "Nothing was back-dated into earlier periods after their digests.")),
    ])


def _suggestion(s: dict) -> str:
    badge = _badge(w.SUGGESTIONS.get(s["suggestion"], s["suggestion"]), s["suggestion"])
    return (f"<tr><td>{e(s['statement'])}</td><td>{e(s['pace'])}</td><td class=\"num\">{round(s['progress'] * 100)}%"
            f"</td><td>{badge}</td><td>{e('; '.join(s['reasons']))}</td></tr>")


def _finding(finding: dict) -> str:
    detail = f'<br><span class="muted">{e(finding["message"])}</span>' if finding["message"] else ""
    return f"{_badge(finding['severity'] or 'unrated', finding['severity'])} {e(w.finding_line(finding))}{detail}"


def _deadline(item: dict, who: str = "") -> str:
    overdue = ' class="overdue"' if item["days_left"] < 0 else ""
    return f"<span{overdue}>{e(who)}{e(w.deadline_line(item))}</span>"


def coach_to_html(digest: dict) -> str:
    """A coach's caseload digest as one HTML page."""
    clients, wins, deadlines, findings, title = (digest["clients"], digest["wins"], digest["deadlines"],
                                                 digest["findings"], w.title(digest))
    unknown = ['<p class="muted">Not available: no client digests in this run.</p>']
    attention = [f"<strong>{e(a['display_name'])}</strong> (score {a['score']}): {e('; '.join(a['reasons']))}"
                 for a in digest["attention"]]
    win_rows = [] if wins is None else [
        f"<p>{e(w.wins_summary(wins))}. Clients without a win: {wins['clients_without_wins']}.</p>",
        "<table><thead><tr><th>Client</th><th class=\"num\">Wins</th></tr></thead><tbody>",
        *(f"<tr><td>{e(r['display_name'])}</td><td class=\"num\">{r['total']}</td></tr>" for r in wins["by_client"]),
        "</tbody></table>"]
    return _page(title, [
        _header(digest, title),
        _section("attention", f"Needing attention ({clients['needing_attention']} of "
                 f"{w.plural(clients['total'], 'client')})", _list(attention, "Nobody needs attention.")),
        _section("wins", "Wins", win_rows or unknown),
        _section("deadlines", "Deadlines in the next 30 days", unknown if deadlines is None else _list(
            [_deadline(d, f"{d['display_name']}: ") for d in deadlines], "No deadlines.")),
        _section("findings", "Findings", unknown if findings is None else _list(
            [f"{_badge(severity, severity)} {count}" for severity, count in findings["by_severity"].items()],
            "No findings.")),
    ])
