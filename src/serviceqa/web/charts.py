"""Dashboard charts as inline SVG made here on the server: no chart library, nothing to
download, and the numbers are in the page (each bar has a <title>)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH = 480
ROW = 22


def bars(rows: Sequence[tuple[str, float]], maximum: float | None = None,
         unit: str = "") -> Markup:
    """Horizontal bars, one row per (label, value); `maximum` fixes the scale (100 for %)."""
    if not rows:
        return Markup('<p class="empty">—</p>')
    top = maximum or max(v for _, v in rows) or 1
    label_w, bar_w = 170, WIDTH - 230
    parts = [f'<svg class="chart bars" viewBox="0 0 {WIDTH} {ROW * len(rows) + 4}" '
             f'role="img" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(rows):
        y = i * ROW + 2
        w = max(1.0, bar_w * value / top)
        text = f"{value:g}{unit}"
        parts.append(
            f'<g><title>{escape(label)}: {text}</title>'
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{ROW - 6}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}">{text}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line(points: Sequence[tuple[str, float]], maximum: float = 100) -> Markup:
    """A line over time: (day label, value) in order; the first and last labels shown."""
    if not points:
        return Markup('<p class="empty">—</p>')
    height, pad = 160, 30
    step = (WIDTH - 2 * pad) / max(1, len(points) - 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return pad + i * step, height - pad - (height - 2 * pad) * v / maximum

    coords = [xy(i, v) for i, (_, v) in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(label)}: '
                   f'{v:g}</title></circle>' for (x, y), (label, v) in zip(coords, points))
    axis = (f'<line x1="{pad}" y1="{height - pad}" x2="{WIDTH - pad}" y2="{height - pad}"/>'
            f'<text x="{pad}" y="{height - 8}">{escape(points[0][0])}</text>'
            f'<text x="{WIDTH - pad}" y="{height - 8}" text-anchor="end">'
            f'{escape(points[-1][0])}</text>'
            f'<text x="2" y="{pad}">{maximum:g}</text><text x="2" y="{height - pad}">0</text>')
    return Markup(f'<svg class="chart line" viewBox="0 0 {WIDTH} {height}" role="img" '
                  f'xmlns="http://www.w3.org/2000/svg">{axis}'
                  f'<polyline points="{path}" fill="none"/>{dots}</svg>')


def scatter(points: Sequence[tuple[float, float]], x_max: float = 100, y_min: float = 1,
            y_max: float = 5, x_label: str = "", y_label: str = "") -> Markup:
    """Points (x, y), e.g. QA score against CSAT stars; points on one spot are drawn once,
    larger, with their count in the <title>."""
    if not points:
        return Markup('<p class="empty">—</p>')
    height, pad = 200, 34
    counts: dict[tuple[float, float], int] = {}
    for x, y in points:
        counts[(round(x), y)] = counts.get((round(x), y), 0) + 1

    def xy(x: float, y: float) -> tuple[float, float]:
        return (pad + (WIDTH - 2 * pad) * x / x_max,
                height - pad - (height - 2 * pad) * (y - y_min) / max(1e-9, y_max - y_min))

    dots = []
    for (x, y), n in sorted(counts.items()):
        cx, cy = xy(x, y)
        dots.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{min(9.0, 3 + n ** 0.5):.1f}">'
                    f'<title>{x:g}, {y:g}: {n}</title></circle>')
    axis = (f'<line x1="{pad}" y1="{height - pad}" x2="{WIDTH - pad}" y2="{height - pad}"/>'
            f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}"/>'
            f'<text x="{pad}" y="{height - 12}">0</text>'
            f'<text x="{WIDTH - pad}" y="{height - 12}" text-anchor="end">{x_max:g}</text>'
            f'<text x="{WIDTH / 2:.0f}" y="{height - 2}" text-anchor="middle">'
            f'{escape(x_label)}</text>'
            f'<text x="4" y="{pad}">{y_max:g}</text><text x="4" y="{height - pad}">{y_min:g}</text>'
            f'<text x="4" y="{pad - 14}">{escape(y_label)}</text>')
    return Markup(f'<svg class="chart scatter" viewBox="0 0 {WIDTH} {height}" role="img" '
                  f'xmlns="http://www.w3.org/2000/svg">{axis}{"".join(dots)}</svg>')
