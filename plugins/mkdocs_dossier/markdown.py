"""A Python-Markdown extension that annotates an article: entity mentions, glossary terms, notes.

    import markdown
    from mkdocs_dossier.markdown import DossierExtension

    ext = DossierExtension(dossier_dir="dossier")
    html = markdown.markdown("Lavrov met Diop in Bamako.", extensions=[ext])
    ext.result.mentions  # what was marked, with offsets and context

Output, for an entity mention, a glossary term and an editorial note:

    <a class="dossier-mention" data-entity="bamako" id="m-bamako-1" href="../entities/bamako.md"
       title="Bamako: capital of Mali">Bamako</a>
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
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString

from .matcher import Match, Matcher, Spelling, Target, normalize
from .model import Article, Dossier, Note
from .text import excerpt, sentence_spans

BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset(
    "a abbr button code dfn h1 h2 h3 h4 h5 h6 kbd mark math pre samp script style svg textarea tt var".split()
)
"""Inside these, nothing is marked: code, links, headings, other marks and anything not prose."""

_SPAN_ORDER = {"anchor": 0, "note": 1, "match": 2}
"""At one offset, a sentence anchor goes first, then a note's mark, which may hold a match."""

NO_SENTENCE_TAGS = frozenset("h1 h2 h3 h4 h5 h6 pre table thead tbody tfoot tr ul ol dl".split())
"""Blocks that are not prose: headings, code, and containers whose text sits in their children."""

_RAW_TAG = re.compile(r"<\s*(/)?\s*([A-Za-z][\w:-]*)[^>]*?(/)?\s*>\s*\Z")


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Sentence:
    """A sentence of the document's prose, with the id of the anchor placed at its start."""

    id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
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


class Annotator:
    """What the extension needs to annotate: the dossier, its matcher and how to link."""

    def __init__(
        self,
        dossier: Dossier,
        *,
        entity_href: str = "../entities/{id}.md",
        term_marks: str = "first",
        matcher: Matcher | None = None,
    ) -> None:
        self.dossier = dossier
        self.entity_href = entity_href
        self.term_marks = term_marks
        self.matcher = matcher or build_matcher(dossier)

    def entity_title(self, entity_id: str) -> str:
        entity = self.dossier.entities[entity_id]
        return f"{entity.name}: {entity.summary}" if entity.summary else entity.name


def build_matcher(dossier: Dossier) -> Matcher:
    spellings = [
        Spelling(form, Target("entity", entity.id), entity.case_sensitive, entity.priority)
        for entity in dossier.entities.values()
        for form in entity.surface_forms
    ]
    spellings += [
        Spelling(form, Target("term", term.id), term.case_sensitive, term.priority)
        for term in dossier.terms.values()
        for form in term.surface_forms
    ]
    return Matcher(spellings)


@dataclass
class _Run:
    """A stretch of plain text inside one `text` or `tail`, between raw HTML placeholders."""

    start: int
    end: int
    display_start: int
    markable: bool


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
    raw_skip_depth: int = 0
    offset: int = 0
    sentences: list[tuple[int, int, str]] = field(default_factory=list)
    """(start, end, id) of each sentence, in the block's own offsets."""

    @property
    def text(self) -> str:
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
        annotator = self.extension.annotator
        self.blocks: list[_Block] = []
        self.counts: dict[Target, int] = {}
        self._walk(root, None, None, False)
        result = Annotation()
        self.blocks = [block for block in self.blocks if block.length]
        offset = 0
        for block in self.blocks:
            block.offset = offset
            offset += block.length + 1
        result.text = "\n".join(block.text for block in self.blocks)
        article = self.extension.article
        if article is not None:
            self._place_notes(article, result)
        self._place_sentences(result)
        self._place_matches(annotator, result)
        for block in self.blocks:
            for segment in block.segments:
                if segment.spans:
                    self._rewrite(segment, annotator, result)
        self.extension.result = result

    def _walk(self, el: etree.Element, parent: etree.Element | None, block: _Block | None, skipping: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if block is None or tag in BLOCK_TAGS:
            block = _Block(tag)
            self.blocks.append(block)
        skipping = skipping or tag in SKIP_TAGS or not tag or "dossier-" in el.get("class", "")
        children = list(el)
        if not (children and _is_block(children[0]) and _blank(el.text)):
            self._add(block, el, "text", parent, el.text, not skipping)
        for child in children:
            self._walk(child, el, block, skipping)
            if not (_is_block(child) and _blank(child.tail)):
                self._add(block, child, "tail", el, child.tail, not skipping)

    def _add(self, block: _Block, node, attr: str, parent, value: str | None, markable: bool) -> None:
        if not value:
            return
        segment = _Segment(node, attr, parent, value)
        position = 0
        for placeholder in HTML_PLACEHOLDER_RE.finditer(value):
            self._add_run(block, segment, position, placeholder.start(), markable)
            block.parts.append(self._stashed_text(block, int(placeholder.group(1))))
            block.length += len(block.parts[-1])
            position = placeholder.end()
        self._add_run(block, segment, position, len(value), markable)
        block.segments.append(segment)

    def _add_run(self, block: _Block, segment: _Segment, start: int, end: int, markable: bool) -> None:
        if start == end:
            return
        segment.runs.append(_Run(start, end, block.length, markable and block.raw_skip_depth == 0))
        block.parts.append(segment.value[start:end])
        block.length += end - start

    def _stashed_text(self, block: _Block, index: int) -> str:
        """The visible text of a stashed piece of raw HTML; also tracks raw links and code."""
        stashed = self.md.htmlStash.rawHtmlBlocks[index] if index < len(self.md.htmlStash.rawHtmlBlocks) else ""
        if not isinstance(stashed, str):
            return ""
        if stashed.startswith("&") and stashed.endswith(";"):
            return html.unescape(stashed)
        tag = _RAW_TAG.match(stashed)
        if tag and tag.group(2).lower() in SKIP_TAGS and not tag.group(3):
            block.raw_skip_depth = max(0, block.raw_skip_depth + (-1 if tag.group(1) else 1))
        return ""

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
            if not found:
                result.problems.append((note, f"the quote '{note.quote}' is not in the article's text"))
                continue
            if len(found) > 1:
                result.problems.append(
                    (note, f"the quote '{note.quote}' is found {len(found)} times; add a 'prefix' or 'suffix' that makes it unique")
                )
                continue
            block, start, end = found[0]
            pieces = list(self._pieces(block, start, end))
            if not pieces or not all(run.markable for _, run, _, _ in pieces):
                result.problems.append(
                    (note, f"the quote '{note.quote}' is inside a heading, a link or code, where notes cannot be marked")
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
                run_end = run.display_start + (run.end - run.start)
                low, high = max(start, run.display_start), min(end, run_end)
                if low < high:
                    yield segment, run, run.start + low - run.display_start, run.start + high - run.display_start

    def _place_sentences(self, result: Annotation) -> None:
        """Give every sentence of the prose an anchor, so that other pages can link to it."""
        for block in self.blocks:
            block.sentences = []
            if block.tag in NO_SENTENCE_TAGS or not any(run.markable for seg in block.segments for run in seg.runs):
                continue
            for start, end in sentence_spans(block.text):
                place = next(
                    (
                        (segment, run)
                        for segment in block.segments
                        for run in segment.runs
                        if run.display_start + (run.end - run.start) > start
                    ),
                    None,
                )
                if place is None:
                    continue
                segment, run = place
                sentence_id = f"s-{len(result.sentences) + 1}"
                offset = run.start + max(0, start - run.display_start)
                segment.spans.append((offset, offset, "anchor", sentence_id))
                block.sentences.append((start, end, sentence_id))
                result.sentences.append(
                    Sentence(sentence_id, block.offset + start, block.offset + end, block.text[start:end])
                )

    def _place_matches(self, annotator: Annotator, result: Annotation) -> None:
        for block in self.blocks:
            text = block.text
            for segment in block.segments:
                notes = [(s, e) for s, e, kind, _ in segment.spans if kind == "note"]
                for run in segment.runs:
                    if not run.markable:
                        continue
                    lead = text[max(0, run.display_start - 2) : run.display_start]
                    run_end = run.display_start + run.end - run.start
                    trail = text[run_end : run_end + 2]
                    for match in annotator.matcher.find(segment.value[run.start : run.end], lead, trail):
                        start, end = run.start + match.start, run.start + match.end
                        if any(s < end and start < e and not (s <= start and end <= e) for s, e in notes):
                            continue
                        segment.spans.append((start, end, "match", (match, block, run)))

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
            match, block, run = payload
            return self._mark(match, block, run, start, end, annotator, result)
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

    def _mark(self, match: Match, block: _Block, run: _Run, start: int, end: int, annotator: Annotator, result: Annotation):
        display_start = run.display_start + start - run.start
        display_end = display_start + end - start
        document_start, document_end = block.offset + display_start, block.offset + display_end
        target = match.target
        count = self.counts.get(target, 0) + 1
        self.counts[target] = count
        if target.kind == "entity":
            element_id = f"m-{target.id}-{count}"
            element = etree.Element("a")
            element.set("class", "dossier-mention")
            element.set("data-entity", target.id)
            element.set("id", element_id)
            article_id = self.extension.article.id if self.extension.article is not None else ""
            element.set("href", annotator.entity_href.format(id=target.id, mention=element_id, article=article_id))
            element.set("title", annotator.entity_title(target.id))
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
                result.terms.append(TermUse(target.id, None, match.text, document_start, document_end))
                return None
            element_id = f"t-{target.id}-{count}"
            element = etree.Element("abbr")
            element.set("class", "dossier-term")
            element.set("data-term", target.id)
            element.set("id", element_id)
            element.set("title", annotator.dossier.terms[target.id].definition)
            element.set("tabindex", "0")
            result.terms.append(TermUse(target.id, element_id, match.text, document_start, document_end))
        element.text = AtomicString(match.text)
        return element


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
        }
        super().__init__(**kwargs)
        if annotator is None:
            annotator = self._annotator_from_config()
        self.annotator = annotator
        self.article: Article | None = None
        self.active = True
        """A host turns this off for pages that are not articles."""
        self.result = Annotation()

    def _annotator_from_config(self) -> Annotator:
        from .sources import load_dossier

        dossier_dir = self.getConfig("dossier_dir")
        dossier = load_dossier(Path(dossier_dir))[0] if dossier_dir else Dossier()
        return Annotator(dossier, entity_href=self.getConfig("entity_href"), term_marks=self.getConfig("term_marks"))

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After `attr_list` (8) and `abbr` (7), so their ids and marks are in place; before `toc` and
        # MkDocs' anchor collector (5), so that mention ids are known anchors; and well before MkDocs'
        # link rewriter (0), which turns `entities/<id>.md` into the page's URL.
        md.treeprocessors.register(DossierTreeprocessor(md, self), "dossier", 6)

    def reset(self) -> None:
        self.result = Annotation()


def makeExtension(**kwargs) -> DossierExtension:  # noqa: N802 (Python-Markdown's name)
    return DossierExtension(**kwargs)
