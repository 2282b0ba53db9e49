"""PNG charts for phones: every unit's rate as sorted bars, and one unit's rate over time.

matplotlib is imported inside the functions (Agg canvas, no pyplot, no global figure state), so
importing this module costs nothing. Text is drawn with DejaVu Sans, which ships with matplotlib
and has every Vietnamese letter; names are NFC-normalised so precomposed glyphs are used.
"""

from __future__ import annotations

import io
import logging
import math
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from bot.core.i18n import fmt_percent_value, rate_percent
from bot.core.stats import Status

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

logger = logging.getLogger(__name__)

FONT_FAMILY = "DejaVu Sans"
MAX_UNITS_PER_IMAGE = 40
DPI = 170
WIDTH_IN = 6.4  # 1,088 px: full width on a phone, readable without zooming
ROW_IN = 0.24
MAX_LABEL = 30

BAND_COLOURS = {
    Status.AT_TARGET: "#2E7D32",
    Status.BELOW_TARGET: "#F9A825",
    Status.BELOW_WARNING: "#EF6C00",
    Status.CRITICAL: "#C62828",
    Status.NO_ITEMS: "#9E9E9E",
}

# matplotlib's rcParams are process-wide: one chart at a time (rendering is CPU-bound anyway).
_RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class Bar:
    """One unit in a ranking chart."""

    label: str
    rank: int
    numerator: int
    denominator: int
    status: Status

    @property
    def percent(self) -> Decimal:
        """Rate in percent (0 when nothing was counted)."""
        return rate_percent(self.numerator, self.denominator) or Decimal(0)


@dataclass(frozen=True)
class Legend:
    """Translated legend texts for the four bands and the threshold lines."""

    at_target: str
    below_target: str
    below_warning: str
    critical: str


@dataclass(frozen=True)
class HistoryPoint:
    """One period in a unit's history chart."""

    label: str
    numerator: int
    denominator: int


def clean_label(name: str, limit: int = MAX_LABEL) -> str:
    """NFC form, cut to `limit` characters with an ellipsis."""
    text = " ".join(unicodedata.normalize("NFC", name).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def chunk(items: Sequence[Any], per_image: int = MAX_UNITS_PER_IMAGE) -> list[Sequence[Any]]:
    """Split into the fewest images of at most `per_image`, with balanced sizes (35/35/34)."""
    if not items:
        return []
    count = math.ceil(len(items) / per_image)
    size = math.ceil(len(items) / count)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _rc() -> dict[RcKeyType, Any]:
    """Rendering settings independent of any matplotlibrc on the machine."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT_FAMILY],
        "font.size": 10,
        "axes.unicode_minus": True,
        "svg.fonttype": "none",
    }


def _percent(share: Fraction) -> Decimal:
    """A threshold as a share (0.825) in percent (82.5), exactly."""
    return Decimal(share.numerator * 100) / Decimal(share.denominator)


def _png(fig: Any) -> bytes:
    """Render a Figure with the Agg canvas."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    return buf.getvalue()


def _threshold_line(ax: Any, value: float, text: str, style: str, top: float) -> None:
    """A vertical threshold line with its label above the bars."""
    ax.axvline(value, color="#37474F", linestyle=style, linewidth=1.1, zorder=3)
    ax.text(
        value,
        top,
        text,
        ha="center",
        va="bottom",
        fontsize=9,
        color="#37474F",
        fontweight="bold",
    )


def ranking_charts(
    *,
    bars: Sequence[Bar],
    title: str,
    subtitle: str,
    legend: Legend,
    warning: Fraction,
    critical: Fraction,
    page_label: str = "{page}/{pages}",
    per_image: int = MAX_UNITS_PER_IMAGE,
) -> list[bytes]:
    """Horizontal bars of every unit's rate, best first, split into images of ≤ `per_image`."""
    pages = chunk(list(bars), per_image)
    return [
        _ranking_image(
            bars=page,
            title=title,
            subtitle=subtitle
            + ("  ·  " + page_label.format(page=index, pages=len(pages)) if len(pages) > 1 else ""),
            legend=legend,
            warning=warning,
            critical=critical,
        )
        for index, page in enumerate(pages, start=1)
    ]


def _ranking_image(
    *,
    bars: Sequence[Bar],
    title: str,
    subtitle: str,
    legend: Legend,
    warning: Fraction,
    critical: Fraction,
) -> bytes:
    """One image of a ranking chart."""
    import matplotlib
    from matplotlib.figure import Figure

    rows = max(len(bars), 3)
    header_in, footer_in = 0.95, 0.75
    height = header_in + footer_in + rows * ROW_IN + 0.3
    with _RENDER_LOCK, matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
        left = 0.40
        ax = fig.add_axes(
            (left, footer_in / height, 0.97 - left, (height - header_in - footer_in) / height)
        )
        _ranking_bars(ax, bars)
        top = -0.75 if len(bars) >= 3 else -1.75
        _threshold_line(ax, float(warning * 100), fmt_percent_value(_percent(warning)), "--", top)
        _threshold_line(ax, float(critical * 100), fmt_percent_value(_percent(critical)), ":", top)
        _ranking_frame(fig, height, title, subtitle, legend)
        return _png(fig)


def _ranking_bars(ax: Any, bars: Sequence[Bar]) -> None:
    """The bars, coloured by band, labelled with rank and name, each with its rate."""
    positions = list(range(len(bars)))
    values = [float(b.percent) for b in bars]
    ax.barh(
        positions,
        values,
        height=0.72,
        color=[BAND_COLOURS[b.status] for b in bars],
        zorder=2,
    )
    ax.set_yticks(positions)
    ax.set_yticklabels([f"{b.rank}. {clean_label(b.label)}" for b in bars], fontsize=9)
    ax.invert_yaxis()
    ax.set_ylim(len(bars) - 0.5, -0.5 if len(bars) >= 3 else -1.5)
    ax.set_xlim(0, 122)
    ticks = [0, 20, 40, 60, 80, 100]
    ax.set_xticks(ticks)
    ax.set_xticklabels([fmt_percent_value(t) for t in ticks], fontsize=8, color="#455A64")
    ax.tick_params(axis="y", length=0, pad=4)
    ax.xaxis.grid(True, color="#ECEFF1", linewidth=0.8, zorder=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#B0BEC5")
    for pos, bar in zip(positions, bars, strict=True):
        ax.text(
            float(bar.percent) + 1.2,
            pos,
            fmt_percent_value(bar.percent),
            va="center",
            ha="left",
            fontsize=8.5,
            color="#263238",
            zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85},
        )


def _ranking_frame(fig: Any, height: float, title: str, subtitle: str, legend: Legend) -> None:
    """Title and subtitle above the chart, the bands' legend below it."""
    from matplotlib.patches import Patch

    fig.text(
        0.03,
        1 - 0.22 / height,
        clean_label(title, 70),
        fontsize=12,
        fontweight="bold",
        va="top",
        color="#1A237E",
    )
    fig.text(0.03, 1 - 0.55 / height, subtitle, fontsize=9, va="top", color="#37474F")
    handles = [
        Patch(color=BAND_COLOURS[Status.AT_TARGET], label=legend.at_target),
        Patch(color=BAND_COLOURS[Status.BELOW_TARGET], label=legend.below_target),
        Patch(color=BAND_COLOURS[Status.BELOW_WARNING], label=legend.below_warning),
        Patch(color=BAND_COLOURS[Status.CRITICAL], label=legend.critical),
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=2,
        fontsize=8.5,
        frameon=False,
        bbox_to_anchor=(0.5, 0.02 / height * 4),
    )


def history_chart(
    *,
    points: Sequence[HistoryPoint],
    title: str,
    subtitle: str,
    warning: Fraction,
    critical: Fraction,
    target: Fraction,
) -> bytes:
    """A unit's rate over periods, oldest left, with the warning and critical lines."""
    import matplotlib
    from matplotlib.figure import Figure

    with _RENDER_LOCK, matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(WIDTH_IN, 3.9), dpi=DPI)
        ax = fig.add_axes((0.11, 0.1, 0.79, 0.68))
        xs = list(range(len(points)))
        values = [float(rate_percent(p.numerator, p.denominator) or 0) for p in points]
        colours = []
        for p in points:
            rate = Fraction(p.numerator, p.denominator) if p.denominator else Fraction(0)
            if rate >= target:
                colours.append(BAND_COLOURS[Status.AT_TARGET])
            elif rate >= warning:
                colours.append(BAND_COLOURS[Status.BELOW_TARGET])
            elif rate >= critical:
                colours.append(BAND_COLOURS[Status.BELOW_WARNING])
            else:
                colours.append(BAND_COLOURS[Status.CRITICAL])
        ax.plot(xs, values, color="#546E7A", linewidth=1.6, zorder=2)
        ax.scatter(xs, values, c=colours, s=60, zorder=3, edgecolors="white", linewidths=1)
        for x, value in zip(xs, values, strict=True):
            ax.annotate(
                fmt_percent_value(Decimal(str(value))),
                (x, value),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
                fontsize=8.5,
                color="#263238",
            )
        for threshold, style in ((warning, "--"), (critical, ":")):
            ax.axhline(float(threshold * 100), color="#37474F", linestyle=style, linewidth=1)
            ax.text(
                len(points) - 0.5 + 0.02,
                float(threshold * 100),
                fmt_percent_value(_percent(threshold)),
                va="center",
                ha="left",
                fontsize=8,
                color="#37474F",
            )
        ax.set_xticks(xs)
        ax.set_xticklabels([p.label for p in points], fontsize=8)
        ax.set_xlim(-0.5, max(len(points) - 0.5, 0.5))
        ax.set_ylim(0, 112)
        ticks = [0, 20, 40, 60, 80, 100]
        ax.set_yticks(ticks)
        ax.set_yticklabels([fmt_percent_value(t) for t in ticks], fontsize=8)
        ax.yaxis.grid(True, color="#ECEFF1", linewidth=0.8, zorder=0)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.text(
            0.03,
            0.96,
            clean_label(title, 70),
            fontsize=12,
            fontweight="bold",
            va="top",
            color="#1A237E",
        )
        fig.text(0.03, 0.88, subtitle, fontsize=9, va="top", color="#37474F")
        return _png(fig)
