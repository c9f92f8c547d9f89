"""Direct quotations in an article, each with its speaker when the text names one.

    “We will not continue to justify our choice of partners,” said Diop.     -> Diop       (after)
    “..., ” Lavrov said, refusing to go into details.                        -> Lavrov     (after)
    Lavrov told reporters that Russia has delivered “very large supplies”.   -> Lavrov     (before)
    Türk condemned the dismissal, saying his work was “more important”.      -> Türk       (saying)
    The visit is “the first of its kind”, according to the Finance Ministry. -> ministry   (according)
    “...,” he said.     -> the one person named in the last three paragraphs, if only one is  (pronoun)
    “...,” the Russian foreign minister said.  -> the one entity named in the article who holds that role
    Kirby to reporters: “...”                  -> Kirby      (to)
    ((Ned Price, State Department spokesperson)) "..."  -> Price  (speaker line of a broadcast script)

The speaker is read off the words next to a speech verb and resolved to an entity through the
article's mentions, whatever the spelling: the mention that ends the phrase before the verb ("Mali's
Foreign Minister Abdallah Diop said"), or that opens the phrase after it ("said Diop on Tuesday"). A
phrase that ends with a word that is not a mention ("Mali's foreign minister said") stays unattributed,
with the phrase kept for the reader. Quotes in the same sentence as an attributed quote, and a quote
that continues one over the next sentences, share its speaker; so does a quote that opens the next
paragraph after an attributed one, and the paragraphs of one quote that wire style leaves open at the
end of a paragraph. A title with no name ("the foreign minister said") is resolved through the roles
entities.yml gives, within the article: only when exactly one entity it names held such a role on the
article's date. Curly, straight and angle quotes count; single quotes do not (they are apostrophes too
often).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from ..sources.model import Annotation, Mention, Role
from ..text.matcher import reading_key
from ..text.sentences import CLOSING_QUOTES, OPENING_QUOTES

SPEECH_VERBS = (
    "said says say stated states told tells added adds declared insisted insists noted notes warned warns "
    "explained explains wrote writes tweeted posted argued argues acknowledged admitted claimed claims "
    "continued replied replies responded announced announces stressed stresses emphasised emphasized "
    "recalled remarked observed conceded urged concluded suggested maintained predicted confirmed "
    "asked asks reported"
).split()
"""Verbs that introduce a quote on either side of it: '“…,” Diop said' and 'Diop said: “…”'."""

LEAD_VERBS = (
    "accused accuses criticised criticized condemned condemns described describes called calls dismissed "
    "hailed praised pledged promised vowed denied denies blamed"
).split()
"""Verbs that lead into a partial quote: 'Lavrov accused the West of “colonial methods”'."""

PARTICIPLES = (
    "saying adding insisting accusing warning calling describing noting arguing stressing telling "
    "explaining claiming declaring stating"
).split()
"""A participle's speaker is the subject of the sentence: 'Türk condemned it, saying “…”'."""

PRONOUNS = {"he", "she"}
_TOLD = r"(?:instructed|informed)\s+(?:reporters|journalists|the\s+press)"
"""'told reporters' as machine rewording writes it ('Lavrov instructed reporters that …')."""

_VERB = re.compile(
    rf"\b(?:(?P<told>{_TOLD})|(?P<verb>{'|'.join(SPEECH_VERBS)})|(?P<lead>{'|'.join(LEAD_VERBS)})"
    rf"|(?P<participle>{'|'.join(PARTICIPLES)}))\b",
    re.IGNORECASE,
)
_PHRASE_CHAR = r"""(?:[^,.;:!?“”"«»()]|(?<=\b[A-Z])\.)"""
"""A character of a speaker phrase; a full stop only in an abbreviation ('U.S.', 'U.N.')."""
_AFTER = re.compile(
    rf"""\A[\s,]*(?:
        (?P<who>[^\s,.;:!?“”"«»(]{_PHRASE_CHAR}{{0,80}}?)(?P<aside>,[^,;:!?“”"]{{1,100}},)?\s+(?P<verb>{"|".join(SPEECH_VERBS)}|{_TOLD})\b
      | (?P<verb2>{"|".join(SPEECH_VERBS)})\s+(?P<who2>{_PHRASE_CHAR}{{1,80}})
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_ACCORDING = re.compile(
    r"(?:\baccording\s+to\s+(?P<who>[^,.;:!?“”\"«»()]{1,80})"
    r"|,\s*in\s+response\s+to\s+(?P<who2>[^,.;:!?“”\"«»()]{1,80})[.!?]?[\"”»]?\s*\Z)",
    re.IGNORECASE,
)
_PHRASE_END = re.compile(
    r"\s+(?:on|in|at|who|when|while|after|before|during|as|last|this|earlier|later|today|yesterday|"
    r"tonight|and|but|because|to|from|with|that|(?:of|for)(?!\s+(?-i:[A-Z])))\b.*\Z",
    re.IGNORECASE | re.DOTALL,
)
_BOUNDARY = re.compile(r"(?:[,;:.!?()“”\"«»]|\b(?:and|but|that|while|as|because|when|after|then)\b)", re.IGNORECASE)
_CONJUNCTION_END = re.compile(r"\b(?:and|but|however|yet|also|then)\Z", re.IGNORECASE)
_DETERMINERS = re.compile(r"\A(?:the|a|an)\s+", re.IGNORECASE)
_MAX_SPEAKER_WORDS = 8
_INTRODUCTIONS = {
    "in", "on", "at", "after", "before", "since", "last", "earlier", "later", "however", "meanwhile", "then",
    "yesterday", "today", "separately", "also", "still", "now", "during", "speaking",
}  # fmt: skip
"""Words that open a phrase set off by a comma before the subject: 'In January, Lavrov said'."""
_SPEAKER_OPENERS = {"he", "she", "they", "the", "a", "an", "his", "her", "its", "their", "one", "another"}
_WORD = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*")
_NAME_LINKS = {"of", "for", "the", "de", "du", "al", "von", "van", "der", "bin", "la", "le"}
_TO_AUDIENCE = re.compile(
    r"(?P<who>[^,.;:!?“”\"«»()\n]{1,80}?)\s+to\s+(?:reporters|journalists|the\s+press|[A-Z][\w.]*)"
    r"(?:\s+(?:in|at)\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)?\s*:\s*\Z"
)
"""'Kirby to reporters: “…”', the headline style of wire copy: a speaker, an audience, a colon."""
_SPEAKER_LINE = re.compile(r"\(\((?P<who>[^()\n]{1,150})\)\)\s*\Z")
"""A broadcast script's speaker line before a sound bite: '((Ned Price, State Department spokesperson))'."""
_OF_BEFORE = re.compile(r"\b(?:of|from|in|at|for)\s+\Z", re.IGNORECASE)
"""'one resident of Bamako told VOA': a mention after 'of' is not the phrase's head."""
_ROLE_WORD = re.compile(r"[^\s,;:]+")
_ROLE_QUALIFIERS = {"the", "top"}
"""Lower-case words that may stand before a title without changing the office ('the top diplomat');
others do ('the deputy foreign minister', 'a foreign minister')."""


@dataclass(frozen=True)
class Quote:
    """Words an article quotes, and who it says spoke them."""

    article: str
    text: str
    start: int
    end: int
    """The quoted words' offsets in the article's plain text (`Annotation.text`), marks excluded."""
    sentence: str | None
    """The id of the sentence anchor where the quote starts."""
    speaker: str | None
    """The speaker's entity id, or None when the text names no registered speaker."""
    speaker_text: str = ""
    """The words that name the speaker, as written ("Diop", "he", "Mali's foreign minister")."""
    how: str = ""
    """Which pattern attributed it: after, before, saying, according, sentence, continued, pronoun."""


@dataclass
class _Span:
    start: int
    end: int
    """The quoted words, marks excluded."""
    outer_end: int
    """Just after the closing mark."""
    paragraph: tuple[int, int]
    continued: bool = False
    open_ended: bool = False
    """No closing mark in its paragraph: wire style's way of going on into the next one."""
    speaker: str | None = None
    speaker_text: str = ""
    how: str = ""


class _Article:
    """One article's text, mentions and sentences, with the lookups attribution needs."""

    def __init__(
        self,
        article_id: str,
        annotation: Annotation,
        entity_types: Mapping[str, str],
        roles: Mapping[str, tuple[Role, ...]] | None = None,
        published: dt.date | None = None,
    ) -> None:
        self.id = article_id
        self.roles = roles or {}
        self.published = published
        self.text = annotation.text
        self.mentions = sorted(annotation.mentions, key=lambda m: m.start)
        self.sentences = annotation.sentences
        self.types = entity_types
        self._mention_starts = [m.start for m in self.mentions]
        self._ending: dict[int, list[Mention]] = defaultdict(list)
        for mention in self.mentions:
            self._ending[mention.end].append(mention)
        self._sentence_starts = [s.start for s in self.sentences]
        self._in_order = all(a.end <= b.start for a, b in zip(self.sentences, self.sentences[1:], strict=False))

    def sentence_at(self, offset: int):
        if not self._in_order:
            return next((s for s in self.sentences if s.start <= offset < s.end), None)
        index = bisect.bisect_right(self._sentence_starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None

    def sentence_bounds(self, offset: int, paragraph: tuple[int, int]) -> tuple[int, int]:
        sentence = self.sentence_at(offset)
        if sentence is None:
            return paragraph
        return max(sentence.start, paragraph[0]), min(sentence.end, paragraph[1])

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        low = bisect.bisect_left(self._mention_starts, start)
        high = bisect.bisect_right(self._mention_starts, end)
        return [m for m in self.mentions[low:high] if m.end <= end]

    def mentions_over(self, offset: int) -> bool:
        """Whether a mention covers the character at `offset` ('States' of 'United States' is no verb)."""
        index = bisect.bisect_right(self._mention_starts, offset) - 1
        return any(m.start <= offset < m.end for m in self.mentions[max(0, index - 2) : index + 1])

    def mentions_ending(self, end: int) -> list[Mention]:
        """The mentions that end at `end`, in the order of their starts."""
        return self._ending.get(end, [])

    def rank(self, mention: Mention) -> int:
        """Who is likelier to speak: people, then organisations, then anything else."""
        return {"person": 0, "organization": 1}.get(self.types.get(mention.entity, ""), 2)


def find_quotes(
    article_id: str,
    annotation: Annotation,
    entity_types: Mapping[str, str],
    roles: Mapping[str, tuple[Role, ...]] | None = None,
    published: dt.date | None = None,
) -> list[Quote]:
    """Every direct quotation in an article, in reading order, attributed where the text allows.

    `entity_types` maps entity ids to their type, so that a person is preferred as a speaker; `roles`
    maps entity ids to the titles they hold, held on `published` (the article's date), so that a title
    with no name can be resolved.
    """
    doc = _Article(article_id, annotation, entity_types, roles, published)
    paragraphs: list[list[_Span]] = []
    for bounds in _paragraphs(doc):
        spans = _quote_spans(doc, bounds)
        if not spans:
            continue
        masked = _mask(doc.text, spans)
        for span in spans:
            if not span.continued:
                _attribute(doc, span, masked)
        _share_within_sentences(doc, spans)
        _continue_within(doc, spans)
        paragraphs.append(spans)
    _continue_across_paragraphs(doc, paragraphs)
    quotes: list[Quote] = []
    for span in (span for spans in paragraphs for span in spans):
        text = " ".join(doc.text[span.start : span.end].split()).rstrip(",").strip()
        if not any(ch.isalnum() for ch in text) or _nickname(doc.text, span):
            continue
        sentence = doc.sentence_at(span.start)
        quotes.append(
            Quote(
                article_id,
                text,
                span.start,
                span.end,
                sentence.id if sentence else None,
                span.speaker,
                span.speaker_text,
                span.how,
            )
        )
    return quotes


def _continue_within(doc: _Article, spans: list[_Span]) -> None:
    for index, span in enumerate(spans):
        if span.speaker is None and not span.speaker_text and index:
            _continue_previous(doc, spans[index - 1], span)


def _continue_across_paragraphs(doc: _Article, paragraphs: list[list[_Span]]) -> None:
    """A quote that opens a paragraph right after a paragraph whose last quote has a speaker goes on
    in that voice (wire style attributes the first paragraph of a statement only); and a quote left
    open at the end of its paragraph takes the speaker of the quote that opens the next one."""
    for previous, spans in itertools.pairwise(paragraphs):
        first, last = spans[0], previous[-1]
        if not _opens_paragraph(doc, first) or not _adjacent(doc, last, first):
            continue
        if first.speaker is None and not first.speaker_text and last.speaker is not None:
            _set(first, last.speaker, last.speaker_text, "continued")
            _continue_within(doc, spans)
    for previous, spans in reversed(list(itertools.pairwise(paragraphs))):
        first, last = spans[0], previous[-1]
        if (
            last.open_ended
            and last.speaker is None
            and not last.speaker_text
            and first.speaker is not None
            and _opens_paragraph(doc, first)
            and _adjacent(doc, last, first)
        ):
            _set(last, first.speaker, first.speaker_text, "continued")


def _opens_paragraph(doc: _Article, span: _Span) -> bool:
    return not doc.text[span.paragraph[0] : max(span.paragraph[0], span.start - 1)].strip()


def _adjacent(doc: _Article, previous: _Span, span: _Span) -> bool:
    """Whether two paragraphs follow each other, with only blank lines between."""
    return not doc.text[previous.paragraph[1] : span.paragraph[0]].strip()


def _paragraphs(doc: _Article) -> list[tuple[int, int]]:
    """The blocks of the plain text: lines, except that a line break inside a sentence (a soft break
    in the Markdown) does not end its paragraph."""
    inside = sorted((s.start, s.end) for s in doc.sentences)
    starts = [s for s, _ in inside]
    reach = list(itertools.accumulate((e for _, e in inside), max))
    bounds, start = [], 0
    index = doc.text.find("\n")
    while index != -1:
        before = bisect.bisect_left(starts, index)
        if not (before and reach[before - 1] > index):
            bounds.append((start, index))
            start = index + 1
        index = doc.text.find("\n", index + 1)
    bounds.append((start, len(doc.text)))
    return bounds


_MARK = re.compile(f'[{OPENING_QUOTES}{CLOSING_QUOTES}"]')


def _quote_spans(doc: _Article, paragraph: tuple[int, int]) -> list[_Span]:
    """The quotes of one paragraph, pairing marks in order; a closing mark with no opening one closes
    a quote that continues the previous one from the next sentence on."""
    text = doc.text
    spans: list[_Span] = []
    opened: int | None = None
    for found in _MARK.finditer(text, *paragraph):
        index = found.start()
        mark = text[index]
        if mark in OPENING_QUOTES or (mark == '"' and opened is None):
            opened = index
        elif opened is not None:
            spans.append(_Span(opened + 1, index, index + 1, paragraph))
            opened = None
        elif spans:
            previous = spans[-1]
            sentence = doc.sentence_at(previous.outer_end)
            start = sentence.end if sentence and sentence.end < index else previous.outer_end
            while start < index and not text[start].isalnum():
                start += 1
            if start < index:
                spans.append(_Span(start, index, index + 1, paragraph, continued=True))
    if opened is not None and paragraph[1] - opened > 1:
        spans.append(_Span(opened + 1, paragraph[1], paragraph[1], paragraph, open_ended=True))
    return spans


def _nickname(text: str, span: _Span) -> bool:
    """Edwin "Buzz" Aldrin: a quoted name between a first name and a last name is not a quote."""
    words = text[span.start : span.end].split()
    before, after = text[: max(0, span.start - 1)].rstrip(" "), text[span.outer_end :]
    return (
        0 < len(words) <= 2
        and all(w[:1].isupper() for w in words)
        and bool(re.search(r"\b[A-Z][\w.’'-]*\Z", before))
        and re.match(r" [A-Z]", after) is not None
    )


def _mask(text: str, spans: list[_Span]) -> str:
    """The text with quoted words blanked out, so that a verb inside a quote is never read as attribution."""
    chars = list(text)
    for span in spans:
        for index in range(max(0, span.start - 1), min(len(chars), span.outer_end)):
            chars[index] = " " if chars[index] != "\n" else "\n"
    return "".join(chars)


def _attribute(doc: _Article, span: _Span, masked: str) -> None:
    paragraph = span.paragraph
    if _speaker_line(doc, span):
        return
    sentence_start, sentence_end = doc.sentence_bounds(span.start, paragraph)
    _, after_end = doc.sentence_bounds(max(span.start, span.outer_end - 1), paragraph)
    after_end = max(after_end, min(paragraph[1], span.outer_end + 120))
    after = masked[span.outer_end : after_end]
    found = _AFTER.match(after)
    if found:
        base = span.outer_end
        if found["verb"]:
            who_start, who_end = base + found.start("who"), base + found.end("who")
            named_only = not _opens_name(found["who"])
            if _resolve_before(doc, span, who_start, who_end, "after", named_only=named_only):
                return
        elif found["verb2"]:
            who_start = base + found.start("who2")
            who_end = who_start + _trim_after(found["who2"])
            if _resolve_after(doc, span, who_start, who_end, "after"):
                return
    sentence_text = masked[sentence_start:sentence_end]
    for according in _ACCORDING.finditer(sentence_text):
        group = "who" if according["who"] else "who2"
        who_start = sentence_start + according.start(group)
        who_end = who_start + _trim_after(according[group])
        if _resolve_after(doc, span, who_start, who_end, "according"):
            return
    audience = _TO_AUDIENCE.search(masked, sentence_start, max(sentence_start, span.start - 1))
    if audience:
        who_start, who_end = _phrase_before(masked, sentence_start, sentence_start + audience.end("who"))
        if who_start < who_end and _resolve_before(doc, span, who_start, who_end, "to", named_only=True):
            return
    verbs = [
        verb
        for verb in _VERB.finditer(masked, sentence_start, span.start)
        if not (verb.group()[0].isupper() and verb.start() > sentence_start) and not doc.mentions_over(verb.start())
    ]
    if verbs:
        verb = verbs[-1]
        elided = _elided_subject(masked, sentence_start, verb.start())
        if not verb["participle"] and (not elided or masked[sentence_start : verb.start()].rstrip().endswith(",")):
            who_start, who_end = _phrase_before(masked, sentence_start, verb.start())
            if who_start < who_end and _resolve_before(doc, span, who_start, who_end, "before", named_only=elided):
                return
        if verb["participle"] or elided:
            _resolve_subject(doc, span, sentence_start, verb.start(), "saying" if verb["participle"] else "before")


def _opens_name(phrase: str) -> bool:
    """A speaker phrase opens with a name, a pronoun or a determiner, not with 'after scientists'."""
    first = phrase.split()[0]
    return first[0].isupper() or first.lower() in _SPEAKER_OPENERS


def _resolve_before(doc: _Article, span: _Span, start: int, end: int, how: str, named_only: bool = False) -> bool:
    """The speaker named by the phrase before a verb: the mention that ends it, its head.

    `named_only`: settle only on a mention, leaving the phrase to other readings otherwise.
    """
    text = doc.text[start:end].strip()
    if not text or len(text.split()) > _MAX_SPEAKER_WORDS:
        return False
    end = start + len(doc.text[start:end].rstrip())
    head = [m for m in doc.mentions_ending(end) if m.start < end and not _OF_BEFORE.search(doc.text, start, m.start)]
    if head:
        return _set(span, head[-1].entity, doc.text[min(start, head[-1].start) : end], how)
    if named_only:
        return False
    if text.lower() in PRONOUNS:
        return _set(span, _pronoun(doc, span, start), text, "pronoun")
    holder = _role_holder(doc, text)
    return _set(span, holder, text, "role" if holder else how)


def _resolve_after(doc: _Article, span: _Span, start: int, end: int, how: str) -> bool:
    """The speaker named by the phrase after a verb: a mention that ends it or opens it."""
    text = doc.text[start:end].strip()
    if not text or len(text.split()) > _MAX_SPEAKER_WORDS:
        return False
    end = start + len(doc.text[start:end].rstrip())
    inside = doc.mentions_in(start, end)
    determiner = _DETERMINERS.match(doc.text, start)
    opening = determiner.end() if determiner else start
    inside = [m for m in inside if not _OF_BEFORE.search(doc.text, start, m.start)]
    head = [m for m in inside if m.end == end] or [m for m in inside if m.start == opening]
    if head:
        return _set(span, head[-1].entity, text, how)
    if text.lower() in PRONOUNS:
        return _set(span, _pronoun(doc, span, start), text, "pronoun")
    holder = _role_holder(doc, text)
    return _set(span, holder, text, "role" if holder else how)


def _speaker_line(doc: _Article, span: _Span) -> bool:
    """A quote right after a broadcast script's speaker line is the named speaker's, or no registered one's."""
    opening = span.start - 1
    line = _SPEAKER_LINE.search(doc.text, max(0, opening - 200), opening)
    if line is None:
        return False
    start, end = line.start("who"), line.end("who")
    comma = doc.text.find(",", start, end)
    name_end = comma if comma != -1 else end
    head = [m for m in doc.mentions_in(start, name_end) if doc.text[start : m.start].strip() == ""]
    name = doc.text[start:name_end].strip()
    return _set(span, head[0].entity if head else None, name, "speaker line")


def _role_holder(doc: _Article, phrase: str) -> str | None:
    """The one entity named in the article who held, on its date, the role a title-only phrase
    names ('the Russian foreign minister'); None if none or several did."""
    if not doc.roles:
        return None
    words = _ROLE_WORD.findall(phrase)
    if not words or len(words) > 8:
        return None
    keys = [reading_key(word) for word in words]
    named = {m.entity for m in doc.mentions}
    best, holders = 0, set()
    for entity_id in named:
        for role in doc.roles.get(entity_id, ()):
            if not role.held_on(doc.published):
                continue
            length = _role_match(words, keys, [reading_key(w) for w in role.title.split()])
            if length > best:
                best, holders = length, {entity_id}
            elif length and length == best:
                holders.add(entity_id)
    return holders.pop() if len(holders) == 1 else None


def _role_match(words: list[str], keys: list[str], title: list[str]) -> int:
    """How many words of a role's title end the phrase, if the words before them only qualify it
    ('the', a possessive, a capitalised word such as 'Russian'); 0 if it does not name the role."""
    for split in range(len(words)):
        core = keys[split:]
        if core != title[len(title) - len(core) :] or len(core) > len(title):
            continue
        qualifiers = words[:split]
        if all(w.lower() in _ROLE_QUALIFIERS or w[:1].isupper() or w.endswith(("’s", "'s")) for w in qualifiers) and (
            not qualifiers or qualifiers[0].lower() != "a"
        ):
            return len(core)
    return 0


def _resolve_subject(doc: _Article, span: _Span, sentence_start: int, verb_start: int, how: str) -> None:
    """A participle's or an elided subject's speaker: the sentence's subject, if a mention heads it.

    The subject is read as the run of capitalised words (and 'of', 'the', possessives) that opens the
    sentence, after a short opening phrase such as 'In January,'.
    """
    start, end = _opening_phrase(doc.text, sentence_start, verb_start)
    if start == end:
        return
    text = doc.text[start:end]
    if text.lower() in PRONOUNS:
        _set(span, _pronoun(doc, span, start), text, "pronoun")
        return
    head = [m for m in doc.mentions_in(start, end) if m.end == end and doc.rank(m) < 2]
    if head:
        _set(span, head[-1].entity, text, how)


def _opening_phrase(text: str, sentence_start: int, limit: int) -> tuple[int, int]:
    start = sentence_start
    comma = text.find(",", start, limit)
    if comma != -1 and len(text[start:comma].split()) <= 4 and text[start:comma].split()[0].lower() in _INTRODUCTIONS:
        start = comma + 1
    end = start
    for word in _WORD.finditer(text, start, limit):
        if text[end : word.start()].strip(" \t'’"):
            break
        token = word.group()
        if not (token[0].isupper() or token.lower() in _NAME_LINKS):
            break
        end = word.end()
    while end > start and text[end - 1] in "’'s" and text[end - 2 : end] in ("’s", "'s"):
        end -= 2
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _pronoun(doc: _Article, span: _Span, pronoun_start: int) -> str | None:
    """'he said': the one person named in this paragraph and the two before, or no one if several are."""
    start = span.paragraph[0]
    for _ in range(2):
        start = doc.text.rfind("\n", 0, max(0, start - 1)) + 1
    people = {m.entity for m in doc.mentions_in(start, pronoun_start) if doc.rank(m) == 0}
    return people.pop() if len(people) == 1 else None


def _set(span: _Span, speaker: str | None, text: str, how: str) -> bool:
    span.speaker, span.speaker_text, span.how = speaker, text, how
    return True


def _trim_after(phrase: str) -> int:
    """The length of a speaker phrase after a verb, cut before 'on Tuesday', 'who …' and the like."""
    cut = _PHRASE_END.search(phrase)
    return len(phrase[: cut.start()] if cut else phrase.rstrip())


def _phrase_before(masked: str, sentence_start: int, verb_start: int) -> tuple[int, int]:
    """The subject phrase right before a verb, skipping one appositive ('Lavrov, who …, said')."""
    end = verb_start
    while end > sentence_start and masked[end - 1].isspace():
        end -= 1
    if end > sentence_start and masked[end - 1] == ",":
        opening = masked.rfind(",", sentence_start, end - 1)
        if opening == -1:
            return end, end
        end = opening
    start = sentence_start
    for boundary in _BOUNDARY.finditer(masked, sentence_start, end):
        start = boundary.end()
    while start < end and masked[start].isspace():
        start += 1
    return start, end


def _elided_subject(masked: str, sentence_start: int, verb_start: int) -> bool:
    """'…, and insisted that': the verb's subject is the sentence's, not the words just before."""
    before = masked[sentence_start:verb_start].rstrip()
    return bool(before) and (before.endswith(",") or _CONJUNCTION_END.search(before) is not None)


def _share_within_sentences(doc: _Article, spans: list[_Span]) -> None:
    """A quote left without a speaker takes the one speaker of the other quotes in its sentence."""
    by_sentence: dict[str, list[_Span]] = {}
    for span in spans:
        sentence = doc.sentence_at(span.start)
        if sentence is not None:
            by_sentence.setdefault(sentence.id, []).append(span)
    for members in by_sentence.values():
        speakers = {s.speaker for s in members if s.speaker}
        if len(speakers) != 1:
            continue
        speaker = speakers.pop()
        named = next(s for s in members if s.speaker == speaker)
        for span in members:
            if span.speaker is None and not span.speaker_text:
                _set(span, speaker, named.speaker_text, "sentence")


def _continue_previous(doc: _Article, previous: _Span, span: _Span) -> None:
    """A quote that opens its sentence right after an attributed one goes on in the same voice."""
    if previous.speaker is None:
        return
    sentence = doc.sentence_at(span.start)
    opens_sentence = sentence is not None and span.start - sentence.start <= 1
    if span.continued or opens_sentence:
        _set(span, previous.speaker, previous.speaker_text, "continued")
