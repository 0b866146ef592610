"""The digests' charts as inline SVG, no scripts: the momentum chart (wins per week as bars, habit
strength as a line) and the cohort chart (achieved and stalled shares per requirement kind).

Styled with presentation attributes only, so it renders the same inside the
HTML digest, in an e-mail client or saved as a file. Bars scale to the
busiest week (at least 1 win); the habit line uses a 0–100% right-hand axis.
The chart scales to its container (a viewBox, width 100%), so its geometry
and FONT_SIZE are in chart units: a small viewBox and a large font keep the
labels legible at phone width (14 units are 10.7 px when the chart is 336 px
wide). Week labels are thinned to at most MAX_WEEK_LABELS so they never overlap.
"""

from __future__ import annotations

from html import escape
from math import ceil

from services.digests.words import chart_label, plural

WIDTH, HEIGHT = 440, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 50, 32, 34
FONT_SIZE, MAX_WEEK_LABELS = 14, 6
BAR_COLOUR, LINE_COLOUR, AXIS_COLOUR = "#2f6f9f", "#e07a1f", "#8a94a6"


def momentum_chart(weeks: list[dict]) -> str:
    """`<svg id="momentum-chart">`: one `rect.bar` per week, a `polyline.habit`, axes and week labels."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    top = max([week["total"] for week in weeks] + [1])
    slot = plot_w / max(len(weeks), 1)
    every = max(1, ceil(len(weeks) / MAX_WEEK_LABELS))
    label = escape(chart_label(weeks))
    parts = [
        f'<svg id="momentum-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{label}">',
        f"<title>{label}</title>",
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="{AXIS_COLOUR}"/>',
        _text(LEFT - 6, TOP + 5, str(top), "end"),
        _text(LEFT - 6, base, "0", "end"),
        _text(WIDTH - RIGHT + 6, TOP + 5, "100%", "start"),
        _text(WIDTH - RIGHT + 6, base, "0%", "start"),
        f'<line x1="{LEFT}" y1="{TOP}" x2="{WIDTH - RIGHT}" y2="{TOP}" stroke="{AXIS_COLOUR}" '
        'stroke-dasharray="2 4" stroke-width="0.5"/>',
    ]
    points = []
    for index, week in enumerate(weeks):
        centre = LEFT + slot * (index + 0.5)
        height = plot_h * week["total"] / top
        title = escape(
            f"{week['week']}: {plural(week['total'], 'win')}, habit strength "
            f"{round(week['habit_strength'] * 100)}%"
        )
        parts.append(
            f'<rect class="bar" data-week="{escape(week["week"])}" data-wins="{week["total"]}" '
            f'x="{centre - slot * 0.3:.1f}" y="{base - height:.1f}" width="{slot * 0.6:.1f}" '
            f'height="{height:.1f}" fill="{BAR_COLOUR}" rx="2"><title>{title}</title></rect>'
        )
        if (len(weeks) - 1 - index) % every == 0:  # the latest week always has its label
            parts.append(_text(centre, base + FONT_SIZE + 6, escape(week["week"][-3:]), "middle"))
        points.append((centre, base - plot_h * week["habit_strength"]))
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts.append(
        f'<polyline class="habit" points="{line}" fill="none" stroke="{LINE_COLOUR}" '
        'stroke-width="2.5" stroke-linejoin="round"/>'
    )
    parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{LINE_COLOUR}"/>' for x, y in points]
    parts += _legend()
    parts.append("</svg>")
    return "\n".join(parts)


def _text(x: float, y: float, text: str, anchor: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{FONT_SIZE}" '
        f'font-family="system-ui, sans-serif" fill="#4a5468">{text}</text>'
    )


def _legend() -> list[str]:
    y = 16
    return [
        f'<rect x="{LEFT}" y="{y - 11}" width="12" height="12" fill="{BAR_COLOUR}" rx="2"/>',
        _text(LEFT + 18, y, "wins per week", "start"),
        f'<line x1="{LEFT + 132}" y1="{y - 5}" x2="{LEFT + 152}" y2="{y - 5}" stroke="{LINE_COLOUR}" '
        'stroke-width="2.5"/>',
        _text(LEFT + 158, y, "habit strength", "start"),
    ]


def cohort_chart(kinds: list[dict]) -> str:
    """`<svg id="cohort-chart">`: per requirement kind a `rect.achieved` and a `rect.stalled` bar (0–100%)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    slot = plot_w / max(len(kinds), 1)
    label = escape(cohort_label(kinds))
    parts = [
        f'<svg id="cohort-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{label}">',
        f"<title>{label}</title>",
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="{AXIS_COLOUR}"/>',
        _text(LEFT - 6, TOP + 5, "100%", "end"),
        _text(LEFT - 6, base, "0%", "end"),
    ]
    for index, kind in enumerate(kinds):
        left = LEFT + slot * index
        for offset, (name, colour) in enumerate(
            (("achieved", BAR_COLOUR), ("stalled", LINE_COLOUR))
        ):
            value = kind[f"{name}_share"] or 0.0
            height = plot_h * value
            title = escape(
                f"{kind['kind']}: {round(value * 100)}% {name} of {plural(kind['goals'], 'goal')}"
            )
            parts.append(
                f'<rect class="{name}" data-kind="{escape(kind["kind"])}" data-share="{value}" '
                f'x="{left + slot * (0.15 + 0.35 * offset):.1f}" y="{base - height:.1f}" '
                f'width="{slot * 0.35:.1f}" height="{height:.1f}" fill="{colour}" rx="2">'
                f"<title>{title}</title></rect>"
            )
        parts.append(_text(left + slot / 2, base + FONT_SIZE + 6, escape(kind["kind"]), "middle"))
    y = 16
    parts += [
        f'<rect x="{LEFT}" y="{y - 11}" width="12" height="12" fill="{BAR_COLOUR}" rx="2"/>',
        _text(LEFT + 18, y, "achieved", "start"),
        f'<rect x="{LEFT + 110}" y="{y - 11}" width="12" height="12" fill="{LINE_COLOUR}" rx="2"/>',
        _text(LEFT + 128, y, "stalled", "start"),
        "</svg>",
    ]
    return "\n".join(parts)


def cohort_label(kinds: list[dict]) -> str:
    """The cohort chart's accessible description: each kind's goals and achieved and stalled shares."""
    shares = "; ".join(
        f"{k['kind']}: {plural(k['goals'], 'goal')}, {round((k['achieved_share'] or 0) * 100)}% achieved, "
        f"{round((k['stalled_share'] or 0) * 100)}% stalled"
        for k in kinds
    )
    return f"Goals set in the period per requirement kind ({shares or 'none'})"
