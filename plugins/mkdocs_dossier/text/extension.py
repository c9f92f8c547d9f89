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
from functools import partial
from pathlib import Path

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from ..sources.kept import Kept
from ..sources.model import Annotation, Article, Dossier, Mention, TermUse
from .matcher import Match, Matcher, Spelling, Target
from .prose import Block, ProseReader, Run, Segment, place_matches, place_notes, place_sentences
from .sentences import excerpt

MENTION_LINKS = ("section", "paragraph", "all")
"""Which entity mentions are links: the first of each entity in each section (from one heading to the
next, as Wikipedia links a name), the first in each paragraph, or every one. The others are quiet
anchors: the same `data-entity` and unique `id`, no link, no tooltip, no tab stop."""

_SPAN_ORDER = {"anchor": 0, "note": 1, "match": 2}

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
        self.counts: dict[Target, int] = {}
        self.linked: set[tuple[int, str]] = set()
        stashed_html = self.md.htmlStash.rawHtmlBlocks
        self.taken_ids = {el.get("id") for el in root.iter() if el.get("id")}
        self.taken_ids.update(
            "".join(found) for stashed in stashed_html if isinstance(stashed, str) for found in _RAW_ID.findall(stashed)
        )
        blocks = ProseReader(stashed_html).read(root)
        result = Annotation()
        article = self.extension.article
        segments = [segment for block in blocks for segment in block.segments]
        key = None
        if annotator.cache is not None:
            shape = (frozenset(self.taken_ids), _shape(blocks))
            key = (article.notes if article is not None else (), hash(shape))
            hit = annotator.cache.get(key)
            if hit is not None and hit[0] == shape:
                _, placed, result = hit
                for segment, spans in zip(segments, placed, strict=True):
                    segment.spans = list(spans)
                self._rewrite_all(segments, annotator, None)
                self.extension.result = result
                return
        result.text = "\n".join(block.text for block in blocks)
        if article is not None:
            place_notes(blocks, article, result)
        place_sentences(blocks, result)
        place_matches(blocks, annotator.matcher, annotator.mention_links)
        self._rewrite_all(segments, annotator, result)
        self.extension.result = result
        if key is not None:
            annotator.cache.put(key, (shape, [tuple(map(_portable, segment.spans)) for segment in segments], result))
        # A match's span holds its block, which holds the span: a cycle that would keep the article's
        # tree and blocks until the collector's next pass, long after the page is converted.
        for segment in segments:
            segment.spans.clear()

    def _rewrite_all(self, segments: list[Segment], annotator: Annotator, result: Annotation | None) -> None:
        for segment in segments:
            if segment.spans:
                self._rewrite(segment, annotator, result)

    def _rewrite(self, segment: Segment, annotator: Annotator, result: Annotation) -> None:
        leading, elements = self._build(segment.value, 0, len(segment.value), segment.spans, annotator, result)
        if segment.attr == "text":
            segment.node.text = leading
            segment.node[0:0] = elements
        else:
            segment.node.tail = leading
            where = list(segment.parent).index(segment.node) + 1
            segment.parent[where:where] = elements

    def _build(
        self, value: str, low: int, high: int, spans: list, annotator: Annotator, result: Annotation
    ) -> tuple[str, list[etree.Element]]:
        """value[low:high] in ElementTree's form: the text before the first element, and the elements
        with the text after each as its tail; notes hold the spans inside them."""
        leading, elements = None, []
        position = low
        ordered = sorted(spans, key=_span_order)
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
            if elements:
                elements[-1].tail = _atomic(value[position:start])
            else:
                leading = value[position:start]
            elements.append(element)
            position = end
        if elements:
            elements[-1].tail = _atomic(value[position:high])
        else:
            leading = value[position:high]
        return leading, elements

    def _element(self, kind, payload, value, start, end, inner, annotator: Annotator, result: Annotation):
        if kind == "anchor":
            return etree.Element("span", {"class": "dossier-sentence", "id": payload})
        if kind == "match":
            match, block, run, scope = payload
            element = self._mark(match, block, run, scope, start, end, annotator, result)
            if element is not None:
                element.text = AtomicString(value[start:end])
            return element
        note_id, note, first = payload
        attributes = {"class": f"dossier-note dossier-note-{note.kind}", "data-note": note_id}
        if first:
            attributes["id"] = f"{note_id}-quote"
        attributes.update({"title": note.text, "tabindex": "0", "aria-describedby": note_id})
        mark = etree.Element("mark", attributes)
        leading, elements = self._build(value, start, end, inner, annotator, result)
        mark.text = _atomic(leading)
        mark.extend(elements)
        return mark

    def _mark(
        self, match: Match, block: Block, run: Run, scope: int, start: int, end: int, annotator: Annotator, result
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
            attributes = {"class": "dossier-mention", "data-entity": target.id, "id": element_id}
            if linked:
                self.linked.add((scope, target.id))
                article_id = self.extension.article.id if self.extension.article is not None else ""
                attributes["href"] = annotator.entity_href.format(id=target.id, mention=element_id, article=article_id)
                attributes["title"] = annotator.entity_title(target.id)
            element = etree.Element("a" if linked else "span", attributes)
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
            element = etree.Element(
                "abbr",
                {
                    "class": "dossier-term",
                    "data-term": target.id,
                    "id": element_id,
                    "title": annotator.dossier.terms[target.id].definition,
                    "tabindex": "0",
                },
            )
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


def _shape(blocks: list[Block]) -> tuple:
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
        for block in blocks
    )


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


def _span_order(span: tuple) -> tuple:
    """At one offset, a sentence anchor goes first, then a note's mark, which may hold a match."""
    return span[0], _SPAN_ORDER[span[2]], -span[1]


def _atomic(text: str) -> AtomicString | None:
    """Text the dossier has marked up, which no later inline processing is to touch again."""
    return AtomicString(text) if text else None


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
