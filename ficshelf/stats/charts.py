"""Bar charts drawn on the server as SVG: readable without JavaScript, styled by stats.css
(classes and presentation attributes only: the CSP allows no inline style), each with a title
and a description that say the same as the table beside it."""

from dataclasses import dataclass

WIDTH = 480
LABEL_WIDTH = 80
VALUE_WIDTH = 130
BAR_HEIGHT = 22
GAP = 8
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as shown at the bar's end
    x: int
    y: int
    width: int
    text_y: int  # the baseline of the label and the value
    value_x: int


@dataclass(frozen=True)
class Chart:
    element_id: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    bar_height: int = BAR_HEIGHT
    label_x: int = LABEL_WIDTH - 8


def bar_chart(
    element_id: str, title: str, rows: list[tuple[str, float, str]], *, maximum=None
) -> Chart:
    """A horizontal bar per (label, value, text) row; bars are scaled to `maximum` (the
    largest value when None)."""
    top = maximum if maximum is not None else max((value for _, value, _ in rows), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value, text) in enumerate(rows):
        y = TOP + index * (BAR_HEIGHT + GAP)
        width = round(room * value / top) if top else 0
        width = max(width, 1 if value else 0)
        bars.append(Bar(label, text, LABEL_WIDTH, y, width, y + 16, LABEL_WIDTH + width + 6))
    description = "; ".join(f"{label}: {text}" for label, _, text in rows) or "No figures yet."
    height = TOP * 2 + max(len(rows), 1) * (BAR_HEIGHT + GAP)
    return Chart(element_id, title, description, bars, WIDTH, height)
