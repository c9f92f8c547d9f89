"""The dossier as data: articles, entities, terms and events, and the relations between them.

Plain, immutable records that every other module reads. `sources` builds them from files; nothing here
touches the file system or a host.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from .problems import counted

ENTITY_TYPES = ("person", "organization", "place", "other")
"""Entity types, in the order the entities index shows them."""

NOTE_KINDS = ("note", "correction", "context")


@dataclass(frozen=True, slots=True)
class Note:
    """An editorial note anchored on an exact quote of an article's body."""

    quote: str
    text: str
    kind: str = "note"
    prefix: str = ""
    suffix: str = ""
    line: int = 0
    """The line of the note in the article's front matter, for problems."""


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    outlet: str
    published: dt.date | dt.datetime
    body: str
    path: str
    """The source file, relative to the folder that holds the dossier, for problems."""
    url: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    events: tuple[str, ...] = ()
    notes: tuple[Note, ...] = ()
    body_line: int = 1
    """The line of the source file where the body starts."""

    @property
    def date(self) -> dt.date:
        return self.published.date() if isinstance(self.published, dt.datetime) else self.published

    @property
    def sort_key(self) -> tuple:
        """Date order, with undated times first on their day and the id to break ties."""
        time = self.published.isoformat() if isinstance(self.published, dt.datetime) else ""
        return (self.date, time, self.id)


@dataclass(frozen=True, slots=True)
class Role:
    """A title an entity holds, from and to a date where known: what 'the foreign minister said' means."""

    title: str
    start: dt.date | None = None
    end: dt.date | None = None

    def held_on(self, day: dt.date | None) -> bool:
        if day is None:
            return True
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    wikidata: str | None = None
    case_sensitive: bool = True
    priority: int = 0
    line: int = 0
    accent_sensitive: bool = False
    """Match the diacritics as written: by default "Goita" finds "Goïta" and the other way round."""
    roles: tuple[Role, ...] = ()

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return _unique((self.name, *self.aliases))


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    term: str
    definition: str
    aliases: tuple[str, ...] = ()
    case_sensitive: bool = False
    priority: int = 0
    line: int = 0
    accent_sensitive: bool = False

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return _unique((self.term, *self.aliases))


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    title: str
    date: dt.date
    place: str | None = None
    summary: str = ""
    line: int = 0


@dataclass(frozen=True)
class Dossier:
    """Everything the sources say, with ids resolved and checked."""

    articles: dict[str, Article] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)

    def contents(self) -> str:
        """What the dossier holds, as the build's log and `dossier check` say it: '2 articles, 1 event'."""
        return ", ".join(
            counted(len(items), singular, plural)
            for items, singular, plural in (
                (self.articles, "article", None),
                (self.entities, "entity", "entities"),
                (self.terms, "term", None),
                (self.events, "event", None),
            )
        )

    @cached_property
    def articles_by_date(self) -> list[Article]:
        return sorted(self.articles.values(), key=lambda a: a.sort_key)

    @cached_property
    def coverage(self) -> dict[str, list[Article]]:
        """Each event's articles in date order, built in one pass over the articles."""
        found: dict[str, list[Article]] = defaultdict(list)
        for article in self.articles_by_date:
            for event_id in article.events:
                found[event_id].append(article)
        return {event_id: found.get(event_id, []) for event_id in self.events}

    @cached_property
    def events_by_date(self) -> list[Event]:
        return sorted(self.events.values(), key=lambda e: (e.date, e.id))

    @cached_property
    def _events_by_place(self) -> dict[str, list[Event]]:
        found: dict[str, list[Event]] = defaultdict(list)
        for event in self.events_by_date:
            if event.place:
                found[event.place].append(event)
        return dict(found)

    def events_at(self, entity_id: str) -> list[Event]:
        """The events that took place at an entity, in date order."""
        return self._events_by_place.get(entity_id, [])

    def other_coverage(self, article: Article) -> dict[str, list[Article]]:
        """For each event of an article, the other articles covering it."""
        return {
            event_id: [other for other in self.coverage.get(event_id, []) if other.id != article.id]
            for event_id in article.events
        }


def _unique(forms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for f in forms if f))


@dataclass(frozen=True, slots=True)
class Mention:
    """One marked mention of an entity, located in the document's plain text."""

    entity: str
    id: str
    """The element id, unique in the document, for links to the exact mention."""
    text: str
    start: int
    end: int
    context: tuple[str, str, str]
    """The words before, the mention itself, and the words after, within its sentence."""
    sentence: str | None = None
    """The id of the sentence anchor the mention stands in."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the document's prose, with the id of the anchor placed at its start."""

    id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class TermUse:
    term: str
    id: str | None
    """The element id of the mark, or None where the term was seen but not marked again."""
    text: str
    start: int
    end: int


@dataclass
class Annotation:
    """What annotating one document found; read it after `Markdown.convert`."""

    mentions: list[Mention] = field(default_factory=list)
    terms: list[TermUse] = field(default_factory=list)
    notes: dict[str, Note] = field(default_factory=dict)
    """Notes that were marked, by element id."""
    sentences: list[Sentence] = field(default_factory=list)
    problems: list[tuple[Note, str]] = field(default_factory=list)
    """Notes that could not be anchored, with the reason."""
    text: str = ""
    """The document's plain text, blocks separated by a newline: what offsets point into."""
