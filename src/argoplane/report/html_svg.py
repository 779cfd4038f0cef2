"""Inline SVG charts: a score gauge and practice bars. No fonts or images are fetched."""

from __future__ import annotations

import math
from collections.abc import Sequence

from argoplane.report.html import esc

FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


def gauge(score: float, label: str, color: str, size: int = 150) -> str:
    """A ring filled to score/10, the score in the middle, the label under it."""
    r = size / 2 - 12
    circumference = 2 * math.pi * r
    filled = circumference * max(0.0, min(score, 10.0)) / 10
    c = size / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size + 24}" '
        f'viewBox="0 0 {size} {size + 24}" role="img" aria-label="{esc(label)}: {score:g} '
        f'out of 10">'
        f'<circle cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="#e5e7eb" stroke-width="14"/>'
        f'<circle cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="{color}" stroke-width="14" '
        f'stroke-linecap="round" stroke-dasharray="{filled:.1f} {circumference:.1f}" '
        f'transform="rotate(-90 {c} {c})"/>'
        f'<text x="{c}" y="{c + 2}" text-anchor="middle" font-family="{FONT}" font-size="30" '
        f'font-weight="700" fill="#1f2937">{score:g}</text>'
        f'<text x="{c}" y="{c + 22}" text-anchor="middle" font-family="{FONT}" font-size="12" '
        f'fill="#6b7280">out of 10</text>'
        f'<text x="{c}" y="{size + 18}" text-anchor="middle" font-family="{FONT}" '
        f'font-size="14" font-weight="600" fill="#1f2937">{esc(label)}</text></svg>'
    )


def practice_bars(rows: Sequence[tuple[str, float, Sequence[float]]],
                  series: Sequence[tuple[str, str]], width: int = 760) -> str:
    """One group of bars per practice: (title, weight, points per series); series (name, color).

    A bar's length is the share of the practice's weight earned (full, half or nothing).
    """
    label_w, bar_h, gap, top = 250, 12, 10, 30
    group_h = bar_h * len(series) + gap
    height = top + group_h * len(rows) + 10
    plot_w = width - label_w - 60
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="practice coverage">']
    x = label_w
    for i, (name, color) in enumerate(series):
        lx = label_w + i * 180
        parts.append(f'<rect x="{lx}" y="6" width="12" height="12" rx="3" fill="{color}"/>'
                     f'<text x="{lx + 18}" y="16" font-family="{FONT}" font-size="12" '
                     f'fill="#1f2937">{esc(name)}</text>')
    for tick in (0, 50, 100):
        tx = x + plot_w * tick / 100
        parts.append(f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{height - 8}" '
                     f'stroke="#e5e7eb"/>'
                     f'<text x="{tx:.1f}" y="{height - 0}" font-family="{FONT}" font-size="10" '
                     f'text-anchor="middle" fill="#6b7280">{tick}%</text>')
    for row, (title, weight, values) in enumerate(rows):
        y = top + row * group_h
        parts.append(f'<text x="{label_w - 8}" y="{y + group_h / 2 + 2:.1f}" text-anchor="end" '
                     f'font-family="{FONT}" font-size="12" fill="#1f2937">{esc(title)} '
                     f'<tspan fill="#6b7280">({weight:g})</tspan></text>')
        for i, ((_, color), value) in enumerate(zip(series, values, strict=True)):
            share = 0.0 if weight == 0 else max(0.0, min(value / weight, 1.0))
            w = max(plot_w * share, 2.0)
            parts.append(f'<rect x="{x}" y="{y + i * bar_h}" width="{w:.1f}" '
                         f'height="{bar_h - 2}" rx="2" fill="{color}" '
                         f'opacity="{1.0 if share else 0.35}"/>')
    parts.append("</svg>")
    return "".join(parts)
