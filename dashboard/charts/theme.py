"""Shared colours, fonts and layout for every chart.

The palette is a subset of Okabe & Ito's colour-blind-safe set (Okabe M, Ito K.
Color Universal Design, 2008, https://jfly.uni-koeln.de/color/), keeping only
hues with at least 3:1 contrast against the white background so that marks
meet WCAG 2.1 success criterion 1.4.11 (non-text contrast). The one extra
hue, for "borderline", is from Paul Tol's colour-blind-safe schemes (Tol P.
Colour schemes, SRON/EPS/TN/09-002, 2021, https://personal.sron.nl/~pault/).
Greys carry no hue, so they are safe for every kind of colour vision. Colour
is never the only cue: charts also use labels, symbols, dashes or patterns.
"""

from __future__ import annotations

import plotly.graph_objects as go

BACKGROUND = "#FFFFFF"
TEXT = "#1A1A1A"
MUTED = "#595959"
GRID = "#D9D9D9"

#: Okabe-Ito hues with ≥3:1 contrast on white, in plotting order.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#595959",  # dark grey (stands in for Okabe-Ito black on large fills)
)

#: Meaning-bearing colours.
NORMAL = "#0072B2"
ABNORMAL = "#D55E00"
BORDERLINE = "#666633"  # Tol's dark yellow, 6.0:1 on white
NEUTRAL = "#595959"
KEPT = "#009E73"  # Okabe-Ito bluish green: what the drug protects

#: Pattern fills for stacked bars, so series differ without colour.
PATTERNS: tuple[str, ...] = ("", "/", ".", "x", "-", "|", "+")

FONT_FAMILY = "Source Sans Pro, Arial, sans-serif"


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#RRGGBB``."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str = BACKGROUND) -> float:
    """WCAG 2.1 contrast ratio between two ``#RRGGBB`` colours (1 to 21)."""
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def text_on(fill: str) -> str:
    """The text colour, :data:`TEXT` or white, that reads best on ``fill``."""
    return max((TEXT, "#FFFFFF"), key=lambda colour: contrast_ratio(colour, fill))


def base_layout(*, title: str, height: int = 420) -> go.Layout:
    """Layout shared by all figures: readable fonts, white ground, title at left."""
    return go.Layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 18}},
        font={"family": FONT_FAMILY, "size": 14, "color": TEXT},
        paper_bgcolor=BACKGROUND,
        plot_bgcolor=BACKGROUND,
        colorway=list(PALETTE),
        height=height,
        margin={"l": 60, "r": 30, "t": 60, "b": 60},
        hoverlabel={"font": {"size": 14}},
        xaxis={"linecolor": TEXT, "tickfont": {"color": TEXT}, "zeroline": False},
        yaxis={"linecolor": TEXT, "tickfont": {"color": TEXT}, "zeroline": False},
    )


def legend_below(rows: int = 1, **legend: object) -> dict:
    """Layout updates that put a horizontal legend under the x-axis title.

    A legend placed at a negative paper ``y`` lands on the axis title in a
    short chart; this anchors it to the bottom of the whole figure instead
    (``yref="container"``) and makes the bottom margin room for the ticks,
    the title and ``rows`` rows of legend (about 26 px a row at 14 px type).
    """
    return {
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
            **legend,
        },
        "margin": {"b": 70 + 26 * rows},
    }


def add_arrow(
    fig: go.Figure,
    tail: tuple[float, float],
    head: tuple[float, float],
    *,
    colour: str = TEXT,
    width: float = 2.5,
) -> None:
    """Draw an arrow from ``tail`` to ``head`` in data coordinates."""
    fig.add_annotation(
        x=head[0],
        y=head[1],
        ax=tail[0],
        ay=tail[1],
        xref="x",
        yref="y",
        axref="x",
        ayref="y",
        text="",
        showarrow=True,
        arrowhead=3,
        arrowsize=1.25,
        arrowwidth=width,
        arrowcolor=colour,
    )


def for_presenter(fig: go.Figure) -> go.Figure:
    """A bolder copy of ``fig`` for projection: bigger text, thicker lines and marks."""
    bold = go.Figure(fig)
    size = (bold.layout.font.size or 14) + 6
    bold.update_layout(
        font={"size": size},
        title_font={"size": size + 4},
        hoverlabel={"font": {"size": size}},
        # Taller, so that boxes sized in data units still hold the larger text.
        height=round((bold.layout.height or 450) * 1.35),
        # Room under the plot for the larger ticks, axis title and legend.
        margin={"b": round((bold.layout.margin.b or 60) * 1.4)},
    )
    for trace in bold.data:
        line = getattr(trace, "line", None)
        if line is not None and getattr(line, "width", None) is not None:
            line.width = line.width * 1.8
        elif line is not None and trace.type == "scatter":
            line.width = 4
        marker = getattr(trace, "marker", None)
        if marker is not None and isinstance(
            getattr(marker, "size", None), int | float
        ):
            marker.size = marker.size * 1.4
        for part in ("textfont", "insidetextfont", "outsidetextfont"):
            font = getattr(trace, part, None)
            if font is not None and (part == "textfont" or font.size is not None):
                font.size = (font.size or 14) + 6
    for annotation in bold.layout.annotations:
        annotation.font.size = (annotation.font.size or 14) + 5
    return bold
