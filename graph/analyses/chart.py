"""The gap finder's chart: leverage against partners per challenge, as a standalone SVG.

One marker per point (challenges at the same point share it, sized by how many), the
top-left quarter shaded (where the gaps are), labels kept from overlapping; no script, no
external reference, every text escaped. ``link`` gives each single-challenge marker a URL.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from graph.analyses.gaps import WEIGHTS, ChallengeGap, GapReport

__all__ = ["leverage_chart_svg"]


@dataclass(frozen=True)
class _Frame:
    """The plot area in pixels and the axes' ranges."""

    width: int
    height: int
    left: int
    top: int
    plot_w: int
    plot_h: int
    x_step: int
    max_y: int

    @property
    def max_x(self) -> int:
        return 5 * self.x_step

    def x_of(self, v: float) -> float:
        return self.left + self.plot_w * v / self.max_x

    def y_of(self, v: float) -> float:
        return self.top + self.plot_h * (1 - v / self.max_y)


def leverage_chart_svg(
    report: GapReport,
    *,
    width: int = 760,
    height: int = 460,
    link: Callable[[str], str] | None = None,
) -> str:
    """Leverage (up) against partners on the challenge (across) as a standalone SVG.

    Challenges at the same point share one marker, sized by how many; the marker's
    ``<title>`` (a tooltip, and read by screen readers) lists them. The top-left corner
    is where the gaps are. ``link(challenge_id)`` may give each single-challenge marker
    a URL. All text is escaped; no scripts, no external references.

    >>> from graph.analyses.gaps import gaps
    >>> from graph.data import Node, to_networkx
    >>> from graph.model import NodeKind as K
    >>> g = to_networkx([Node(K.CHALLENGE, {"id": "c", "name": "<b>", "catalyst": True})], [])
    >>> svg = leverage_chart_svg(gaps(g))
    >>> svg.startswith("<svg") and "&lt;b&gt;" in svg and "<b>" not in svg
    True
    """
    rows = report.ranked
    # Round the axes up to whole steps, with room beyond the largest point.
    top_lev = max([r.leverage for r in rows] + [WEIGHTS["catalyst"] + WEIGHTS["keystone"]])
    frame = _Frame(
        width=width,
        height=height,
        left=70,
        top=50,
        plot_w=width - 70 - 30,
        plot_h=height - 50 - 60,
        x_step=max(1, math.ceil(max([r.hands for r in rows] + [1]) * 1.1 / 5)),
        max_y=math.ceil(top_lev + 0.5),
    )
    groups: dict[tuple[int, float], list[ChallengeGap]] = defaultdict(list)
    for r in rows:
        groups[(r.hands, round(r.leverage, 6))].append(r)
    out = _axes(frame, report)
    placed: list[tuple[float, float, float, float]] = []  # label boxes drawn so far
    for (hands, lev), members in sorted(groups.items(), key=lambda kv: (-kv[0][1], kv[0][0])):
        out.append(_marker(frame, hands, lev, members, placed, link))
    out.append("</svg>")
    return "\n".join(out)


def _axes(f: _Frame, report: GapReport) -> list[str]:
    """The SVG's opening, title, description, shaded gap quarter, axes and their labels."""
    basis = "stated and inferred links" if report.include_inferred else "stated links only"
    title = "Leverage against partners per challenge"
    left, top, plot_w, plot_h = f.left, f.top, f.plot_w, f.plot_h
    # role=group, not img: the points are links, and an image may not hold links (axe)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{f.width}" height="{f.height}" '
        f'viewBox="0 0 {f.width} {f.height}" role="group" aria-labelledby="lc-title lc-desc" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="lc-title">{escape(title)}</title>',
        f'<desc id="lc-desc">{escape(_describe(report))}</desc>',
        f'<rect x="{left}" y="{top}" width="{plot_w / 2:.1f}" height="{plot_h / 2:.1f}" '
        'fill="#fdf1e6"/>',
        f'<text x="{left}" y="{top - 10}" fill="#8a4b12">\u2196 high leverage, few hands '
        "(the gaps)</text>",
        f'<text x="{left + plot_w}" y="{top - 10}" text-anchor="end" fill="#555">'
        "crowded, low leverage \u2198</text>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#333"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>',
    ]
    for i in range(6):
        xv = f.x_step * i
        out.append(
            f'<text x="{f.x_of(xv):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{xv}</text>'
        )
    for i in range(f.max_y + 1):
        out.append(f'<text x="{left - 8}" y="{f.y_of(i) + 4:.1f}" text-anchor="end">{i}</text>')
    out.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{f.height - 16}" text-anchor="middle">'
        f"partners on the challenge ({escape(basis)})</text>"
    )
    out.append(
        f'<text transform="translate(18 {top + plot_h / 2:.1f}) rotate(-90)" '
        'text-anchor="middle">leverage</text>'
    )
    return out


def _marker(
    f: _Frame,
    hands: int,
    lev: float,
    members: list[ChallengeGap],
    placed: list[tuple[float, float, float, float]],
    link: Callable[[str], str] | None,
) -> str:
    """One point's marker and label (its box added to ``placed``)."""
    cx, cy = f.x_of(hands), f.y_of(lev)
    radius = 5 + 3 * math.sqrt(len(members) - 1)
    names = "; ".join(m.name for m in members)
    partners = "1 partner" if hands == 1 else f"{hands} partners"
    tip = f"{names} \u2014 {partners}, leverage {lev:g}"
    label = _short(members[0].name) if len(members) == 1 else f"{len(members)} challenges"
    colour = "#c0392b" if any(m.catalyst for m in members) else "#2c7fb8"
    # Labels go right of the marker, or left of it in the right half; a label that
    # would overlap one already drawn moves down a line until it does not.
    text_w = 6.5 * len(label)
    on_right = cx < f.left + f.plot_w / 2
    lx = cx + radius + 4 if on_right else cx - radius - 4
    x0 = lx if on_right else lx - text_w
    ly = cy + 4
    while any(
        x0 < bx1 and x0 + text_w > bx0 and ly - 11 < by1 and ly + 3 > by0
        for bx0, by0, bx1, by1 in placed
    ):
        ly += 14
    placed.append((x0, ly - 11, x0 + text_w, ly + 3))
    anchor = "start" if on_right else "end"
    marker = (
        f"<g><title>{escape(tip)}</title>"
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" fill="{colour}" '
        'fill-opacity="0.75" stroke="#fff"/>'
        f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">{escape(label)}</text></g>'
    )
    if link is not None and len(members) == 1:
        href = escape(link(members[0].challenge), quote=True)
        marker = f'<a href="{href}">{marker}</a>'
    return marker


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _describe(report: GapReport) -> str:
    top = report.ranked[:3]
    if not top:
        return "No challenges to chart."
    listed = "; ".join(f"{r.name} (leverage {r.leverage:g}, {r.hands} partners)" for r in top)
    return f"{len(report.ranked)} challenges. Highest gap scores: {listed}."
