"""The `dossier diff` report: Markdown for a reader (a terminal, a pull request's job summary) and
GitHub annotations for the problems a change brings. Kept apart from the comparison so that how a
change is shown can change without touching how it is found.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..sources.model import Article
from ..sources.problems import Problem, Severity, counted
from .check import format_github, relative_path
from .diff import DossierDiff, NoteChange, Place, PlaceChanges, QuoteChange
from .revisions import WORKING_TREE


def _md(text: str) -> str:
    """Text from the sources, shown as itself in Markdown, on one line."""
    text = str(text)
    flat = " ".join(text.split())
    if flat and text[:1].isspace():
        flat = " " + flat
    if flat.strip() and text[-1:].isspace():
        flat += " "
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", flat)


def _in_context(before: str, text: str, after: str) -> str:
    """Words in their sentence, the words themselves in bold."""
    return f"“{_md(before)}**{_md(text)}**{_md(after)}”"


def _quoted(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + " …"
    return f"“{_md(text)}”"


class _Writer:
    def __init__(self, result: DossierDiff, cwd: Path, limit: int) -> None:
        self.result = result
        self.cwd = cwd
        self.limit = limit
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def capped(self, items: list, show: Callable[[object], str]) -> None:
        for item in items[: self.limit]:
            self.add(show(item))
        if len(items) > self.limit:
            self.add(f"- … and {len(items) - self.limit} more")

    def where(self, problem: Problem, line: bool = True) -> str:
        """The problem's file relative to the folder the command runs in, and its line if asked."""
        where = relative_path(problem, self.result.new.origin, self.cwd)
        return f"{where}:{problem.line}" if problem.line and line else where

    def article(self, article_id: str) -> str:
        article = self.result.new.dossier.articles.get(article_id)
        if article is None:
            back = {new: old for old, new in self.result.renames.articles.items()}
            article = self.result.old.dossier.articles.get(back.get(article_id, article_id))
        return f"{_md(article.outlet)} `{article_id}`" if article is not None else f"`{article_id}`"

    def entity(self, entity_id: str, kind: str = "entity") -> str:
        registry = "entities" if kind == "entity" else "terms"
        for side in (self.result.new, self.result.old):
            record = getattr(side.dossier, registry).get(entity_id)
            if record is not None:
                name = record.name if kind == "entity" else record.term
                return f"{_md(name)} (`{entity_id}`)"
        return f"`{entity_id}`"


def render_markdown(result: DossierDiff, cwd: Path, limit: int = 10, check_command: str = "dossier check") -> str:
    """The report; `check_command` is the `dossier check` that reads the same configuration and dossier
    folder, which the report's last line names when the change brings new problems."""
    w = _Writer(result, cwd, limit)
    w.add(f"# Dossier changes: {_md(result.old.label)} → {_md(result.new.label)}", "")
    w.add(_verdict(result), "")
    w.add(_overview(result), "")
    _write_problems(w)
    _write_records(w)
    if not result.annotated:
        w.add(
            "## Annotations",
            "",
            "The sources of one side have errors, so mentions, notes and events were not compared. "
            "Fix the errors above and run the comparison again.",
            "",
        )
    else:
        _write_places(w, "Mentions", result.mentions, "entity")
        _write_places(w, "Glossary terms", result.terms, "term")
        _write_notes(w)
        _write_events(w)
    _write_pointer(w, check_command)
    return "\n".join(w.lines).rstrip() + "\n"


def _verdict(result: DossierDiff) -> str:
    brought = [p for p in result.new_problems + result.new_links if p.severity is not Severity.INFO]
    if brought:
        counts = Counter(p.severity for p in brought)
        parts = [counted(counts[s], f"new {s.value}") for s in (Severity.ERROR, Severity.WARNING) if counts[s]]
        return f"**The change brings {' and '.join(parts)}.**"
    return "The change brings no new warning or error."


def _overview(result: DossierDiff) -> str:
    parts = []
    for records in result.records:
        for what, items in (
            ("added", records.added),
            ("removed", records.removed),
            ("renamed", records.renamed),
            ("changed", records.changed),
        ):
            if items:
                parts.append(
                    f"{counted(len(items), records.kind, 'entities' if records.kind == 'entity' else None)} {what}"
                )
    if result.annotated:
        lost = sum(map(len, result.mentions.lost.values()))
        gained = sum(map(len, result.mentions.gained.values()))
        if lost or gained or result.mentions.moved:
            parts.append(f"mentions: {gained} gained, {lost} lost, {len(result.mentions.moved)} moved")
        lost = sum(map(len, result.terms.lost.values()))
        gained = sum(map(len, result.terms.gained.values()))
        if lost or gained or result.terms.moved:
            parts.append(f"term uses: {gained} gained, {lost} lost, {len(result.terms.moved)} moved")
        if result.notes:
            parts.append(counted(len(result.notes), "note") + " unanchored or moved")
        if result.events:
            parts.append(
                counted(len([e for e in result.events if e.event]), "event") + " whose comparison or quotes changed"
            )
    if result.fixed_problems or result.fixed_links:
        parts.append(counted(len(result.fixed_problems) + len(result.fixed_links), "problem") + " fixed")
    if not parts:
        return "Nothing the site shows changes."
    return "In short: " + "; ".join(parts) + "."


def _write_problems(w: _Writer) -> None:
    result = w.result

    def show(problem: Problem) -> str:
        return f"- **{problem.severity.value}** `{w.where(problem)}`: {_md(problem.message)}"

    if result.new_problems:
        w.add("## New problems", "", "As `dossier check` reports them, on the changed sources.", "")
        w.capped(result.new_problems, show)
        w.add("")
    if result.new_links:
        w.add("## Links that now point nowhere", "")
        w.capped(result.new_links, show)
        w.add("")
    if result.fixed_problems or result.fixed_links:
        w.add("## Fixed problems", "")
        w.capped(
            result.fixed_problems + result.fixed_links,
            lambda p: f"- **{p.severity.value}** `{w.where(p, line=False)}`: {_md(p.message)}",
        )
        w.add("")


def _write_pointer(w: _Writer, check_command: str) -> None:
    """Where to see every problem of the changed sources: the report lists only the new ones, and
    `--limit` of them."""
    if not any(p.severity is not Severity.INFO for p in w.result.new_problems):
        return
    where = "" if w.result.new.label == WORKING_TREE else f" with {_md(w.result.new.label)} checked out"
    w.add(
        "---",
        "",
        f"To see every problem of the changed sources in full, each with its file and line, run "
        f"`{check_command}`{where}.",
        "",
    )


_RECORD_TITLES = {"article": "Articles", "entity": "Entities", "term": "Glossary terms", "event": "Events"}


def _describe(record) -> str:
    if isinstance(record, Article):
        return f"`{record.id}`: {_md(record.outlet)}, {record.date.isoformat()}, {_quoted(record.title)}"
    name = getattr(record, "name", None) or getattr(record, "term", None) or getattr(record, "title", "")
    return f"`{record.id}`: {_md(name)}"


def _write_records(w: _Writer) -> None:
    changed = [records for records in w.result.records if records]
    if not changed:
        return
    w.add("## Articles, entities, terms and events", "")
    for records in changed:
        title = _RECORD_TITLES[records.kind]
        if records.added:
            w.add(f"{title} added:", "")
            w.capped(records.added, lambda r: f"- {_describe(r)}")
            w.add("")
        if records.removed:
            w.add(f"{title} removed:", "")
            w.capped(records.removed, lambda r: f"- {_describe(r)}")
            w.add("")
        if records.renamed:
            w.add(f"{title} renamed (the same content under a new id):", "")
            w.capped(records.renamed, lambda pair: f"- `{pair[0].id}` → `{pair[1].id}`")
            w.add("")
        if records.changed:
            w.add(f"{title} changed:", "")
            w.capped(records.changed, lambda c: f"- {_describe(c[1])}: {_md('; '.join(c[2]))}")
            w.add("")


def _write_places(w: _Writer, title: str, changes: PlaceChanges, kind: str) -> None:
    targets = sorted(set(changes.lost) | set(changes.gained), key=lambda t: w.entity(t, kind).casefold())
    if not targets and not changes.moved:
        return
    w.add(f"## {title}", "")

    def show(place: Place) -> str:
        return f"- {w.article(place.article)}: {_in_context(place.before, place.text, place.after)}"

    for target in targets:
        lost, gained = changes.lost.get(target, []), changes.gained.get(target, [])
        w.add(f"### {w.entity(target, kind)}: {len(gained)} gained, {len(lost)} lost", "")
        if gained:
            w.add("Gained:", "")
            w.capped(gained, show)
            w.add("")
        if lost:
            w.add("Lost:", "")
            w.capped(lost, show)
            w.add("")
    if changes.moved:
        what = "entity" if kind == "entity" else "term"
        w.add(f"### Moved to another {what}: {len(changes.moved)}", "")
        w.capped(
            changes.moved,
            lambda pair: (
                f"- {w.article(pair[1].article)}: {_in_context(pair[1].before, pair[1].text, pair[1].after)} "
                f"was {w.entity(pair[0].target, kind)}, now {w.entity(pair[1].target, kind)}"
            ),
        )
        w.add("")


def _write_notes(w: _Writer) -> None:
    if not w.result.notes:
        return
    w.add("## Notes", "")

    def show(change: NoteChange) -> str:
        where = f"`{change.article.path}:{change.note.line}`"
        head = f"- {where} note on {_quoted(change.note.quote)}"
        if change.what == "lost":
            return f"{head} lost its quote: {_md(change.reason)}"
        return f"{head} now marks a different place: was {_in_context(*change.was)}, now {_in_context(*change.now)}"

    w.capped(w.result.notes, show)
    w.add("")


def _write_events(w: _Writer) -> None:
    if not w.result.events:
        return
    w.add("## Events", "")
    for changes in w.result.events:
        heading = f"{_md(changes.title)} (`{changes.event}`)" if changes.event else _md(changes.title)
        w.add(f"### {heading}", "")

        def group(item) -> str:
            moved, others = item
            line = "- " + " · ".join(f"{w.article(a)}: {_quoted(text)}" for a, text in moved)
            if others:
                line += " — with " + " · ".join(f"{w.article(a)}: {_quoted(text, 120)}" for a, text in others)
            return line

        for verb, groups in (("joined", changes.joined), ("left", changes.left)):
            if groups:
                count = counted(sum(len(moved) for moved, _ in groups), "statement")
                w.add(f"{count} {verb} the shared facts, in {counted(len(groups), 'group')}:", "")
                w.capped(groups, group)
                w.add("")
        if changes.quotes:
            counts = Counter(c.what for c in changes.quotes)
            w.add(
                f"Quotes: {counts['added']} added, {counts['lost']} lost, {counts['speaker']} with another speaker:",
                "",
            )

            def quote(change: QuoteChange) -> str:
                speaker = w.entity(change.speaker) if change.speaker else "no named speaker"
                if change.what == "speaker":
                    was = w.entity(change.was) if change.was else "no named speaker"
                    return f"- {w.article(change.article)}: {_quoted(change.text)} now {speaker}, was {was}"
                return f"- {change.what}: {w.article(change.article)}, {speaker}: {_quoted(change.text)}"

            w.capped(changes.quotes, quote)
            w.add("")


def github_annotations(result: DossierDiff, cwd: Path) -> list[str]:
    """A workflow command for each new problem, shown on its file and line in the pull request."""
    return [format_github(problem, result.new.origin, cwd) for problem in result.new_problems + result.new_links]
