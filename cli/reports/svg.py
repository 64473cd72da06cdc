"""Small inline SVG charts for the audit report: columns over time and ranked bars.

The report must open with no network, so charts are drawn here as plain SVG
elements rather than by a JavaScript charting library from a CDN. Values are
integers (fen); labels are already formatted by the caller.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")


def yuan_label(fen: int) -> str:
    """Return a short label for a fen amount in yuan: 1,234 / 12.3万 / 1.23亿."""
    yuan = Decimal(fen) / 100
    if abs(yuan) >= 10**8:
        return f"{(yuan / 10**8).quantize(Decimal('0.01'))}亿"
    if abs(yuan) >= 10**4:
        return f"{(yuan / 10**4).quantize(Decimal('0.1'))}万"
    return f"{yuan.quantize(Decimal('1')):,}"


def column_chart(
    title: str, points: list[tuple[str, int]], *, width: int = 960, height: int = 260
) -> str:
    """Return an SVG column chart of fen amounts over ordered labels (months).

    Args:
        title: the chart's caption, shown above it and as its accessible name.
        points: ``(label, fen)`` in display order; negative values draw as zero.
        width: the drawing's width in pixels.
        height: the drawing's height in pixels.

    Returns:
        One ``<svg>`` element as text.
    """
    left, bottom, top, right = 70, 40, 24, 30
    plot_w, plot_h = width - left - right, height - bottom - top
    peak = max((v for _, v in points), default=0) or 1
    step = plot_w / max(len(points), 1)
    parts = [_frame(title, width, height)]
    for tick in range(5):
        value = peak * tick // 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="11">{yuan_label(value)}</text>'
        )
    label_every = max(1, len(points) // 12)
    for i, (label, value) in enumerate(points):
        bar_h = plot_h * max(value, 0) / peak
        x = left + i * step
        parts.append(
            f'<rect class="bar" x="{x + step * 0.1:.1f}" '
            f'y="{top + plot_h - bar_h:.1f}" width="{step * 0.8:.1f}" '
            f'height="{bar_h:.1f}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {yuan_label(value)} 元</title></rect>"
        )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle" font-size="11">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    title: str, bars: list[tuple[str, int]], *, money: bool = False, width: int = 960
) -> str:
    """Return an SVG chart of horizontal bars, one per label, longest first.

    Args:
        title: the chart's caption.
        bars: ``(label, value)`` pairs; drawn in the order given.
        money: values are fen, labelled in yuan; otherwise plain counts.
        width: the drawing's width in pixels.

    Returns:
        One ``<svg>`` element as text.
    """
    row, left, top = 24, 220, 24
    height = top + row * max(len(bars), 1) + 10
    peak = max((v for _, v in bars), default=0) or 1
    plot_w = width - left - 110
    label_of = yuan_label if money else _count_label
    parts = [_frame(title, width, height)]
    for i, (label, value) in enumerate(bars):
        y = top + i * row
        bar_w = plot_w * max(value, 0) / peak
        colour = PALETTE[i % len(PALETTE)]
        parts.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end" '
            f'font-size="12">{escape(label)}</text>'
            f'<rect class="bar" x="{left}" y="{y + 4}" width="{bar_w:.1f}" '
            f'height="{row - 8}" fill="{colour}"/>'
            f'<text x="{left + bar_w + 6:.1f}" y="{y + 16}" '
            f'font-size="12">{label_of(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _count_label(value: int) -> str:
    return f"{value:,}"


def _frame(title: str, width: int, height: int) -> str:
    safe = escape(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{safe}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="inherit">'
        f'<text x="8" y="16" font-size="13" font-weight="bold">{safe}</text>'
    )
