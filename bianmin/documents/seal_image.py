"""The picture of a round red seal (公章样式) as SVG: the unit's name on the upper arc, a five-pointed star
in the centre and the seal's kind (行政审批专用章) below it. Drawn per character so that every SVG
renderer (WeasyPrint, browsers) places the arc text the same way."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

RED = "#d7000f"
FONT = "'Noto Serif CJK SC','Noto Sans CJK SC','Source Han Serif SC',serif"


def _star(cx: float, cy: float, outer: float) -> str:
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.radians(-90 + i * 36)
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy + radius * math.sin(angle):.2f}")
    return f'<polygon points="{" ".join(points)}" fill="{RED}"/>'


def seal_svg(unit_name: str, kind_label: str = "行政审批专用章", *, code: str = "") -> str:
    """A 200×200 SVG of the seal. `code` (印章标识) is drawn small along the lower rim when given."""
    name = unit_name.strip()
    n = max(len(name), 1)
    span = min(250.0, 24.0 * n + 20)
    font_size = 22 if n <= 10 else max(14, 22 - (n - 10))
    radius = 70
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200" width="200" height="200">',
        f'<circle cx="100" cy="100" r="94" fill="none" stroke="{RED}" stroke-width="6"/>',
        _star(100, 100, 28),
    ]
    for i, char in enumerate(name):
        angle = -span / 2 + (span * (i + 0.5) / n)
        x = 100 + radius * math.sin(math.radians(angle))
        y = 100 - radius * math.cos(math.radians(angle))
        parts.append(
            f'<text x="{x:.2f}" y="{y:.2f}" transform="rotate({angle:.2f} {x:.2f} {y:.2f})" '
            f'font-family="{FONT}" font-size="{font_size}" font-weight="700" fill="{RED}" '
            f'text-anchor="middle" dominant-baseline="central">{escape(char)}</text>'
        )
    parts.append(
        f'<text x="100" y="153" font-family="{FONT}" font-size="17" font-weight="700" fill="{RED}" '
        f'text-anchor="middle" dominant-baseline="central">{escape(kind_label)}</text>'
    )
    if code:
        parts.append(
            f'<text x="100" y="176" font-family="monospace" font-size="7" fill="{RED}" '
            f'text-anchor="middle" dominant-baseline="central">{escape(code)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
