"""`dossier diff`: what a change does to the published dossier, compared record by record.

    dossier diff main                 # the working tree against main
    dossier diff HEAD~1 HEAD          # what the last commit did
    dossier diff "$BASE" --format github

The two sides come from `revisions` (read from git, checked and annotated); the report is written
by `diff_report`. The comparison's cost grows with the number of articles; an event's comparison is
worked out again only where one of its articles changed.

How things are matched across the two sides:
- an article, entity, term or event is the same when its id is; an id that disappears while another
  appears with exactly the same content (every field but the id) is a rename;
- a mention or a term use is the same when it stands in the same article, with the same words, in the
  same words around it (its sentence's context), so an edit elsewhere in the article moves nothing;
- a note is the same when its quote, prefix and suffix are; it matches a different place when neither
  the words before its quote nor the words after it are those of the other side;
- a problem is the same when its severity, file and message are (line numbers aside, as edits move
  lines).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import posixpath
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..analysis.compare import CompareOptions, compare_event
from ..analysis.quotes import find_quotes
from ..site import pages
from ..sources.model import Annotation, Article, Dossier, Note
from ..sources.problems import Problem, Severity
from ..text.matcher import normalize
from ..text.sentences import excerpt
from .revisions import WORKING_TREE, DiffError, Side, read_side, repository_of, resolve_revision

# The narrow door to the analysis layer: `dossier diff` reads only who said which words, and which
# sentences of an event's articles the comparison holds for the same fact.


def _quotes(side: Side, article_id: str) -> list:
    return find_quotes(article_id, side.annotations[article_id], side.entity_types)


def _shared_facts(
    dossier: Dossier, event_id: str, annotations: Mapping[str, Annotation], options: CompareOptions, quotes: Mapping
) -> list[tuple[tuple[str, str], ...]]:
    """Each group of sentences the event's comparison holds for one fact, as (article id, sentence)."""
    articles = [a for a in dossier.coverage.get(event_id, []) if a.id in annotations]
    if len(articles) < 2:
        return []
    comparison = compare_event(
        dossier.events[event_id], articles, annotations, dossier.entities, options, quotes=quotes
    )
    return [tuple((s.article.id, s.sentence.text) for s in group.statements) for group in comparison.shared]


# Matching records across the sides.


def _content(record):
    """A record with its id and where it stands blanked: what a rename keeps."""
    if isinstance(record, Article):
        notes = tuple(dataclasses.replace(note, line=0) for note in record.notes)
        return dataclasses.replace(record, id="", path="", body_line=0, notes=notes)
    return dataclasses.replace(record, id="", line=0)


@dataclass
class RecordChanges:
    kind: str
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    renamed: list = field(default_factory=list)
    """(old record, new record) pairs."""
    changed: list = field(default_factory=list)
    """(old record, new record, [what changed])."""

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.renamed or self.changed)


def _match_records(
    kind: str, old: Mapping[str, object], new: Mapping[str, object], rewrite: Callable = lambda r: r
) -> tuple[RecordChanges, dict[str, str]]:
    """Added, removed, renamed and changed records; `rewrite` maps an old record's references to
    other records through their renames, so that a rename is not also a change of what points to it."""
    changes = RecordChanges(kind)
    old_content = {key: _content(rewrite(record)) for key, record in old.items()}
    gone = [key for key in old if key not in new]
    by_content: dict = defaultdict(list)
    for key in gone:
        by_content[old_content[key]].append(key)
    renames: dict[str, str] = {}
    for key, record in new.items():
        if key in old:
            if old_content[key] != _content(record):
                changes.changed.append((old[key], record, _what_changed(rewrite(old[key]), record)))
            continue
        candidates = by_content.get(_content(record))
        if candidates:
            renames[candidates.pop(0)] = key
            continue
        changes.added.append(record)
    changes.renamed = [(old[key], new[target]) for key, target in renames.items()]
    changes.removed = [old[key] for key in gone if key not in renames]
    return changes, renames


def _what_changed(old, new) -> list[str]:
    said = []
    for name in (f.name for f in dataclasses.fields(old)):
        if name in ("id", "line", "path", "body_line"):
            continue
        before, after = getattr(old, name), getattr(new, name)
        if name == "notes":
            before = tuple(dataclasses.replace(n, line=0) for n in before)
            after = tuple(dataclasses.replace(n, line=0) for n in after)
        if before == after:
            continue
        if name == "aliases":
            lost = [a for a in before if a not in after]
            gained = [a for a in after if a not in before]
            said += [f"alias '{a}' removed" for a in lost] + [f"alias '{a}' added" for a in gained]
        elif name == "body":
            said.append("text edited")
        elif name == "notes":
            lost = sum(1 for n in before if n not in after)
            gained = sum(1 for n in after if n not in before)
            said.append(
                f"notes: {gained} added or edited, {lost} removed or edited"
                if lost and gained
                else f"notes: {gained} added"
                if gained
                else f"notes: {lost} removed"
            )
        elif isinstance(before, (str, int, float, bool, type(None))) and len(str(before)) + len(str(after)) < 120:
            said.append(f"{name} '{before}' → '{after}'")
        else:
            said.append(f"{name} changed")
    return said


@dataclass
class Renames:
    articles: dict[str, str]
    entities: dict[str, str]
    terms: dict[str, str]
    events: dict[str, str]


# Mentions and term uses.


@dataclass(frozen=True)
class Place:
    """A mention or term use: where it stands, in words."""

    article: str
    target: str
    text: str
    before: str
    after: str

    @property
    def spot(self) -> tuple[str, str, str, str]:
        return self.article, self.text, self.before, self.after


def _annotated(side: Side, renames: Renames | None, same: set[str]) -> Iterator[tuple[str, Annotation]]:
    """(article id as the new side names it, annotation) of the articles not in `same`."""
    articles = renames.articles if renames else {}
    for article_id, annotation in (side.annotations or {}).items():
        if article_id not in same:
            yield articles.get(article_id, article_id), annotation


def _mentions(side: Side, renames: Renames | None, same: set[str]) -> Counter:
    entities = renames.entities if renames else {}
    found: Counter = Counter()
    for shown, annotation in _annotated(side, renames, same):
        for mention in annotation.mentions:
            before, text, after = mention.context
            found[Place(shown, entities.get(mention.entity, mention.entity), text, before, after)] += 1
    return found


def _term_uses(side: Side, renames: Renames | None, same: set[str]) -> Counter:
    terms = renames.terms if renames else {}
    found: Counter = Counter()
    for shown, annotation in _annotated(side, renames, same):
        sentences = annotation.sentences
        index = 0
        for use in sorted(annotation.terms, key=lambda u: u.start):
            while index < len(sentences) and sentences[index].end <= use.start:
                index += 1
            bounds = None
            if index < len(sentences) and sentences[index].start <= use.start:
                bounds = (sentences[index].start, sentences[index].end)
            if bounds is None:
                line_start = annotation.text.rfind("\n", 0, use.start) + 1
                line_end = annotation.text.find("\n", use.end)
                bounds = (line_start, len(annotation.text) if line_end == -1 else line_end)
            before, text, after = excerpt(annotation.text, use.start, use.end, bounds)
            found[Place(shown, terms.get(use.term, use.term), text, before, after)] += 1
    return found


@dataclass
class PlaceChanges:
    lost: dict[str, list[Place]] = field(default_factory=dict)
    gained: dict[str, list[Place]] = field(default_factory=dict)
    moved: list[tuple[Place, Place]] = field(default_factory=list)
    """(as it was, as it is): the same words in the same place, now another entity's (or term's)."""


def _compare_places(old: Counter, new: Counter) -> PlaceChanges:
    lost, gained = old - new, new - old
    waiting: dict[tuple, list[Place]] = defaultdict(list)
    for place, count in lost.items():
        waiting[place.spot].extend([place] * count)
    result = PlaceChanges()
    for place, count in sorted(gained.items(), key=lambda item: _place_order(item[0])):
        for _ in range(count):
            was = waiting.get(place.spot)
            if was:
                previous = was.pop(0)
                lost[previous] -= 1
                result.moved.append((previous, place))
            else:
                result.gained.setdefault(place.target, []).append(place)
    # What is left of the same words of the same article, lost in one sentence and gained in another,
    # is a mention kept in an edited sentence: the entity's page lists it still.
    kept = Counter({(p.article, p.target, p.text): n for p, n in lost.items() if n > 0})
    edited = Counter((p.article, p.target, p.text) for places in result.gained.values() for p in places)
    both = kept & edited
    for target, places in list(result.gained.items()):
        result.gained[target] = [p for p in places if not _take(both, (p.article, p.target, p.text))]
        if not result.gained[target]:
            del result.gained[target]
    both = kept & edited
    for place, count in sorted(lost.items(), key=lambda item: _place_order(item[0])):
        for _ in range(max(0, count)):
            if not _take(both, (place.article, place.target, place.text)):
                result.lost.setdefault(place.target, []).append(place)
    return result


def _take(counter: Counter, key) -> bool:
    """Take one `key` from `counter`, if it holds one."""
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


def _place_order(place: Place) -> tuple:
    return place.target, place.article, place.before, place.text


# Notes.


@dataclass(frozen=True)
class NoteChange:
    article: Article
    note: Note
    what: str
    """'lost' (its quote is no longer found) or 'moved' (found at another place)."""
    reason: str = ""
    was: tuple[str, str, str] = ("", "", "")
    now: tuple[str, str, str] = ("", "", "")


def _note_place(text: str, note: Note) -> tuple[str, str, str] | None:
    """The words around where a note's quote is anchored, found as the extension finds it."""
    normalized = normalize(text)
    quote, prefix, suffix = normalize(note.quote), normalize(note.prefix), normalize(note.suffix)
    start = normalized.find(quote)
    while start != -1:
        end = start + len(quote)
        if normalized[:start].endswith(prefix) and normalized[end:].startswith(suffix):
            return excerpt(text, start, end, words=8)
        start = normalized.find(quote, start + 1)
    return None


def _same_place(was: tuple[str, str, str], now: tuple[str, str, str]) -> bool:
    return was[0].split()[-3:] == now[0].split()[-3:] or was[2].split()[:3] == now[2].split()[:3]


def _compare_notes(old: Side, new: Side, renames: Renames) -> list[NoteChange]:
    changes = []
    back = {new_id: old_id for old_id, new_id in renames.articles.items()}
    for article in new.dossier.articles_by_date:
        before = old.dossier.articles.get(back.get(article.id, article.id))
        if before is None or not article.notes:
            continue
        old_annotation, new_annotation = old.annotations[before.id], new.annotations[article.id]
        old_failed = {_note_key(n) for n, _ in old_annotation.problems}
        new_failed = {_note_key(n): reason for n, reason in new_annotation.problems}
        old_notes = {_note_key(n): n for n in before.notes}
        for note in article.notes:
            key = _note_key(note)
            if key not in old_notes or key in old_failed:
                continue
            if key in new_failed:
                changes.append(NoteChange(article, note, "lost", new_failed[key]))
                continue
            was = _note_place(old_annotation.text, old_notes[key])
            now = _note_place(new_annotation.text, note)
            if was is not None and now is not None and not _same_place(was, now):
                changes.append(NoteChange(article, note, "moved", was=was, now=now))
    return changes


def _note_key(note: Note) -> tuple[str, str, str]:
    return note.quote, note.prefix, note.suffix


# Links to the dossier's pages.

_INLINE_LINK = re.compile(r"\]\(\s*<?([^()\s<>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_HREF = re.compile(r"""\bhref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)[^`]+?\1")


def _pages_of(side: Side) -> tuple[set[str], set[str]]:
    """The site's pages (by source path, as links name them) and the glossary's anchors."""
    dossier = side.dossier
    found = {pages.ARTICLES_INDEX, pages.ENTITIES_INDEX, pages.EVENTS_INDEX, pages.GLOSSARY}
    found.update(pages.ARTICLE.format(id=key) for key in dossier.articles)
    found.update(pages.ENTITY.format(id=key) for key in dossier.entities)
    found.update(pages.EVENT.format(id=key) for key in dossier.events)
    found.update(page.src for page in side.docs)
    return found, set(dossier.terms)


def _links(text: str) -> Iterator[tuple[int, str]]:
    """(offset, target) of each link in Markdown text, outside code."""
    if "](" not in text and "]:" not in text and "href" not in text.lower():
        return
    if "`" in text or "~~~" in text:
        text = _FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
        text = _CODE_SPAN.sub(lambda m: " " * len(m.group()), text)
    for pattern in (_INLINE_LINK, _REFERENCE, _HREF):
        for found in pattern.finditer(text):
            yield found.start(1), found.group(1)


def _link_problems(side: Side, renames: dict[str, str]) -> list[Problem]:
    """A warning for each relative link, in an article or a docs page, to a page the site will not have.

    `renames` (old page → new page) adds where the page went.
    """
    known, anchors = _pages_of(side)
    sources = [
        (pages.ARTICLE.format(id=a.id), side.root.parent / a.path, a.body, a.body_line)
        for a in side.dossier.articles_by_date
    ]
    sources += [(page.src, page.path, page.text, 1) for page in side.docs]
    found = []
    for src, path, text, first_line in sources:
        for offset, target in _links(text):
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
                continue
            page = posixpath.normpath(posixpath.join(posixpath.dirname(src), unquote(parts.path)))
            if not page.endswith(".md"):
                continue
            line = first_line + text.count("\n", 0, offset)
            what = _page_name(page)
            if page not in known:
                message = f"the link '{target}' points to {what}, which the site does not have"
                if page in renames:
                    message += f"; it is now {_page_name(renames[page])} ({_relative(renames[page], src)})"
            elif page == pages.GLOSSARY and parts.fragment and parts.fragment not in anchors:
                message = f"the link '{target}' points to glossary term '{parts.fragment}', which does not exist"
            else:
                continue
            found.append(
                Problem(Path(os.path.relpath(path, side.root.parent)).as_posix(), line, message, Severity.WARNING)
            )
    return found


_PAGE_KINDS = ((pages.ARTICLE, "article"), (pages.ENTITY, "entity"), (pages.EVENT, "event"))


def _page_name(page: str) -> str:
    for pattern, kind in _PAGE_KINDS:
        folder = pattern.split("{", 1)[0]
        if page.startswith(folder) and "/" not in page[len(folder) :] and page != folder + "index.md":
            return f"{kind} '{page[len(folder) : -3]}'"
    return f"the page '{page}'"


def _relative(page: str, src: str) -> str:
    return posixpath.relpath(page, posixpath.dirname(src) or ".")


def _page_renames(renames: Renames) -> dict[str, str]:
    moved = {}
    for pattern, mapping in (
        (pages.ARTICLE, renames.articles),
        (pages.ENTITY, renames.entities),
        (pages.EVENT, renames.events),
    ):
        moved.update({pattern.format(id=old): pattern.format(id=new) for old, new in mapping.items()})
    return moved


# Problems.

_LINE_NUMBER = re.compile(r"\bline \d+")


def _problem_key(problem: Problem, paths: Mapping[str, str]) -> tuple:
    return problem.severity, paths.get(problem.path, problem.path), _LINE_NUMBER.sub("line …", problem.message)


def _compare_problems(old: list[Problem], new: list[Problem], paths: Mapping[str, str]):
    """(new problems, fixed problems): `paths` maps old files to new ones (renamed articles)."""
    old_keys = Counter(_problem_key(p, paths) for p in old)
    new_keys = Counter(_problem_key(p, {}) for p in new)
    added, fixed = new_keys - old_keys, old_keys - new_keys
    brought = []
    for problem in new:
        key = _problem_key(problem, {})
        if added[key] > 0:
            added[key] -= 1
            brought.append(problem)
    gone = []
    for problem in old:
        key = _problem_key(problem, paths)
        if fixed[key] > 0:
            fixed[key] -= 1
            gone.append(problem)
    return brought, gone


# Events: the comparison's shared facts and the quotes.


def _fingerprint(side: Side, article_id: str, renames: Renames | None) -> tuple:
    """What an article's quotes and statements depend on: its text and where its mentions stand."""
    annotation = side.annotations[article_id]
    entities = renames.entities if renames else {}
    types = side.dossier.entities
    return (
        annotation.text,
        tuple(
            (entities.get(m.entity, m.entity), m.start, m.end, types[m.entity].type if m.entity in types else "")
            for m in annotation.mentions
        ),
    )


@dataclass
class QuoteChange:
    article: str
    speaker: str | None
    text: str
    what: str
    """'added', 'lost', or 'speaker' (the same words, now attributed to someone else)."""
    was: str | None = None


@dataclass
class EventChanges:
    event: str
    title: str
    joined: list[tuple[list[tuple[str, str]], list[tuple[str, str]]]] = field(default_factory=list)
    """For each group of the comparison that statements joined: those (article id, sentence), and the
    group's other statements."""
    left: list[tuple[list[tuple[str, str]], list[tuple[str, str]]]] = field(default_factory=list)
    """The same for the groups that statements left, as the groups were."""
    quotes: list[QuoteChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.joined or self.left or self.quotes)


def _compare_events(old: Side, new: Side, renames: Renames) -> list[EventChanges]:
    back_articles = {new_id: old_id for old_id, new_id in renames.articles.items()}
    back_events = {new_id: old_id for old_id, new_id in renames.events.items()}
    changed_articles = set()
    for article_id in new.dossier.articles:
        old_id = back_articles.get(article_id, article_id)
        if old_id not in old.dossier.articles or _fingerprint(old, old_id, renames) != _fingerprint(
            new, article_id, None
        ):
            changed_articles.add(article_id)
    removed_articles = [
        old_id for old_id in old.dossier.articles if renames.articles.get(old_id, old_id) not in new.dossier.articles
    ]
    old_quotes = {
        old_id: _quotes(old, old_id)
        for old_id in [back_articles.get(a, a) for a in changed_articles] + removed_articles
        if old_id in old.dossier.articles
    }
    new_quotes = {a: _quotes(new, a) for a in changed_articles}

    quote_changes: dict[str, list[QuoteChange]] = {}
    for article_id in sorted(changed_articles | {renames.articles.get(a, a) for a in removed_articles}):
        old_id = back_articles.get(article_id, article_id)
        quote_changes[article_id] = _compare_quotes(
            article_id,
            [(renames.entities.get(q.speaker, q.speaker), q.text) for q in old_quotes.get(old_id, [])],
            [(q.speaker, q.text) for q in new_quotes.get(article_id, [])],
        )

    events_of: dict[str, set[str]] = defaultdict(set)
    for article_id in quote_changes:
        if article_id in new.dossier.articles:
            events_of[article_id].update(new.dossier.articles[article_id].events)
        old_id = back_articles.get(article_id, article_id)
        if old_id in old.dossier.articles:
            events_of[article_id].update(renames.events.get(e, e) for e in old.dossier.articles[old_id].events)

    found = []
    for event in new.dossier.events_by_date:
        old_event = back_events.get(event.id, event.id)
        covered = {a.id for a in new.dossier.coverage.get(event.id, [])}
        covered_before = {renames.articles.get(a.id, a.id) for a in old.dossier.coverage.get(old_event, [])}
        changes = EventChanges(event.id, event.title)
        settings = old.settings.comparison != new.settings.comparison
        if old_event in old.dossier.events and (covered & changed_articles or covered != covered_before or settings):
            old_facts = _shared_facts(
                old.dossier,
                old_event,
                old.annotations,
                old.settings.comparison,
                _event_quotes(old, old_event, old_quotes),
            )
            new_facts = _shared_facts(
                new.dossier,
                event.id,
                new.annotations,
                new.settings.comparison,
                _event_quotes(new, event.id, new_quotes),
            )
            edited = _edited_sentences(old, new, renames, covered & changed_articles)
            old_groups = [
                [edited.get(key, key) for key in ((renames.articles.get(a, a), text) for a, text in group)]
                for group in old_facts
            ]
            new_groups = [list(group) for group in new_facts]
            changes.joined = _group_changes(new_groups, old_groups)
            changes.left = _group_changes(old_groups, new_groups)
        changes.quotes = [
            change
            for article_id, article_changes in quote_changes.items()
            if event.id in events_of[article_id]
            for change in article_changes
        ]
        if changes:
            found.append(changes)
    loose = EventChanges("", "Articles in no event (or in events removed)")
    loose.quotes = [
        change
        for article_id, article_changes in quote_changes.items()
        if not events_of[article_id] & new.dossier.events.keys()
        for change in article_changes
    ]
    if loose:
        found.append(loose)
    return found


def _event_quotes(side: Side, event_id: str, known: dict[str, list]) -> dict[str, list]:
    """The quotes of an event's articles, found once per article."""
    for article in side.dossier.coverage.get(event_id, []):
        if article.id not in known:
            known[article.id] = _quotes(side, article.id)
    return known


def _edited_sentences(old: Side, new: Side, renames: Renames, articles: Iterable[str]) -> dict:
    """(article, sentence as it was) → (article, sentence as it is) for each sentence an edit rewrote.

    The two versions of an article's sentences are aligned as a diff aligns lines; where a run of
    sentences is replaced by as many others, each one is taken for an edit of the one it replaces, so
    that a fact whose wording changed is not reported as leaving the comparison and joining it again.
    """
    back = {new_id: old_id for old_id, new_id in renames.articles.items()}
    edited = {}
    for article_id in articles:
        old_id = back.get(article_id, article_id)
        if old_id not in old.annotations:
            continue
        before = [s.text for s in old.annotations[old_id].sentences]
        after = [s.text for s in new.annotations[article_id].sentences]
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for operation, i1, i2, j1, j2 in matcher.get_opcodes():
            if operation == "replace" and i2 - i1 == j2 - j1:
                for was, now in zip(before[i1:i2], after[j1:j2], strict=True):
                    edited[(article_id, was)] = (article_id, now)
    return edited


def _group_changes(groups: list[list[tuple[str, str]]], other: list[list[tuple[str, str]]]) -> list:
    """For each group of `groups` with statements that no group of `other` holds: (those, the rest)."""
    shared_there = {member for group in other for member in group}
    found = []
    for group in groups:
        moved = [member for member in group if member not in shared_there]
        if moved:
            found.append((moved, [member for member in group if member in shared_there]))
    return found


def _compare_quotes(article_id: str, old: list[tuple], new: list[tuple]) -> list[QuoteChange]:
    lost, added = Counter(old) - Counter(new), Counter(new) - Counter(old)
    changes = []
    waiting: dict[str, list[str | None]] = defaultdict(list)
    for (speaker, text), count in lost.items():
        waiting[text].extend([speaker] * count)
    for (speaker, text), count in added.items():
        for _ in range(count):
            if waiting.get(text):
                was = waiting[text].pop(0)
                lost[(was, text)] -= 1
                changes.append(QuoteChange(article_id, speaker, text, "speaker", was))
            else:
                changes.append(QuoteChange(article_id, speaker, text, "added"))
    for (speaker, text), count in lost.items():
        changes.extend(QuoteChange(article_id, speaker, text, "lost") for _ in range(max(0, count)))
    return changes


# The whole comparison.


@dataclass
class DossierDiff:
    old: Side
    new: Side
    records: list[RecordChanges] = field(default_factory=list)
    renames: Renames | None = None
    new_problems: list[Problem] = field(default_factory=list)
    fixed_problems: list[Problem] = field(default_factory=list)
    new_links: list[Problem] = field(default_factory=list)
    fixed_links: list[Problem] = field(default_factory=list)
    mentions: PlaceChanges = field(default_factory=PlaceChanges)
    terms: PlaceChanges = field(default_factory=PlaceChanges)
    notes: list[NoteChange] = field(default_factory=list)
    events: list[EventChanges] = field(default_factory=list)
    annotated: bool = True
    """False when a side's sources have errors, so that only problems and records could be compared."""

    @property
    def fails(self) -> bool:
        """The change brings a new warning or error."""
        return any(p.severity is not Severity.INFO for p in self.new_problems + self.new_links)


def compare_sides(old: Side, new: Side) -> DossierDiff:
    entities, entity_renames = _match_records("entity", old.dossier.entities, new.dossier.entities)
    terms, term_renames = _match_records("term", old.dossier.terms, new.dossier.terms)

    def event_refs(event):
        return dataclasses.replace(event, place=entity_renames.get(event.place, event.place))

    events, event_renames = _match_records("event", old.dossier.events, new.dossier.events, event_refs)

    def article_refs(article):
        return dataclasses.replace(article, events=tuple(event_renames.get(e, e) for e in article.events))

    articles, article_renames = _match_records("article", old.dossier.articles, new.dossier.articles, article_refs)
    renames = Renames(article_renames, entity_renames, term_renames, event_renames)
    result = DossierDiff(old, new, [articles, entities, terms, events], renames)

    paths = {old.dossier.articles[a].path: new.dossier.articles[b].path for a, b in article_renames.items()}
    result.new_problems, result.fixed_problems = _compare_problems(list(old.problems), list(new.problems), paths)
    severities = list(Severity)
    for found in (result.new_problems, result.fixed_problems):
        found.sort(key=lambda p: severities.index(p.severity))
    moved_pages = _page_renames(renames)
    result.new_links, result.fixed_links = _compare_problems(
        _link_problems(old, {}), _link_problems(new, moved_pages), paths
    )
    if old.annotations is None or new.annotations is None:
        result.annotated = False
        return result
    # An article annotated once for both sides has the same mentions and term uses on both.
    same = {key for key, annotation in old.annotations.items() if new.annotations.get(key) is annotation}
    result.mentions = _compare_places(_mentions(old, renames, same), _mentions(new, None, same))
    result.terms = _compare_places(_term_uses(old, renames, same), _term_uses(new, None, same))
    result.notes = _compare_notes(old, new, renames)
    result.events = _compare_events(old, new, renames)
    return result


def diff_revisions(
    base: str,
    head: str | None,
    config_file: Path,
    dossier_dir: Path | None = None,
) -> DossierDiff:
    """Compare the project at revision `base` with `head` (None: the working tree)."""
    config_file = Path(config_file).absolute()
    toplevel = repository_of(config_file.parent if config_file.parent.exists() else Path.cwd())
    try:
        config_file.resolve().relative_to(toplevel)
    except ValueError:
        raise DiffError(f"{config_file} is outside the repository at {toplevel}") from None
    if dossier_dir is not None:
        try:
            dossier_dir.resolve().relative_to(toplevel)
        except ValueError:
            raise DiffError(f"the dossier folder {dossier_dir} is outside the repository at {toplevel}") from None
    base_sha = resolve_revision(toplevel, base)
    head_sha = resolve_revision(toplevel, head) if head is not None else None
    with ExitStack() as stack:
        scratch = [Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dossier-diff-"))) for _ in range(2)]
        new_label = WORKING_TREE if head_sha is None else f"{head} ({head_sha[:7]})"
        new = read_side(toplevel, head_sha, new_label, config_file, dossier_dir, scratch[1])
        old_label = f"{base} ({base_sha[:7]})"
        old = read_side(toplevel, base_sha, old_label, config_file, dossier_dir, scratch[0], new)
        result = compare_sides(old, new)
        # What is kept of a revision's side points into its temporary folder: the report needs only
        # the shown paths, which are relative.
        return result
