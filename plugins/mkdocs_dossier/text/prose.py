"""The prose of a Python-Markdown tree as a reader sees it, and where in it the annotations go.

`ProseReader` walks the tree once the inline patterns have run and gathers its plain text block by
block, remembering which `text` or `tail` each stretch of it comes from. `place_notes`,
`place_sentences` and `place_matches` then find what to mark in that plain text and record each find
as a span of the `text` or `tail` it lies in; the extension rewrites the tree from these spans.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

from ..sources.model import Annotation, Article, Sentence
from .matcher import Matcher, normalize
from .passages import closest_passage
from .sentences import sentence_spans

BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset(
    "a abbr button code dfn h1 h2 h3 h4 h5 h6 iframe kbd mark math noscript object option pre samp script "
    "select style svg template textarea title tt var".split()
)
"""Inside these, nothing is marked: code, links, headings, other marks and anything not prose."""

WORD_EDGE_TAGS = frozenset("br sub sup".split())
"""These end a word, though no space shows: a footnote mark after a name (`Bamako<sup>2</sup>`)."""

HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())

NO_SENTENCE_TAGS = frozenset("h1 h2 h3 h4 h5 h6 pre table thead tbody tfoot tr ul ol dl".split())
"""Blocks that are not prose: headings, code, and containers whose text sits in their children."""

_RAW_TAG = re.compile(r"<\s*(/)?\s*([A-Za-z][\w:-]*)[^>]*?(/)?\s*>\s*\Z")
_PLACEHOLDER = re.compile(r"\x02([^\x02\x03]*)\x03")
"""Python-Markdown's placeholders in text: `wzxhzdk:N` for stashed raw HTML, `N` for a backslash escape."""
_STASH = re.compile(r"wzxhzdk:(\d+)\Z")
_ESCAPE = re.compile(r"\d+\Z")


@dataclass(slots=True)
class Run:
    """A stretch of plain text inside one `text` or `tail`, between raw HTML tags.

    Escapes and character references (`\\*`, `&amp;`) are placeholders in `value` but characters to
    a reader: `text` is what the reader sees, and `spans` maps each of its characters back to
    `value`, so that a name or quote written with `&nbsp;` or `&#39;` is found and marked whole.
    Most runs hold no placeholder; their `spans` is None, as `text` is then `value[start:end]`.
    """

    start: int
    end: int
    display_start: int
    markable: bool
    text: str
    spans: list[tuple[int, int]] | None = None

    def value_range(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of `value` that shows text[start:end]."""
        if self.spans is None:
            return self.start + start, self.start + end
        return self.spans[start][0], self.spans[end - 1][1]

    def value_offset(self, index: int) -> int:
        """Where text[index] starts in `value`."""
        return self.start + index if self.spans is None else self.spans[index][0]


@dataclass(slots=True)
class Segment:
    """The `text` or the `tail` of one element, as it sits in its block's plain text."""

    node: etree.Element
    attr: str
    parent: etree.Element | None
    value: str
    runs: list[Run] = field(default_factory=list)
    spans: list[tuple[int, int, str, object]] = field(default_factory=list)
    """What to wrap: (start, end, kind, payload) in `value`'s offsets; kind is 'anchor', 'note' or 'match'."""


@dataclass(slots=True)
class Block:
    tag: str = ""
    segments: list[Segment] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    text: str = ""
    """The block's plain text: its parts joined, once the walk has gathered them all."""
    length: int = 0
    offset: int = 0
    edges: set[int] = field(default_factory=set)
    """Offsets in `text` where a word ends whatever the characters around (see WORD_EDGE_TAGS)."""
    sentences: list[tuple[int, int, str]] = field(default_factory=list)
    """(start, end, id) of each sentence, in the block's own offsets."""


class ProseReader:
    """Reads a tree's prose into blocks of plain text (see the module's docstring)."""

    def __init__(self, stashed_html: list) -> None:
        self.stashed_html = stashed_html
        """Python-Markdown's `htmlStash.rawHtmlBlocks`, which placeholders in the text point into."""
        self.blocks: list[Block] = []
        # Raw HTML that opens a link or code stays open across blocks, as a browser reads it.
        self.raw_skip_depth = 0

    def read(self, root: etree.Element) -> list[Block]:
        """The tree's blocks that hold text, each with its offset in the document's text."""
        self._walk(root, None, None, False)
        blocks = [block for block in self.blocks if block.length]
        offset = 0
        for block in blocks:
            block.text = "".join(block.parts)
            block.offset = offset
            offset += block.length + 1
        return blocks

    def _walk(self, el: etree.Element, parent: etree.Element | None, block: Block | None, skipping: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if block is None or tag in BLOCK_TAGS:
            block = Block(tag)
            self.blocks.append(block)
        skipping = skipping or tag in SKIP_TAGS or not tag or "dossier-" in el.get("class", "")
        if tag in WORD_EDGE_TAGS:
            block.edges.add(block.length)
        children = list(el)
        if not (children and _is_block(children[0]) and _blank(el.text)):
            self._add(block, el, "text", parent, el.text, not skipping)
        for child in children:
            self._walk(child, el, block, skipping)
            if not (_is_block(child) and _blank(child.tail)):
                self._add(block, child, "tail", el, child.tail, not skipping)
        if tag in WORD_EDGE_TAGS:
            block.edges.add(block.length)

    def _add(self, block: Block, node, attr: str, parent, value: str | None, markable: bool) -> None:
        if not value:
            return
        segment = Segment(node, attr, parent, value)
        # The run being gathered, as (start, end, shown) pieces of `value`; shown is None for plain text.
        pieces: list[tuple[int, int, str | None]] = []
        position = 0
        for placeholder in _PLACEHOLDER.finditer(value):
            if position < placeholder.start():
                pieces.append((position, placeholder.start(), None))
            shown = self._placeholder_text(placeholder.group(1))
            if shown is None:
                self._add_run(block, segment, pieces, markable)
                self._track_raw_tag(block, placeholder.group(1))
                pieces = []
            else:
                pieces.append((placeholder.start(), placeholder.end(), shown))
            position = placeholder.end()
        if position < len(value):
            pieces.append((position, len(value), None))
        self._add_run(block, segment, pieces, markable)
        block.segments.append(segment)

    def _add_run(self, block: Block, segment: Segment, pieces: list, markable: bool) -> None:
        if not pieces:
            return
        value = segment.value
        start, end = pieces[0][0], pieces[-1][1]
        if len(pieces) == 1 and pieces[0][2] is None:
            text, spans = value[start:end], None
        else:
            text = "".join(value[low:high] if shown is None else shown for low, high, shown in pieces)
            spans = []
            for low, high, shown in pieces:
                if shown is None:
                    spans.extend((index, index + 1) for index in range(low, high))
                else:
                    spans.extend((low, high) for _ in shown)
            if not text:
                return
        segment.runs.append(Run(start, end, block.length, markable and self.raw_skip_depth == 0, text, spans))
        block.parts.append(text)
        block.length += len(text)

    def _placeholder_text(self, key: str) -> str | None:
        """What a reader sees for a placeholder: a character for an escape or a character
        reference, None for raw HTML, which ends a run."""
        if _ESCAPE.match(key):
            return chr(int(key))
        stashed = self._stashed(key)
        if stashed.startswith("&") and stashed.endswith(";"):
            return html.unescape(stashed)
        return None

    def _track_raw_tag(self, block: Block, key: str) -> None:
        """Follow raw HTML links and code: nothing is marked until they close. A trailing slash
        does not close them (`<a/>` opens a link in HTML), except on SVG and MathML."""
        tag = _RAW_TAG.match(self._stashed(key))
        name = tag.group(2).lower() if tag else ""
        if name in WORD_EDGE_TAGS:
            block.edges.add(block.length)
        if name not in SKIP_TAGS:
            return
        if tag.group(3) and name in ("math", "svg"):
            return
        self.raw_skip_depth = max(0, self.raw_skip_depth + (-1 if tag.group(1) else 1))

    def _stashed(self, key: str) -> str:
        stash = _STASH.match(key)
        blocks = self.stashed_html
        if stash is None or int(stash.group(1)) >= len(blocks):
            return ""
        stashed = blocks[int(stash.group(1))]
        return stashed if isinstance(stashed, str) else ""


def place_notes(blocks: list[Block], article: Article, result: Annotation) -> None:
    """Mark each note's quote where it is in the text once, or say in `result.problems` why not."""
    if not article.notes:
        return
    texts = [normalize(block.text) for block in blocks]
    for number, note in enumerate(article.notes, 1):
        quote, prefix, suffix = normalize(note.quote), normalize(note.prefix), normalize(note.suffix)
        found = []
        for block, text in zip(blocks, texts, strict=True):
            start = text.find(quote)
            while start != -1:
                end = start + len(quote)
                if text[:start].endswith(prefix) and text[end:].startswith(suffix):
                    found.append((block, start, end))
                start = text.find(quote, start + 1)
        if not found and (prefix or suffix) and any(quote in text for text in texts):
            result.problems.append(
                (
                    note,
                    f"the quote '{note.quote}' is in the article's text, "
                    "but not with this 'prefix' and 'suffix' around it",
                )
            )
            continue
        if not found:
            hint = closest_passage(quote, texts, [block.text for block in blocks])
            suggestion = f" (did you mean '{hint}'?)" if hint else ""
            result.problems.append((note, f"the quote '{note.quote}' is not in the article's text{suggestion}"))
            continue
        if len(found) > 1:
            result.problems.append(
                (
                    note,
                    f"the quote '{note.quote}' is found {len(found)} times; "
                    "add a 'prefix' or 'suffix' that makes it unique",
                )
            )
            continue
        block, start, end = found[0]
        pieces = list(_pieces(block, start, end))
        if not pieces or not all(run.markable for _, run, _, _ in pieces):
            result.problems.append(
                (
                    note,
                    f"the quote '{note.quote}' is inside a heading, a link or code, where notes cannot be marked",
                )
            )
            continue
        note_id = f"note-{number}"
        result.notes[note_id] = note
        for index, (segment, _run, piece_start, piece_end) in enumerate(pieces):
            segment.spans.append((piece_start, piece_end, "note", (note_id, note, index == 0)))


def _pieces(block: Block, start: int, end: int):
    """The runs that a stretch of a block's text covers, as (segment, run, start, end) in run offsets."""
    for segment in block.segments:
        for run in segment.runs:
            run_end = run.display_start + len(run.text)
            low, high = max(start, run.display_start), min(end, run_end)
            if low < high:
                yield segment, run, *run.value_range(low - run.display_start, high - run.display_start)


def place_sentences(blocks: list[Block], result: Annotation) -> None:
    """Give every sentence of the prose an anchor, so that other pages can link to it."""
    for block in blocks:
        block.sentences = []
        if block.tag in NO_SENTENCE_TAGS:
            continue
        runs = [(segment, run) for segment in block.segments for run in segment.runs]
        if not any(run.markable for _, run in runs):
            continue
        text, index = block.text, 0
        # Sentences come in order, so the run where each one starts is found by walking on.
        for start, end in sentence_spans(text):
            while index < len(runs) and runs[index][1].display_start + len(runs[index][1].text) <= start:
                index += 1
            if index == len(runs):
                break
            segment, run = runs[index]
            sentence_id = f"s-{len(result.sentences) + 1}"
            offset = run.value_offset(max(0, start - run.display_start))
            segment.spans.append((offset, offset, "anchor", sentence_id))
            block.sentences.append((start, end, sentence_id))
            result.sentences.append(Sentence(sentence_id, block.offset + start, block.offset + end, text[start:end]))


def place_matches(blocks: list[Block], matcher: Matcher, mention_links: str) -> None:
    """Record the matcher's finds in the markable runs, each with the scope in which its entity is
    linked once (see `extension.MENTION_LINKS`)."""
    section = 0
    for number, block in enumerate(blocks):
        if block.tag in HEADING_TAGS:
            section += 1
        # Kept with the match, so that a replay from the cache links the same mentions.
        scope = number if mention_links == "paragraph" else section
        text = block.text
        for segment in block.segments:
            notes = [(s, e) for s, e, kind, _ in segment.spans if kind == "note"]
            for run in segment.runs:
                if not run.markable:
                    continue
                run_end = run.display_start + len(run.text)
                lead = (
                    "" if run.display_start in block.edges else text[max(0, run.display_start - 2) : run.display_start]
                )
                trail = "" if run_end in block.edges else text[run_end : run_end + 2]
                for match in matcher.find(run.text, lead, trail):
                    start, end = run.value_range(match.start, match.end)
                    if notes and any(s < end and start < e and not (s <= start and end <= e) for s, e in notes):
                        continue
                    segment.spans.append((start, end, "match", (match, block, run, scope)))


def _is_block(element: etree.Element) -> bool:
    return isinstance(element.tag, str) and element.tag in BLOCK_TAGS


def _blank(text: str | None) -> bool:
    return not text or text.isspace()
