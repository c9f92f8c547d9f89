"""Which sentences of an article are statements: what the comparison compares and lists.

    reason = not_a_statement("Steve Herman, VOA News, Washington.")   # 'credit or dateline'
    label, rest = speaker_label("THE PRESIDENT: I told them to shoot it down.")

A statement asserts something about the event. Headings, datelines, bylines and credits, photo
captions, stage directions, greetings and thanks, the moderator's turns of a briefing, and questions
(a reporter's, or any sentence that asks) are not compared and never listed as "only in one report".
The rules are the conventions of news copy and transcripts, not words of any one dossier.
"""

from __future__ import annotations

import re

_LABEL = re.compile(r"^(?P<label>Q|[A-Z][A-Z.'’ -]{1,60}[A-Z.]|(?:Mr|Ms|Mrs|Dr)\. [A-Z][a-z]+)\s*:\s+")
"""A speaker's label opening a transcript's turn: 'Q:', 'THE PRESIDENT:', 'SENIOR DEFENSE OFFICIAL:'."""

_QUESTION = re.compile(r"\?[\s\"”’')\]]*$")
_STAGE = re.compile(r"^\s*[\[(][^\])]*[\])]\s*\.?\s*$")
"""A stage direction or a credit standing alone: '[The President entered the room.]', '(AFP)'."""
_TIME = re.compile(r"^\s*\d{1,2}(?::\d{2})?\s*[AaPp]\.?\s*[Mm]\.?(?:\s+[A-Z]{2,4})?\s*\.?\s*$")
_PHOTO = re.compile(r"\((?:[^()]*\b(?:Photo|photo|Photograph)\b[^()]*|[^()]*\bvia (?:AP|AFP|Reuters|Getty)\b[^()]*)\)")
_CAPTION = re.compile(r"^(?:Aerial view|A view|File photo|FILE|In this (?:photo|image|handout)|Pictured|Photo)\b")
_CREDIT = re.compile(
    r"(?:\bcontributed(?: to this report)?|\bnarrates this report|\breports(?: from [A-Z][\w .,’'-]*)?|"
    r"\bfootage by\b.*|^This is [A-Z][\w ]*\bNews|^I['’]m [A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\s*\.?\s*$"
)
_CREDIT_WORDS = ("contributed", "narrates", "reports", "footage by")
_CREDIT_OPENINGS = ("This is ", "I'm ", "I’m ")
"""What every credit `_CREDIT` finds holds or opens with: a quick test before the slower one."""
_FORMULA = re.compile(
    r"^(?:(?:well|so|and|okay|ok|all right)[,\s]+)*(?:good (?:morning|afternoon|evening|night)\b|hello\b|hi\b|hey\b|"
    r"thank you\b|thanks\b|sorry to keep you|ladies and gentlemen\b|welcome(?: back)?\b|over to you\b|"
    r"with that\b|let me (?:go|turn) to\b|i['’]ll (?:turn it over|take (?:a couple of |a few |your )?questions)|"
    r"(?:and )?then we['’]ll (?:get|go) (?:right )?to (?:your )?questions|joining us (?:today|tonight|now)\b|"
    r"today['’]s (?:\w+ )?(?:discussion|briefing|call) is\b|our briefers? today\b|we['’]ve got everybody|"
    r"i (?:want|wanted) to (?:take a minute|speak briefly|say a few words)|before i (?:leave|go|take)\b)",
    re.IGNORECASE,
)
"""The openings of greetings, thanks and a moderator's turns."""
_PLEASANTRY = re.compile(r"\bgood (?:morning|afternoon|evening|day)\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[’'.-][^\W\d_]+)*\.?|\d[\d,.:]*")
_ASCII_WORD = re.compile(r"[A-Za-z]+(?:[’'.-][A-Za-z]+)*\.?|[0-9][0-9,.:]*")
"""`_WORD` for text without a non-ASCII character, where it matches the same and is quicker."""
_LOWER_FUNCTION = frozenset("a an and the of in on at to for by from with as or de du la le von van der al bin".split())


def speaker_label(text: str) -> tuple[str | None, str]:
    """(the speaker's label, the words spoken) of a transcript's turn; (None, text) for other text."""
    match = _LABEL.match(text)
    if match is None:
        return None, text
    return match.group("label"), text[match.end() :]


def not_a_statement(text: str, block: str = "", min_words: int = 4) -> str | None:
    """Why a sentence is not a statement, or None when it is one.

    `block` is the paragraph (or other block) the sentence stands in: a block that holds a photo
    credit is a caption, every sentence of it.
    """
    label, spoken = speaker_label(text.strip()) if ":" in text else (None, text)
    if label == "Q":
        return "question"
    spoken = spoken.strip()
    if "?" in spoken and _QUESTION.search(spoken):
        return "question"
    if spoken[:1] in "[(" and _STAGE.match(spoken):
        return "stage direction or credit"
    if spoken[:1].isdigit() and _TIME.match(spoken):
        return "dateline"
    if ("(" in spoken and _PHOTO.search(spoken)) or ("(" in block and _PHOTO.search(block)) or _CAPTION.match(spoken):
        return "caption or photo credit"
    if (
        (spoken.startswith(_CREDIT_OPENINGS) or any(word in spoken for word in _CREDIT_WORDS))
        and _CREDIT.search(spoken)
        and not spoken.lower().startswith("as ")
    ):
        return "credit or byline"
    words = (_ASCII_WORD if spoken.isascii() else _WORD).findall(spoken)
    if len(words) < min_words:
        return "too short to compare"
    if _FORMULA.match(spoken) or (len(words) < 12 and _PLEASANTRY.search(spoken)):
        return "greeting or moderation"
    if all(w[0].isupper() or w[0].isdigit() or w.lower() in _LOWER_FUNCTION for w in words):
        return "credit or dateline"
    if spoken.endswith(":") and len(words) < 12:
        return "heading"
    return None
