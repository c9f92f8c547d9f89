"""A Python-Markdown extension that annotates an article: entity mentions, glossary terms, notes.

    import markdown
    from mkdocs_dossier.markdown import DossierExtension

    ext = DossierExtension(dossier_dir="dossier")
    html = markdown.markdown("Lavrov met Diop in Bamako.", extensions=[ext])
    ext.result.mentions  # what was marked, with offsets and context

Output, for an entity mention (a link at its first mention in a section, a quiet anchor after that;
see `mention_links`), a glossary term and an editorial note:

    <a class="dossier-mention" data-entity="bamako" id="m-bamako-1" href="../entities/bamako.md"
       title="Bamako: capital of Mali">Bamako</a>
    <span class="dossier-mention" data-entity="bamako" id="m-bamako-2">Bamako</span>
    <abbr class="dossier-term" data-term="junta" title="A military group ..." tabindex="0">junta</abbr>
    <mark class="dossier-note" data-note="note-1" id="note-1-quote" title="..." tabindex="0">...</mark>

The text of the document is unchanged: only elements are added around it. Nothing is marked inside
code, preformatted text, links, headings, raw HTML links or another mark. The extension works with any
host that runs Python-Markdown; MkDocs is not needed.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..sources.kept import Kept
from ..sources.model import Annotation, Article, Dossier, Mention, Sentence, TermUse
from .matcher import Match, Matcher, Spelling, Target, normalize
from .passages import closest_passage
from .sentences import excerpt, sentence_spans

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

MENTION_LINKS = ("section", "paragraph", "all")
"""Which entity mentions are links: the first of each entity in each section (from one heading to the
next, as Wikipedia links a name), the first in each paragraph, or every one. The others are quiet
anchors: the same `data-entity` and unique `id`, no link, no tooltip, no tab stop."""

_SPAN_ORDER = {"anchor": 0, "note": 1, "match": 2}
"""At one offset, a sentence anchor goes first, then a note's mark, which may hold a match."""

HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())

NO_SENTENCE_TAGS = frozenset("h1 h2 h3 h4 h5 h6 pre table thead tbody tfoot tr ul ol dl".split())
"""Blocks that are not prose: headings, code, and containers whose text sits in their children."""

_RAW_TAG = re.compile(r"<\s*(/)?\s*([A-Za-z][\w:-]*)[^>]*?(/)?\s*>\s*\Z")
_PLACEHOLDER = re.compile(r"\x02([^\x02\x03]*)\x03")
"""Python-Markdown's placeholders in text: `wzxhzdk:N` for stashed raw HTML, `N` for a backslash escape."""
_STASH = re.compile(r"wzxhzdk:(\d+)\Z")
_ESCAPE = re.compile(r"\d+\Z")
_RAW_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


class Annotator:
    """What the extension needs to annotate: the dossier, its matcher and how to link."""

    def __init__(
        self,
        dossier: Dossier,
        *,
        entity_href: str = "../entities/{id}.md",
        term_marks: str = "first",
        mention_links: str = "section",
        matcher: Matcher | None = None,
        cache: Kept | None = None,
    ) -> None:
        self.cache = cache
        """Kept by a host that converts the same documents again and again (`mkdocs serve`)."""
        self.dossier = dossier
        self.entity_href = entity_href
        self.term_marks = term_marks
        if mention_links not in MENTION_LINKS:
            raise ValueError(f"mention_links must be one of {', '.join(MENTION_LINKS)}, not {mention_links!r}")
        self.mention_links = mention_links
        self.matcher = matcher or build_matcher(dossier)

    def entity_title(self, entity_id: str) -> str:
        entity = self.dossier.entities[entity_id]
        return f"{entity.name}: {entity.summary}" if entity.summary else entity.name


def build_matcher(dossier: Dossier) -> Matcher:
    spellings = [
        Spelling(form, Target("entity", entity.id), entity.case_sensitive, entity.priority, entity.accent_sensitive)
        for entity in dossier.entities.values()
        for form in entity.surface_forms
    ]
    spellings += [
        Spelling(form, Target("term", term.id), term.case_sensitive, term.priority, term.accent_sensitive)
        for term in dossier.terms.values()
        for form in term.surface_forms
    ]
    return Matcher(spellings)


@dataclass
class _Run:
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


@dataclass
class _Segment:
    """The `text` or the `tail` of one element, as it sits in its block's plain text."""

    node: etree.Element
    attr: str
    parent: etree.Element | None
    value: str
    runs: list[_Run] = field(default_factory=list)
    spans: list[tuple[int, int, str, object]] = field(default_factory=list)
    """What to wrap: (start, end, kind, payload) in `value`'s offsets; kind is 'note' or 'match'."""


@dataclass
class _Block:
    tag: str = ""
    segments: list[_Segment] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    length: int = 0
    offset: int = 0
    edges: set[int] = field(default_factory=set)
    """Offsets in `text` where a word ends whatever the characters around (see WORD_EDGE_TAGS)."""
    sentences: list[tuple[int, int, str]] = field(default_factory=list)
    """(start, end, id) of each sentence, in the block's own offsets."""

    @cached_property
    def text(self) -> str:
        """The block's plain text; asked for only once the walk has gathered all its parts."""
        return "".join(self.parts)


class DossierTreeprocessor(Treeprocessor):
    """Marks entity mentions, glossary terms and note quotes in the document's prose."""

    def __init__(self, md: Markdown, extension: DossierExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        if not self.extension.active:
            self.extension.result = Annotation()
            return
        self._annotate(root)

    def _annotate(self, root: etree.Element) -> None:
        annotator = self.extension.annotator
        self.blocks: list[_Block] = []
        self.counts: dict[Target, int] = {}
        self.linked: set[tuple[int, str]] = set()
        self.taken_ids = {el.get("id") for el in root.iter() if el.get("id")}
        self.taken_ids.update(
            "".join(found)
            for stashed in self.md.htmlStash.rawHtmlBlocks
            if isinstance(stashed, str)
            for found in _RAW_ID.findall(stashed)
        )
        # Raw HTML that opens a link or code stays open across blocks, as a browser reads it.
        self.raw_skip_depth = 0
        self._walk(root, None, None, False)
        result = Annotation()
        self.blocks = [block for block in self.blocks if block.length]
        offset = 0
        for block in self.blocks:
            block.offset = offset
            offset += block.length + 1
        article = self.extension.article
        segments = [segment for block in self.blocks for segment in block.segments]
        key = None
        if annotator.cache is not None:
            shape = (frozenset(self.taken_ids), self._shape())
            key = (article.notes if article is not None else (), hash(shape))
            hit = annotator.cache.get(key)
            if hit is not None and hit[0] == shape:
                _, placed, result = hit
                for segment, spans in zip(segments, placed, strict=True):
                    segment.spans = list(spans)
                self._rewrite_all(segments, annotator, None)
                self.extension.result = result
                return
        result.text = "\n".join(block.text for block in self.blocks)
        if article is not None:
            self._place_notes(article, result)
        self._place_sentences(result)
        self._place_matches(annotator, result)
        self._rewrite_all(segments, annotator, result)
        self.extension.result = result
        if key is not None:
            annotator.cache.put(key, (shape, [tuple(map(_portable, segment.spans)) for segment in segments], result))

    def _shape(self) -> tuple:
        """Everything of the document that annotating it depends on: its blocks, texts and runs."""
        return tuple(
            (
                block.tag,
                block.text,
                tuple(sorted(block.edges)),
                tuple(
                    (segment.attr, segment.value, tuple((run.start, run.end, run.markable) for run in segment.runs))
                    for segment in block.segments
                ),
            )
            for block in self.blocks
        )

    def _rewrite_all(self, segments: list[_Segment], annotator: Annotator, result: Annotation | None) -> None:
        for segment in segments:
            if segment.spans:
                self._rewrite(segment, annotator, result)

    def _walk(self, el: etree.Element, parent: etree.Element | None, block: _Block | None, skipping: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if block is None or tag in BLOCK_TAGS:
            block = _Block(tag)
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

    def _add(self, block: _Block, node, attr: str, parent, value: str | None, markable: bool) -> None:
        if not value:
            return
        segment = _Segment(node, attr, parent, value)
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

    def _add_run(self, block: _Block, segment: _Segment, pieces: list, markable: bool) -> None:
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
        segment.runs.append(_Run(start, end, block.length, markable and self.raw_skip_depth == 0, text, spans))
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

    def _track_raw_tag(self, block: _Block, key: str) -> None:
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
        blocks = self.md.htmlStash.rawHtmlBlocks
        if stash is None or int(stash.group(1)) >= len(blocks):
            return ""
        stashed = blocks[int(stash.group(1))]
        return stashed if isinstance(stashed, str) else ""

    def _place_notes(self, article: Article, result: Annotation) -> None:
        texts = [normalize(block.text) for block in self.blocks]
        for number, note in enumerate(article.notes, 1):
            quote, prefix, suffix = normalize(note.quote), normalize(note.prefix), normalize(note.suffix)
            found = []
            for block, text in zip(self.blocks, texts, strict=True):
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
                hint = closest_passage(quote, texts, [block.text for block in self.blocks])
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
            pieces = list(self._pieces(block, start, end))
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

    @staticmethod
    def _pieces(block: _Block, start: int, end: int):
        """The runs that a stretch of a block's text covers, as (segment, run, start, end) in run offsets."""
        for segment in block.segments:
            for run in segment.runs:
                run_end = run.display_start + len(run.text)
                low, high = max(start, run.display_start), min(end, run_end)
                if low < high:
                    yield segment, run, *run.value_range(low - run.display_start, high - run.display_start)

    def _place_sentences(self, result: Annotation) -> None:
        """Give every sentence of the prose an anchor, so that other pages can link to it."""
        for block in self.blocks:
            block.sentences = []
            runs = [(segment, run) for segment in block.segments for run in segment.runs]
            if block.tag in NO_SENTENCE_TAGS or not any(run.markable for _, run in runs):
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
                result.sentences.append(
                    Sentence(sentence_id, block.offset + start, block.offset + end, text[start:end])
                )

    def _place_matches(self, annotator: Annotator, result: Annotation) -> None:
        section = 0
        for number, block in enumerate(self.blocks):
            if block.tag in HEADING_TAGS:
                section += 1
            # Where a mention's entity is linked once (see MENTION_LINKS): kept with the match, so
            # that a replay from the cache links the same mentions.
            scope = number if annotator.mention_links == "paragraph" else section
            text = block.text
            for segment in block.segments:
                notes = [(s, e) for s, e, kind, _ in segment.spans if kind == "note"]
                for run in segment.runs:
                    if not run.markable:
                        continue
                    run_end = run.display_start + len(run.text)
                    lead = (
                        ""
                        if run.display_start in block.edges
                        else text[max(0, run.display_start - 2) : run.display_start]
                    )
                    trail = "" if run_end in block.edges else text[run_end : run_end + 2]
                    for match in annotator.matcher.find(run.text, lead, trail):
                        start, end = run.value_range(match.start, match.end)
                        if any(s < end and start < e and not (s <= start and end <= e) for s, e in notes):
                            continue
                        segment.spans.append((start, end, "match", (match, block, run, scope)))

    def _rewrite(self, segment: _Segment, annotator: Annotator, result: Annotation) -> None:
        leading, elements = _fold(self._build(segment.value, 0, len(segment.value), segment.spans, annotator, result))
        if segment.attr == "text":
            segment.node.text = leading
            for index, element in enumerate(elements):
                segment.node.insert(index, element)
        else:
            segment.node.tail = leading
            where = list(segment.parent).index(segment.node) + 1
            for index, element in enumerate(elements):
                segment.parent.insert(where + index, element)

    def _build(self, value: str, low: int, high: int, spans: list, annotator: Annotator, result: Annotation) -> list:
        """value[low:high] as [text, element, text, ...], with notes holding the spans inside them."""
        items: list[str | etree.Element] = []
        position = low
        ordered = sorted(spans, key=lambda span: (span[0], _SPAN_ORDER[span[2]], -span[1]))
        index = 0
        while index < len(ordered):
            start, end, kind, payload = ordered[index]
            index += 1
            inner = []
            if kind == "note":
                while index < len(ordered) and ordered[index][0] < end:
                    inner.append(ordered[index])
                    index += 1
            if start < position:
                if kind != "anchor":
                    continue
                start = end = position
            element = self._element(kind, payload, value, start, end, inner, annotator, result)
            if element is None:
                continue
            items.append(value[position:start])
            items.append(element)
            position = end
        items.append(value[position:high])
        return items

    def _element(self, kind, payload, value, start, end, inner, annotator: Annotator, result: Annotation):
        if kind == "anchor":
            anchor = etree.Element("span")
            anchor.set("class", "dossier-sentence")
            anchor.set("id", payload)
            return anchor
        if kind == "match":
            match, block, run, scope = payload
            element = self._mark(match, block, run, scope, start, end, annotator, result)
            if element is not None:
                element.text = AtomicString(value[start:end])
            return element
        note_id, note, first = payload
        mark = etree.Element("mark")
        mark.set("class", f"dossier-note dossier-note-{note.kind}")
        mark.set("data-note", note_id)
        if first:
            mark.set("id", f"{note_id}-quote")
        mark.set("title", note.text)
        mark.set("tabindex", "0")
        mark.set("aria-describedby", note_id)
        _fill(mark, self._build(value, start, end, inner, annotator, result))
        return mark

    def _mark(
        self, match: Match, block: _Block, run: _Run, scope: int, start: int, end: int, annotator: Annotator, result
    ):
        """The element for a match; it is also recorded in `result`, unless that is None (a replay)."""
        if result is not None:
            display_start = run.display_start + match.start
            display_end = run.display_start + match.end
            document_start, document_end = block.offset + display_start, block.offset + display_end
        target = match.target
        count = self.counts.get(target, 0) + 1
        self.counts[target] = count
        if target.kind == "entity":
            element_id = self._free_id(f"m-{target.id}-{count}")
            linked = annotator.mention_links == "all" or (scope, target.id) not in self.linked
            element = etree.Element("a" if linked else "span")
            element.set("class", "dossier-mention")
            element.set("data-entity", target.id)
            element.set("id", element_id)
            if linked:
                self.linked.add((scope, target.id))
                article_id = self.extension.article.id if self.extension.article is not None else ""
                element.set("href", annotator.entity_href.format(id=target.id, mention=element_id, article=article_id))
                element.set("title", annotator.entity_title(target.id))
            if result is not None:
                sentence = next(((s, e, i) for s, e, i in block.sentences if s <= display_start < e), None)
                bounds = sentence[:2] if sentence else (0, block.length)
                result.mentions.append(
                    Mention(
                        target.id,
                        element_id,
                        match.text,
                        document_start,
                        document_end,
                        excerpt(block.text, display_start, display_end, bounds),
                        sentence[2] if sentence else None,
                    )
                )
        else:
            if annotator.term_marks == "first" and count > 1:
                if result is not None:
                    result.terms.append(TermUse(target.id, None, match.text, document_start, document_end))
                return None
            element_id = self._free_id(f"t-{target.id}-{count}")
            element = etree.Element("abbr")
            element.set("class", "dossier-term")
            element.set("data-term", target.id)
            element.set("id", element_id)
            element.set("title", annotator.dossier.terms[target.id].definition)
            element.set("tabindex", "0")
            if result is not None:
                result.terms.append(TermUse(target.id, element_id, match.text, document_start, document_end))
        return element

    def _free_id(self, wanted: str) -> str:
        """`wanted`, or a variant of it when the article's own HTML already uses that id."""
        element_id, number = wanted, 1
        while element_id in self.taken_ids:
            number += 1
            element_id = f"{wanted}-{number}"
        self.taken_ids.add(element_id)
        return element_id


def _portable(span: tuple) -> tuple:
    """A placed span without its ties to this conversion's tree, to be kept for the next one."""
    start, end, kind, payload = span
    return (start, end, kind, (payload[0], None, None, payload[3])) if kind == "match" else span


_MARK = re.compile(r'<(a|abbr|mark|span) [^>]*?class="dossier-(?:mention|term|note|sentence)\b[^"]*"[^>]*>([^<]*)</\1>')


def strip_marks(html_text: str) -> str:
    """The HTML without the marks this extension added, their text kept: what search should read.

    Marks hold only text, except a note's mark, which may hold other marks; a second pass removes it.
    """
    if "dossier-" not in html_text:
        return html_text
    stripped = _MARK.sub(r"\2", html_text)
    return _MARK.sub(r"\2", stripped) if 'class="dossier-note' in stripped else stripped


def _is_block(element: etree.Element) -> bool:
    return isinstance(element.tag, str) and element.tag in BLOCK_TAGS


def _blank(text: str | None) -> bool:
    return not text or text.isspace()


def _fill(element: etree.Element, items: list) -> None:
    leading, children = _fold(items)
    element.text = AtomicString(leading) if leading else None
    element.extend(children)


def _fold(items: list) -> tuple[str, list[etree.Element]]:
    """Turn [text, element, text, ...] into ElementTree's text-and-tails form."""
    leading, elements = "", []
    for item in items:
        if isinstance(item, str):
            if elements:
                elements[-1].tail = (elements[-1].tail or "") + item
            else:
                leading += item
        else:
            elements.append(item)
    for element in elements:
        if element.tail:
            element.tail = AtomicString(element.tail)
    return leading, elements


class DossierExtension(Extension):
    """Register the annotator; set `article` before converting a page to anchor its notes."""

    def __init__(self, annotator: Annotator | None = None, **kwargs) -> None:
        self.config = {
            "dossier_dir": ["", "The dossier folder, when the extension is used without the MkDocs plugin."],
            "entity_href": [
                "../entities/{id}.md",
                "The link of an entity mention; {id} is the entity's id, {mention} the mention's element id, "
                "{article} the article's id.",
            ],
            "term_marks": ["first", "'first': mark each term once per document; 'all': every time."],
            "mention_links": [
                "section",
                "Which entity mentions are links: 'section' (the first of each entity in each section), "
                "'paragraph' (the first in each paragraph) or 'all'; the others are quiet anchors.",
            ],
        }
        super().__init__(**kwargs)
        if annotator is None:
            annotator = self._annotator_from_config()
        self.annotator = annotator
        self.article: Article | None = None
        self.active = True
        """A host turns this off for pages that are not articles."""
        self.result = Annotation()
        self.failure: str | None = None
        """Why the last article could not be converted at all, if it could not (see `_convert_or_explain`)."""

    def _annotator_from_config(self) -> Annotator:
        from ..sources.loader import load_dossier

        dossier_dir = self.getConfig("dossier_dir")
        dossier = load_dossier(Path(dossier_dir))[0] if dossier_dir else Dossier()
        return Annotator(
            dossier,
            entity_href=self.getConfig("entity_href"),
            term_marks=self.getConfig("term_marks"),
            mention_links=self.getConfig("mention_links"),
        )

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After `attr_list` (8) and `abbr` (7), so their ids and marks are in place; before `toc` and
        # MkDocs' anchor collector (5), so that mention ids are known anchors; and well before MkDocs'
        # link rewriter (0), which turns `entities/<id>.md` into the page's URL.
        md.treeprocessors.register(DossierTreeprocessor(md, self), "dossier", 6)
        md.convert = partial(_convert_or_explain, md.convert, self)

    def reset(self) -> None:
        self.result = Annotation()
        self.failure = None


UNCONVERTIBLE = (
    "Markdown cannot convert this article: it nests emphasis, lists or quotes thousands of levels deep "
    "(look for a long run of * or _, or very deep indentation); the page shows its text unformatted"
)


def _convert_or_explain(convert, extension: DossierExtension, source: str) -> str:
    """Python-Markdown recurses once per level of nesting, so an article of absurdly nested emphasis
    or lists raises RecursionError; the article is then shown as plain text and the host told why,
    instead of the build ending in a traceback."""
    extension.failure = None
    if not extension.active:
        return convert(source)
    try:
        return convert(source)
    except RecursionError:
        extension.result = Annotation()
        extension.failure = UNCONVERTIBLE
        return f'<pre class="dossier-unconverted">{html.escape(source)}</pre>'


def makeExtension(**kwargs) -> DossierExtension:  # noqa: N802 (Python-Markdown's name)
    return DossierExtension(**kwargs)
