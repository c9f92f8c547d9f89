"""Pictures drawn at build time as static SVG: an event's coverage on a time axis, and the entities
that appear with an entity.

Readable offline and without JavaScript: no script, no external font or image, the page's own font.
Deterministic: the same dossier gives the same bytes (coordinates are rounded, order is fixed).
Accessible: named by a `<title>` and a `<desc>` that says in words what the picture shows, and left
with the role browsers give an `<svg>` (`role="img"` would hide its links yet leave them clickable,
which axe-core reports as nested interactive content); the page lists the same links as text, so the
links in the picture are left out of the tab order.
This module computes the geometry; `templates/timeline.svg` and `templates/graph.svg` draw it, with
every text escaped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..sources.model import Article, Entity, Event
from ..text.sentences import MONTHS, long_date

CHAR_WIDTH = 6.6
"""An estimate of the width of a character at 12px in a sans-serif font: no font is measured."""

TIMELINE_WIDTH = 640
TIMELINE_MARGIN = 24
LANE_HEIGHT = 34
MIN_TICK_SPACING = 64
LABEL_CHARS = 28

GRAPH_WIDTH = 560
GRAPH_HEIGHT = 340
GRAPH_RADIUS = 110
MAX_NEIGHBOURS = 12
GRAPH_LABEL_CHARS = 24

TYPE_COLOURS = {"person": "#3b6fb6", "organization": "#b5543a", "place": "#2e8b57", "other": "#7a5fa6"}

TICK_STEPS_HOURS = (6, 12, 24, 48, 24 * 7, 24 * 14)
TICK_STEPS_MONTHS = (1, 3, 6, 12, 24, 60)

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    # The templates are the package's own and do not change during a build: no file is looked at again
    # each time a page renders one.
    auto_reload=False,
)
_env.filters["n"] = lambda value: f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class TimelineItem:
    x: float
    label: str
    sublabel: str
    anchor: str
    lane: int
    exact: bool
    href: str
    title: str
    day: tuple[float, float] | None = None
    """Where the article's day starts and ends on the axis, for an article whose time is not known."""


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    anchor: str


@dataclass(frozen=True)
class GraphNode:
    x: float
    y: float
    label: str
    label_x: float
    label_y: float
    anchor: str
    type: str
    count: int
    width: float
    href: str
    title: str


def timeline(
    event: Event, articles: list[Article], link: Callable[[Article], str], graph_id: str = "timeline"
) -> Markup:
    """The event's coverage on a time axis, one dot per article with its outlet; empty without coverage."""
    if not articles:
        return Markup("")
    moments = [_moment(article) for article in articles]
    first_day, last_day = min(m.date() for m, _ in moments), max(m.date() for m, _ in moments)
    start = dt.datetime.combine(min(first_day, event.date), dt.time())
    end = dt.datetime.combine(max(last_day, event.date) + dt.timedelta(days=1), dt.time())
    usable = TIMELINE_WIDTH - 2 * TIMELINE_MARGIN

    def x_of(moment: dt.datetime) -> float:
        return round(TIMELINE_MARGIN + usable * (moment - start) / (end - start), 1)

    lanes: list[list[tuple[float, float]]] = []
    items = []
    for article, (moment, exact) in sorted(
        zip(articles, moments, strict=True), key=lambda pair: (pair[1][0], pair[0].id)
    ):
        label = _shorten(article.outlet, LABEL_CHARS)
        sublabel = f"{moment.day} {MONTHS[moment.month - 1][:3]}" + (f" {moment:%H:%M}" if exact else ", day only")
        width = max(len(label), len(sublabel)) * CHAR_WIDTH + 8
        day = None
        if exact:
            x = x_of(moment)
            anchor = "start" if x + width <= TIMELINE_WIDTH - 4 else "end"
            span = (x, x + width) if anchor == "start" else (x - width, x)
        else:
            # Only the day is known: a bar across the day in the article's own lane, labelled from its
            # start, rather than a dot at a time the sources do not give.
            midnight = dt.datetime.combine(moment.date(), dt.time())
            day = (x_of(midnight), x_of(midnight + dt.timedelta(days=1)))
            x, anchor = day[0], "start"
            span = (day[0], max(day[1], day[0] + width))
        lane = next(
            (i for i, taken in enumerate(lanes) if all(span[1] + 6 <= a or b + 6 <= span[0] for a, b in taken)),
            len(lanes),
        )
        if lane == len(lanes):
            lanes.append([])
        lanes[lane].append(span)
        when = long_date(moment.date()) + (f", {moment:%H:%M} UTC" if exact else " (time not given)")
        title = f"{article.outlet}, {when}: {article.title}"
        items.append(TimelineItem(x, label, sublabel, anchor, lane, exact, link(article), title, day))
    axis_y = 12 + len(lanes) * LANE_HEIGHT + 12
    band = (
        x_of(dt.datetime.combine(event.date, dt.time())),
        x_of(dt.datetime.combine(event.date + dt.timedelta(days=1), dt.time())),
    )
    # Without a known time of day, hours on the axis would pretend to a precision the sources lack.
    ticks = _ticks(start, end, x_of, 6 if any(item.exact for item in items) else 24)
    description = (
        f"Timeline of the coverage of {event.title}: {len(articles)} article{'s' if len(articles) != 1 else ''}, "
        + (
            f"on {long_date(first_day)}. "
            if first_day == last_day
            else f"from {long_date(first_day)} to {long_date(last_day)}. "
        )
        + "; ".join(item.title for item in items)
        + "."
    )
    return Markup(
        _env.get_template("timeline.svg").render(
            id=graph_id,
            width=TIMELINE_WIDTH,
            height=axis_y + 34,
            axis_y=axis_y,
            margin=TIMELINE_MARGIN,
            lane_height=LANE_HEIGHT,
            items=items,
            ticks=ticks,
            band=band,
            event=event,
            event_date=long_date(event.date),
            title=f"Coverage of {event.title} over time",
            description=description,
        )
    )


def cooccurrence(
    entity: Entity,
    together: list[tuple[Entity, int]],
    link: Callable[[Entity], str],
    graph_id: str = "appears-with-graph",
) -> Markup:
    """The entity in the centre, the entities that appear in the same articles around it; empty if none."""
    if not together:
        return Markup("")
    shown = together[:MAX_NEIGHBOURS]
    cx, cy = GRAPH_WIDTH / 2, 150
    most = max(count for _, count in shown)
    nodes = []
    for position, (other, count) in enumerate(shown):
        angle = -math.pi / 2 + 2 * math.pi * position / len(shown)
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = round(cx + GRAPH_RADIUS * cos, 1), round(cy + GRAPH_RADIUS * sin, 1)
        lx, ly = cx + (GRAPH_RADIUS + 12) * cos, cy + (GRAPH_RADIUS + 12) * sin + 4
        anchor = "start" if cos > 0.2 else "end" if cos < -0.2 else "middle"
        if anchor == "middle":
            ly += -6 if sin < 0 else 8
        width = 1.5 if most == 1 else 1 + 4 * (count - 1) / (most - 1)
        shared = f"{count} article{'s' if count != 1 else ''}"
        nodes.append(
            GraphNode(
                x,
                y,
                _shorten(other.name, GRAPH_LABEL_CHARS),
                round(lx, 1),
                round(ly, 1),
                anchor,
                other.type,
                count,
                round(width, 1),
                link(other),
                f"{other.name}: {shared} with {entity.name}",
            )
        )
    legend, offset = [], 16.0
    for entity_type in sorted(
        {node.type for node in nodes} | {entity.type}, key=("person", "organization", "place", "other").index
    ):
        legend.append((offset, entity_type))
        offset += len(entity_type) * CHAR_WIDTH * 11 / 12 + 28
    more = len(together) - len(shown)
    description = (
        f"{entity.name} appears in the same articles as {len(together)} other "
        f"entit{'ies' if len(together) != 1 else 'y'}: "
        + "; ".join(f"{other.name} ({count} article{'s' if count != 1 else ''})" for other, count in together)
        + "."
        + (f" The picture shows the {len(shown)} that share the most articles." if more else "")
    )
    return Markup(
        _env.get_template("graph.svg").render(
            id=graph_id,
            width=GRAPH_WIDTH,
            height=GRAPH_HEIGHT,
            cx=cx,
            cy=cy,
            entity=entity,
            centre_label=_shorten(entity.name, GRAPH_LABEL_CHARS + 8),
            nodes=nodes,
            legend=legend,
            legend_y=GRAPH_HEIGHT - 14,
            more=more,
            colours=TYPE_COLOURS,
            title=f"Entities that appear with {entity.name}",
            description=description,
        )
    )


def _moment(article: Article) -> tuple[dt.datetime, bool]:
    """When the article came out, in UTC, and whether the time of day is known (noon when it is not,
    which only orders it among the day's articles: the picture shows the whole day)."""
    published = article.published
    if isinstance(published, dt.datetime):
        if published.tzinfo is not None:
            published = published.astimezone(dt.UTC).replace(tzinfo=None)
        return published, True
    return dt.datetime.combine(published, dt.time(12)), False


def _ticks(
    start: dt.datetime, end: dt.datetime, x_of: Callable[[dt.datetime], float], least_hours: int = 6
) -> list[Tick]:
    """Ticks at a round step (hours, days, weeks, months or years) of at least `least_hours` that leaves
    room for their labels."""
    usable = TIMELINE_WIDTH - 2 * TIMELINE_MARGIN
    hours = (end - start).total_seconds() / 3600
    labelled: list[tuple[dt.datetime, str]] = []
    step_hours = next(
        (h for h in TICK_STEPS_HOURS if h >= least_hours and usable * h / hours >= MIN_TICK_SPACING), None
    )
    if step_hours is not None:
        moment = start
        while moment <= end:
            day = f"{moment.day} {MONTHS[moment.month - 1][:3]}" + (f" {moment.year}" if not labelled else "")
            labelled.append((moment, f"{moment:%H:%M}" if moment.hour else day))
            moment += dt.timedelta(hours=step_hours)
    else:
        step = next(
            (m for m in TICK_STEPS_MONTHS if usable * m * 730 / hours >= MIN_TICK_SPACING), TICK_STEPS_MONTHS[-1]
        )
        moment = dt.datetime(start.year, start.month, 1)
        while moment <= end:
            index = moment.year * 12 + moment.month - 1
            if moment >= start and index % step == 0:
                labelled.append(
                    (moment, str(moment.year) if step >= 12 else f"{MONTHS[moment.month - 1][:3]} {moment.year}")
                )
            moment = _add_months(moment, 1)
    ticks = []
    for moment, label in labelled:
        x = x_of(moment)
        anchor = (
            "start" if x - TIMELINE_MARGIN < 20 else "end" if TIMELINE_WIDTH - TIMELINE_MARGIN - x < 20 else "middle"
        )
        ticks.append(Tick(x, label, anchor))
    return ticks


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    index = moment.month - 1 + months
    return moment.replace(year=moment.year + index // 12, month=index % 12 + 1)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
