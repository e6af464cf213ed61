"""Where the mechanism diagram puts its boxes: a wide form and a narrow form.

Positions are in data units on each lane's canvas; :mod:`dashboard.charts.mechanism`
draws them. ``WIDE`` runs the chain left to right on a 12 × 6.75 canvas
(laptops and projectors); ``NARROW`` runs it top to bottom in one column,
with the drug and FKBP-12 in a second column beside calcineurin, on a canvas
10 units wide (about 34 px a unit on a 390 px phone, 48 px a unit tall), so
each box holds two lines of 14 px text.
"""

from __future__ import annotations

import dataclasses

from dashboard.core.mechanism import Lane


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where one form of the diagram puts its boxes, on a canvas in data units.

    Attributes
    ----------
    positions
        Box centres per lane.
    regions
        Shaded regions per lane: (x0, y0, x1, y1, label).
    size
        Box half-width and half-height per lane and element key, with
        ``"*"`` as the lane's default.
    x_range, y_range
        The canvas per lane.
    height
        Figure height per lane, CSS px.
    two_line_title
        Break the title after the step, so it fits a phone's width.
    arrow_widths
        Line width of an arrow, CSS px: (as drawn, new at this step); thinner
        where boxes sit close, so that an arrowhead stays in its gap.
    """

    positions: dict[Lane, dict[str, tuple[float, float]]]
    regions: dict[Lane, tuple[tuple[float, float, float, float, str], ...]]
    size: dict[Lane, dict[str, tuple[float, float]]]
    x_range: dict[Lane, tuple[float, float]]
    y_range: dict[Lane, tuple[float, float]]
    height: dict[Lane, int]
    two_line_title: bool = False
    arrow_widths: tuple[float, float] = (2.5, 4.0)

    def half(self, lane: Lane, key: str) -> tuple[float, float]:
        """Half-width and half-height of the box ``key``."""
        sizes = self.size[lane]
        return sizes.get(key, sizes["*"])


#: Wide screens (laptops, projectors): the chain runs left to right on a
#: 12 × 6.8 canvas.
WIDE = Layout(
    positions={
        "tcell": {
            "tcr": (1.2, 4.6),
            "calcium": (3.4, 4.6),
            "calmodulin": (5.6, 4.6),
            "calcineurin": (7.8, 4.6),
            "fkbp12": (10.6, 4.6),
            "tacrolimus": (10.6, 6.2),
            "nfat_p": (7.8, 3.05),
            "nfat": (7.8, 1.2),
            "il2": (5.2, 1.2),
            "effects": (1.6, 1.2),
            "outcome": (10.6, 1.9),
        },
        "podocyte": {
            "tacrolimus": (1.3, 6.2),
            "fkbp12": (1.3, 4.6),
            "calcineurin": (4.0, 4.6),
            "synpo_p": (6.9, 4.6),
            "synpo": (9.9, 4.6),
            "cathepsin": (9.9, 2.4),
            "actin": (6.9, 2.4),
            "leak": (4.0, 2.4),
            "outcome": (1.3, 1.0),
        },
    },
    regions={
        "tcell": (
            (0.05, 0.2, 12.0, 5.6, "T cell"),
            (3.9, 0.35, 9.05, 2.05, "Nucleus"),
        ),
        "podocyte": ((0.05, 0.2, 12.0, 5.6, "Podocyte"),),
    },
    # The podocyte's boxes sit further apart, so they are wider for its
    # longer labels.
    size={"tcell": {"*": (0.98, 0.52)}, "podocyte": {"*": (1.15, 0.52)}},
    x_range={"tcell": (-0.1, 12.1), "podocyte": (-0.1, 12.1)},
    y_range={"tcell": (0.1, 6.75), "podocyte": (0.1, 6.75)},
    height={"tcell": 370, "podocyte": 370},
)

_MAIN, _SIDE = 3.0, 8.15  # narrow form: the chain's column and the drug's column
_CHAIN, _DRUG, _WHOLE = (2.7, 0.42), (1.6, 0.42), (4.75, 0.42)

#: Narrow screens (phones held upright): the chain runs top to bottom in one
#: column, the drug and FKBP-12 in a second column beside calcineurin, on a
#: canvas 10 units wide (about 34 px a unit on a 390 px phone).
NARROW = Layout(
    positions={
        "tcell": {
            "tcr": (_MAIN, 12.6),
            "calcium": (_MAIN, 11.3),
            "calmodulin": (_MAIN, 10.0),
            "tacrolimus": (_SIDE, 10.0),
            "calcineurin": (_MAIN, 8.7),
            "fkbp12": (_SIDE, 8.7),
            "nfat_p": (_MAIN, 7.4),
            "nfat": (_MAIN, 5.8),
            "il2": (_MAIN, 4.5),
            "effects": (_MAIN, 3.0),
            "outcome": (5.0, 1.35),
        },
        "podocyte": {
            "tacrolimus": (_SIDE, 12.95),
            "calcineurin": (_MAIN, 11.3),
            "fkbp12": (_SIDE, 11.3),
            "synpo_p": (_MAIN, 10.0),
            "synpo": (_MAIN, 8.7),
            "cathepsin": (_MAIN, 7.4),
            "actin": (_MAIN, 6.1),
            "leak": (_MAIN, 4.8),
            "outcome": (5.0, 3.15),
        },
    },
    regions={
        "tcell": (
            (0.05, 2.2, 9.95, 13.5, "T cell"),
            (0.15, 3.85, 6.0, 6.75, "Nucleus"),
        ),
        "podocyte": ((0.05, 4.0, 9.95, 12.15, "Podocyte"),),
    },
    size={
        "tcell": {
            "*": _CHAIN,
            "tacrolimus": _DRUG,
            "fkbp12": _DRUG,
            "outcome": _WHOLE,
        },
        "podocyte": {
            "*": _CHAIN,
            "tacrolimus": _DRUG,
            "fkbp12": _DRUG,
            "outcome": _WHOLE,
        },
    },
    x_range={"tcell": (0.0, 10.0), "podocyte": (0.0, 10.0)},
    y_range={"tcell": (0.75, 13.6), "podocyte": (2.55, 13.55)},
    height={"tcell": 730, "podocyte": 630},
    two_line_title=True,
    arrow_widths=(2.0, 3.0),
)

#: The forms of the diagram, by name.
LAYOUTS = {"wide": WIDE, "narrow": NARROW}
