"""Read a dossier folder into a checked `Dossier`, collecting every problem with its file and line.

The layout (see CONTRACT.md): `articles/**/*.md` with YAML front matter, and `glossary.yml`,
`entities.yml`, `events.yml`. Fields are checked declaratively against the `Field` tables below, so
that a new field is one line, and every problem is reported, never raised.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import yaml

from .kept import Kept
from .model import ENTITY_TYPES, NOTE_KINDS, Article, Dossier, Entity, Event, Note, Role, Term
from .problems import Problems, Severity

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
WIKIDATA_ID = re.compile(r"Q[1-9][0-9]*\Z")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\Z")
FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ISO_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}")

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")

RESERVED_IDS = ("index",)
"""`articles/index`, `entities/index` and `events/index` are the listing pages."""


class LineDict(dict):
    """A YAML mapping that remembers where it and each of its keys stand."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A YAML sequence that remembers the line of each item."""

    lines: list[int]

    def line_of(self, index: int, default: int) -> int:
        return self.lines[index] if index < len(self.lines) else default


class _Loader(yaml.SafeLoader):
    """Safe YAML with line numbers, duplicate-key detection and dates kept as text.

    Dates stay strings so that an impossible date (`2023-02-30`) is our clear message, not
    PyYAML's traceback, and so that `published` keeps the precision the user wrote.
    """

    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.located_problems: list[tuple[int, str]] = []

    def construct_located_map(self, node: yaml.MappingNode):
        data = LineDict()
        data.line = node.start_mark.line + 1
        data.key_lines = {}
        yield data
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                hash(key)
            except TypeError:
                self.located_problems.append((line, "a key must be a plain value, not a list or mapping"))
                continue
            if key in data:
                self.located_problems.append((line, f"'{key}' is given twice (first on line {data.key_lines[key]})"))
                continue
            data[key] = self.construct_object(value_node, deep=True)
            data.key_lines[key] = line

    def construct_located_seq(self, node: yaml.SequenceNode):
        data = LineList()
        data.lines = [child.start_mark.line + 1 for child in node.value]
        yield data
        data.extend(self.construct_sequence(node, deep=True))


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_located_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_located_seq)


YAML_HINTS = (
    ("mapping values are not allowed", "a value that contains ': ' must be in quotes"),
    ("cannot start any token", "indent with spaces, not tabs, and quote a value that starts with @, ` or %"),
    ("could not find expected ':'", "each line needs 'name: value'; check for a quote that is not closed"),
    ("expected <block end>", "check the indentation of this line and the one before"),
    ("did not find expected key", "check the indentation of this line and the one before"),
    ("found undefined alias", "a value that starts with * must be in quotes"),
    ("recursive node", "an alias (*name) cannot stand inside what its anchor (&name) names"),
    ("found another document", "a '---' line inside the file starts a second document; remove it"),
    ("found unacceptable character", "remove the invisible control character"),
    ("special characters are not allowed", "remove the invisible control character"),
)
"""Plain advice for PyYAML's most common complaints, so a contributor knows what to change."""

NEVER_CLOSED = {
    "while scanning a quoted scalar": "the quoted value that starts on this line is never closed; add its quote",
    "while parsing a flow sequence": "the list that opens with '[' on this line is never closed; add its ']'",
    "while parsing a flow mapping": "the mapping that opens with '{' on this line is never closed; add its '}'",
}
"""PyYAML's context for a quote or bracket left open, which it reports where it gave up (often the
end of the file): the line that opened it is the one to fix."""


class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):
    """The same loader on libyaml's parser where PyYAML has it: several times quicker on big registries."""

    yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    construct_located_map = _Loader.construct_located_map
    construct_located_seq = _Loader.construct_located_seq

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.located_problems: list[tuple[int, str]] = []


_FastLoader.add_constructor("tag:yaml.org,2002:map", _FastLoader.construct_located_map)
_FastLoader.add_constructor("tag:yaml.org,2002:seq", _FastLoader.construct_located_seq)


def load_yaml(
    text: str, path: Path, problems: Problems, first_line: int = 1, severity: Severity = Severity.WARNING
) -> tuple[Any, bool]:
    """Parse YAML text; on failure add a located problem of `severity` and return (None, False)."""
    fast = None
    try:
        fast = _FastLoader(text)
        data = fast.get_single_data()
    except Exception:  # noqa: BLE001 (the Python parser below reads it again and says what is wrong)
        pass
    else:
        return _located(data, fast, path, problems, first_line)
    finally:
        if fast is not None:
            fast.dispose()
    # libyaml words its messages differently, or fails where the Python parser has advice: the Python
    # parser's reading is the one users see.
    loader = None
    try:
        loader = _Loader(text)
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        if isinstance(exc, yaml.reader.ReaderError):
            line = first_line + text[: exc.position].count("\n")
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        hint = next((advice for known, advice in YAML_HINTS if known in reason), None)
        opened = getattr(exc, "context_mark", None)
        if getattr(exc, "context", None) in NEVER_CLOSED and opened is not None and opened.line != mark.line:
            line, reason, hint = first_line + opened.line, NEVER_CLOSED[exc.context], None
        problems.add(path, line, f"malformed YAML: {reason}" + (f" ({hint})" if hint else ""), severity)
        return None, False
    except RecursionError:
        problems.add(path, first_line, "malformed YAML: lists or mappings are nested too deeply to read", severity)
        return None, False
    finally:
        if loader is not None:
            loader.dispose()
    return _located(data, loader, path, problems, first_line)


def _located(data: Any, loader: _Loader, path: Path, problems: Problems, first_line: int) -> tuple[Any, bool]:
    for line, message in loader.located_problems:
        problems.warning(path, first_line - 1 + line, message)
    if first_line != 1:
        _shift_lines(data, first_line - 1, set())
    return data, True


def _shift_lines(data: Any, offset: int, seen: set[int]) -> None:
    """Move line numbers by `offset`, once per node: YAML aliases may share or nest nodes."""
    if id(data) in seen:
        return
    seen.add(id(data))
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift_lines(value, offset, seen)
    elif isinstance(data, list):
        if isinstance(data, LineList):
            data.lines = [line + offset for line in data.lines]
        for value in data:
            _shift_lines(value, offset, seen)


def read_text(path: Path, problems: Problems, severity: Severity = Severity.WARNING) -> str | None:
    """Read a UTF-8 file with newlines normalised; report anything else with `severity`."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.error(path, None, f"cannot be read: {exc.strerror or exc}")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(path, 1, "is UTF-16 text; save it as UTF-8", severity)
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(
            path,
            line,
            f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); save it as UTF-8",
            severity,
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


Check = Callable[[Any], tuple[Any, str | None]]
"""A field check: returns the converted value and an error message, or None when the value is fine."""


@dataclass(frozen=True)
class Field:
    name: str
    check: Check
    required: bool = False
    default: Any = None


def _text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        return None, f"must be text, not {_describe(value)}"
    text = str(value).strip()
    if not text:
        return None, "must not be empty"
    return _no_control_characters(text)


def _no_control_characters(text: str) -> tuple[Any, str | None]:
    found = CONTROL_CHARACTER.search(text)
    if found:
        return None, f"contains an invisible control character (U+{ord(found.group()):04X}); remove it"
    return text, None


def _optional_text(value: Any) -> tuple[Any, str | None]:
    if value is None or value == "":
        return "", None
    return _text(value)


def _raw_text(value: Any) -> tuple[Any, str | None]:
    """Text kept exactly as written (quotes, prefixes and suffixes are matched to the letter)."""
    if value is None:
        return "", None
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        return None, f"must be text, not {_describe(value)}"
    return _no_control_characters(str(value))


def _surface_form(value: Any) -> tuple[Any, str | None]:
    text, error = _text(value)
    if error:
        return None, error
    if not any(unicodedata.category(ch)[0] in "LN" for ch in text):
        return None, f"'{text}' has no letter or digit, so it cannot be matched in text"
    return text, None


def _list_of(item: Check) -> Check:
    def check(value: Any) -> tuple[Any, str | None]:
        if value is None:
            return (), None
        values = value if isinstance(value, list) else [value]
        out, errors = [], []
        for position, each in enumerate(values, 1):
            converted, error = item(each)
            if error:
                errors.append(f"item {position} {error}" if len(values) > 1 or isinstance(value, list) else error)
            else:
                out.append(converted)
        return tuple(out), "; ".join(errors) or None

    return check


def _slug(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and SLUG.match(value):
        return value, None
    if value is None:
        return None, "an id is missing"
    if not isinstance(value, str):
        shown = str(value).lower() if isinstance(value, bool) else value
        return None, f"'{shown}' is not an id: YAML reads it as {_kind(value)}; put it in quotes"
    suggestion = slugify(str(value or ""))
    like = f"'{suggestion}'" if suggestion and suggestion != value else "'wagner-group'"
    return None, f"'{value}' is not an id: use lowercase letters, digits and hyphens, like {like}"


def slugify(text: str) -> str:
    """The id a user probably meant: 'Sergei Lavrov' -> 'sergei-lavrov', 'Assimi Goïta' -> 'assimi-goita'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (list, dict)):
        return "a list or mapping"
    return "something other than text"


def _date(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()), None
        except ValueError as exc:
            if ISO_DATE_SHAPE.fullmatch(value.strip()):
                return None, f"'{value}' is not a date that exists ({exc})"
    return None, f"'{value}' is not a date; write it as YYYY-MM-DD, like 2023-02-07"


def iso_date_or_datetime(text: str) -> dt.date | dt.datetime:
    """A date (2023-02-07) or a date-time (2023-02-07T09:30:00+01:00, or with Z or z for UTC, as RFC 3339
    allows: `fromisoformat` refuses a lower-case z); ValueError otherwise."""
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)


def _date_or_datetime(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str):
        text = value.strip()
        try:
            return iso_date_or_datetime(text), None
        except ValueError as exc:
            if ISO_DATE_SHAPE.match(text) and not str(exc).startswith("Invalid isoformat"):
                return None, f"'{value}' is not a date or date-time that exists ({exc})"
    return None, f"'{value}' is not a date or date-time; write it as 2023-02-07 or 2023-02-07T09:30:00+00:00"


def _url(value: Any) -> tuple[Any, str | None]:
    text, error = _text(value)
    if error:
        return None, error
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in text):
        return None, f"'{text}' is not a safe link; only http:// and https:// addresses are allowed"
    return text, None


def _bool(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    return None, f"must be true or false, not {_describe(value)}"


def _int(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    return None, f"must be a whole number, not {_describe(value)}"


def did_you_mean(unknown: str, known: Iterable[str]) -> str:
    """` (did you mean 'x'?)` with the known id closest to an unknown one, or nothing if none is close."""
    hint = difflib.get_close_matches(unknown, list(known), n=1)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


def _choice(choices: Iterable[str]) -> Check:
    allowed = tuple(choices)

    def check(value: Any) -> tuple[Any, str | None]:
        if value in allowed:
            return value, None
        hint = difflib.get_close_matches(str(value).lower(), allowed, n=1, cutoff=0.6)
        suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
        return None, f"'{value}' is not one of: {', '.join(allowed)}{suggestion}"

    return check


def _pattern(pattern: re.Pattern, example: str) -> Check:
    def check(value: Any) -> tuple[Any, str | None]:
        if value is None:
            return None, None
        if isinstance(value, str) and pattern.match(value):
            return value, None
        return None, f"'{value}' is not valid; write it like {example}"

    return check


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (quote it if you mean the text)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"


ROLE_FIELDS = ("title", "from", "to")


def _role(value: Any) -> tuple[Any, str | None]:
    """A role: its title alone ('foreign minister'), or a mapping with the dates it was held."""
    if not isinstance(value, dict):
        title, error = _text(value)
        return (Role(title), None) if error is None else (None, error)
    unknown = [str(key) for key in value if key not in ROLE_FIELDS]
    if unknown:
        return None, f"has an unknown field '{unknown[0]}' (a role has: {', '.join(ROLE_FIELDS)})"
    if value.get("title") is None:
        return None, "has no 'title'"
    title, error = _text(value["title"])
    if error:
        return None, f"'title' {error}"
    dates = {}
    for key in ("from", "to"):
        if value.get(key) is not None:
            dates[key], error = _date(value[key])
            if error:
                return None, f"'{key}' {error}"
    start, end = dates.get("from"), dates.get("to")
    if start and end and end < start:
        return None, f"'to' ({end}) is before 'from' ({start})"
    return Role(title, start, end), None


NOTE_FIELDS = (
    Field("quote", _raw_text, required=True),
    Field("text", _text, required=True),
    Field("kind", _choice(NOTE_KINDS), default="note"),
    Field("prefix", _raw_text, default=""),
    Field("suffix", _raw_text, default=""),
)


def _notes(value: Any) -> tuple[Any, str | None]:
    """Checked separately (see `_read_notes`), since each note has its own lines."""
    if value is None or isinstance(value, list):
        return value or [], None
    return None, "must be a list of notes"


ARTICLE_FIELDS = (
    Field("title", _text, required=True),
    Field("outlet", _text, required=True),
    Field("published", _date_or_datetime, required=True),
    Field("url", _url),
    Field("author", _list_of(_text), default=()),
    Field("language", _pattern(LANGUAGE_TAG, "en or pt-BR")),
    Field("events", _list_of(_slug), default=()),
    Field("notes", _notes, default=()),
)

TERM_FIELDS = (
    Field("term", _surface_form),
    Field("aliases", _list_of(_surface_form), default=()),
    Field("definition", _text, required=True),
    Field("case_sensitive", _bool, default=False),
    Field("accent_sensitive", _bool, default=False),
    Field("priority", _int, default=0),
)

ENTITY_FIELDS = (
    Field("name", _surface_form, required=True),
    Field("type", _choice(ENTITY_TYPES), required=True),
    Field("aliases", _list_of(_surface_form), default=()),
    Field("summary", _optional_text, default=""),
    Field("wikidata", _pattern(WIKIDATA_ID, "Q42")),
    Field("case_sensitive", _bool, default=True),
    Field("accent_sensitive", _bool, default=False),
    Field("priority", _int, default=0),
    Field("roles", _list_of(_role), default=()),
)

EVENT_FIELDS = (
    Field("title", _text, required=True),
    Field("date", _date, required=True),
    Field("place", _slug),
    Field("summary", _optional_text, default=""),
)


def check_fields(
    record: Any, fields: tuple[Field, ...], path: Path, line: int, what: str, problems: Problems
) -> dict[str, Any] | None:
    """Check one mapping against its fields; return the converted values, or None if it is unusable."""
    values, usable = read_fields(record, fields, path, line, what, problems)
    return values if usable else None


def read_fields(
    record: Any, fields: tuple[Field, ...], path: Path, line: int, what: str, problems: Problems
) -> tuple[dict[str, Any] | None, bool]:
    """The converted values of one mapping, with defaults for what is missing or wrong, and whether it
    is usable (every required field given and valid); no values when it is not a mapping. A record
    left out for a missing field still has its other fields' values, so that what refers to other
    records (an article's events, its notes) can be checked too and every problem listed at once."""
    if not isinstance(record, dict):
        problems.warning(path, line, f"{what} must be a mapping of fields, not {_describe(record)}")
        return None, False
    line_of = record.line_of if isinstance(record, LineDict) else (lambda _key: line)
    known = {f.name for f in fields}
    values: dict[str, Any] = {}
    usable = True
    for key in record:
        if key not in known:
            hint = difflib.get_close_matches(str(key), known, n=1)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else f"; known fields: {', '.join(sorted(known))}"
            problems.warning(path, line_of(key), f"{what} has an unknown field '{key}'{suggestion}")
    for spec in fields:
        if spec.name not in record or record[spec.name] is None:
            if spec.required and spec.name in record:
                problems.warning(path, line_of(spec.name), f"{what}: '{spec.name}' must not be empty")
                usable = False
            elif spec.required:
                problems.warning(path, line, f"{what} is missing the required field '{spec.name}'")
                usable = False
            values[spec.name] = spec.default
            continue
        value, error = spec.check(record[spec.name])
        if error:
            problems.warning(path, line_of(spec.name), f"{what}: '{spec.name}' {error}")
            if spec.required:
                usable = False
            if value is None:  # a list keeps its good items: only the broken one is left out
                value = spec.default
        values[spec.name] = value
    return values, usable


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Split `---` front matter from the body: (yaml, body, first line of the body), or None."""
    first_line, _, _ = text.partition("\n")
    if first_line.rstrip() != "---":
        return None
    match = FRONT_MATTER_END.search(text, len(first_line) + 1)
    if match is None:
        return None
    yaml_text = text[len(first_line) + 1 : match.start()]
    body = text[match.end() + 1 :]
    body_line = text[: match.end()].count("\n") + 2
    return yaml_text, body, body_line


def _missing_front_matter(text: str) -> tuple[int, str]:
    """Where and why `split_front_matter` found nothing, in the words a user needs."""
    lines = text.split("\n")
    if lines[0].rstrip() == "---":
        return 1, "the front matter that starts here is never closed; add a '---' line after its fields"
    first = next((number for number, line in enumerate(lines, 1) if line.strip()), None)
    if first is not None and first > 1 and lines[first - 1].rstrip() == "---":
        return first, "the front matter must start on the very first line; remove the blank lines above it"
    if first is None:
        return (
            1,
            "is empty; an article starts with a '---' line, its fields (title, outlet, published), and another '---'",
        )
    return (
        1,
        "has no front matter; start the file with a '---' line, the fields (title, outlet, published), "
        "and another '---'",
    )


def _read_notes(raw: list, path: Path, article_line: int, problems: Problems) -> tuple[Note, ...]:
    notes = []
    for position, item in enumerate(raw, 1):
        if isinstance(item, LineDict):
            line = item.line
        else:
            line = raw.line_of(position - 1, article_line) if isinstance(raw, LineList) else article_line
        values = check_fields(item, NOTE_FIELDS, path, line, f"note {position}", problems)
        if values is None:
            continue
        if not values["quote"]:
            problems.warning(path, line, f"note {position}: 'quote' must not be empty")
            continue
        notes.append(Note(line=line, **values))
    return tuple(notes)


def read_article(
    path: Path,
    article_id: str,
    known_events: Collection[str] | None,
    problems: Problems,
    registered: Collection[str] = (),
) -> Article | None:
    """Read one article. `known_events` is None when events.yml could not be read (nothing to check);
    `registered` holds ids that are in events.yml but have problems of their own, reported there."""
    text = read_text(path, problems)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        problems.warning(path, *_missing_front_matter(text))
        return None
    yaml_text, body, body_line = parts
    data, ok = load_yaml(yaml_text, path, problems, first_line=2)
    if not ok:
        return None
    if data is None:
        data = LineDict()
        data.line, data.key_lines = 1, {}
    values, usable = read_fields(data, ARTICLE_FIELDS, path, 1, "the front matter", problems)
    if values is None:
        return None
    events = tuple(dict.fromkeys(values["events"])) if known_events is not None else ()
    for event_id in events:
        if event_id not in known_events and event_id not in registered:
            hint = did_you_mean(event_id, {*known_events, *registered})
            problems.warning(path, data.line_of("events"), f"unknown event '{event_id}'{hint}; add it to events.yml")
    notes = _read_notes(values["notes"], path, data.line_of("notes"), problems)
    published = values["published"]
    if isinstance(published, dt.datetime) and published.tzinfo is None:
        problems.info(
            path,
            data.line_of("published"),
            f"the front matter: 'published' ({published.isoformat()}) has a time of day but no UTC offset, so "
            f"the time line takes it as UTC; if it is local time, add its offset, as in "
            f"{published.isoformat()}+01:00",
        )
    if not usable:
        return None
    return Article(
        id=article_id,
        title=values["title"],
        outlet=values["outlet"],
        published=values["published"],
        url=values["url"],
        authors=values["author"],
        language=values["language"],
        events=tuple(e for e in events if e in known_events),
        notes=notes,
        body=body,
        path=problems.display(path),
        body_line=body_line,
    )


def read_registry(path: Path, what: str, problems: Problems) -> dict[str, tuple[LineDict, int]] | None:
    """Read one of the YAML registries into {id: (record, line)}.

    A missing file is an empty registry; an unreadable one is None, an error that stops the build,
    and the ids it would hold are not checked elsewhere, so that one typo is one message.
    """
    misnamed = path.with_suffix(".yaml")
    if misnamed.exists():
        problems.warning(misnamed, None, f"is not read; rename it to {path.name}")
    if not path.exists():
        return {}
    text = read_text(path, problems, Severity.ERROR)
    if text is None:
        return None
    data, ok = load_yaml(text, path, problems, severity=Severity.ERROR)
    if not ok:
        return None
    if data is None:
        return {}
    if not isinstance(data, LineDict):
        problems.error(path, 1, f"must be a mapping from {what} ids to their fields, not {_describe(data)}")
        return None
    entries = {}
    for key, record in data.items():
        line = data.line_of(key)
        if not isinstance(key, str) or not SLUG.match(key):
            problems.warning(path, line, f"{_slug(key)[1]}")
            continue
        if key in RESERVED_IDS and what != "term":
            problems.warning(
                path, line, f"'{key}' cannot be {_a(what)} id: it is the name of the page that lists them all"
            )
            continue
        entries[key] = (record, line)
    return entries


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


class SourceCache:
    """What earlier loads made of each file, by content, so that a rebuild parses only what changed.

    A host that loads the same dossier again and again (`mkdocs serve`) keeps one and passes it to
    `load_dossier`; entries that a load did not use are dropped at the next.
    """

    def __init__(self) -> None:
        self.entries = Kept()
        self.made = 0
        """How many files the last load had to parse."""

    def get(self, key: tuple, path: Path, problems: Problems, make: Callable[[Problems], Any]) -> Any:
        """`make(problems)` for the file at `path`, or what it gave for the same content and key."""
        try:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
        except OSError:
            return make(problems)

        def parse() -> tuple[Any, Problems]:
            found = Problems(problems.root)
            self.made += 1
            return make(found), found

        value, found = self.entries.get((*key, str(path), digest), parse)
        problems.extend(found)
        return value

    def start(self) -> None:
        self.entries.rotate()
        self.made = 0


def _cached(
    cache: SourceCache | None, key: tuple, path: Path, problems: Problems, make: Callable[[Problems], Any]
) -> Any:
    return make(problems) if cache is None else cache.get(key, path, problems, make)


def load_dossier(root: Path, cache: SourceCache | None = None) -> tuple[Dossier, Problems]:
    """Read and check a whole dossier folder. Problems are returned, never raised."""
    root = Path(root)
    if cache is not None:
        cache.start()
    return _load_dossier(root, cache)


def _load_dossier(root: Path, cache: SourceCache | None) -> tuple[Dossier, Problems]:
    problems = Problems(root)
    if not root.is_dir():
        advice = "create it, with an 'articles' folder of Markdown files inside"
        problems.error(root, None, _missing_folder(root, "the dossier folder", advice))
        return Dossier(), problems

    def registry(path: Path, what: str) -> dict[str, tuple[LineDict, int]] | None:
        return _cached(cache, ("registry", what), path, problems, lambda found: read_registry(path, what, found))

    terms = {}
    for term_id, (record, line) in (registry(root / "glossary.yml", "term") or {}).items():
        values = check_fields(record, TERM_FIELDS, root / "glossary.yml", line, f"term '{term_id}'", problems)
        if values is not None:
            values["term"] = values["term"] or term_id
            terms[term_id] = Term(id=term_id, line=line, **values)

    entities = {}
    entity_records = registry(root / "entities.yml", "entity")
    for entity_id, (record, line) in (entity_records or {}).items():
        values = check_fields(record, ENTITY_FIELDS, root / "entities.yml", line, f"entity '{entity_id}'", problems)
        if values is not None:
            entities[entity_id] = Entity(id=entity_id, line=line, **values)

    events = {}
    events_path = root / "events.yml"
    event_records = registry(events_path, "event")
    for event_id, (record, line) in (event_records or {}).items():
        values, usable = read_fields(record, EVENT_FIELDS, events_path, line, f"event '{event_id}'", problems)
        if values is None:
            continue
        if values["place"] is not None and values["place"] not in entities:
            if entity_records is not None and values["place"] not in entity_records:
                problems.warning(
                    events_path,
                    record.line_of("place"),
                    f"event '{event_id}': unknown place '{values['place']}'"
                    f"{did_you_mean(values['place'], entity_records)}; add it to entities.yml",
                )
            values["place"] = None
        if usable:
            events[event_id] = Event(id=event_id, line=line, **values)

    articles = _read_articles(
        root, events if event_records is not None else None, set(event_records or ()), problems, cache
    )
    dossier = Dossier(articles=articles, entities=entities, terms=terms, events=events)
    check_surface_forms(dossier, root, problems)
    return dossier, problems


def _missing_folder(folder: Path, name: str, advice: str) -> str:
    if folder.exists():
        return f"{name} must be a folder, not a file"
    return f"{name} does not exist; {advice}"


def _read_articles(
    root: Path,
    events: dict[str, Event] | None,
    registered: Collection[str],
    problems: Problems,
    cache: SourceCache | None = None,
) -> dict[str, Article]:
    """Read every article; `events` is None when events.yml could not be read, and `registered` holds
    the ids in it, so that an event with problems of its own is not also unknown to its articles."""
    folder = root / "articles"
    if not folder.is_dir():
        advice = "create it, and put one Markdown file per article in it"
        problems.error(folder, None, _missing_folder(folder, "the articles folder", advice))
        return {}
    for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix()):
        if path.suffix.lower() in MARKDOWN_SUFFIXES and path.suffix != ".md" and path.is_file():
            problems.warning(path, None, f"is not read; articles are .md files, so rename it to {path.stem}.md")
        elif path.suffix == ".md" and path.is_symlink() and not path.exists():
            problems.warning(path, None, "is a link to a file that does not exist")
    paths = sorted((p for p in folder.rglob("*.md") if p.is_file()), key=lambda p: p.relative_to(folder).as_posix())
    if not paths:
        problems.error(
            folder,
            None,
            "holds no articles; add one Markdown file per article, named after its id, like ap-lavrov-visit.md",
        )
        return {}
    articles: dict[str, Article] = {}
    seen: dict[str, Path] = {}
    known = (None if events is None else frozenset(events), frozenset(registered))
    for path in paths:
        article_id = path.stem
        if not SLUG.match(article_id):
            better = slugify(article_id) or "ap-lavrov-visit"
            problems.warning(
                path,
                1,
                f"the file name is the article's id, and '{article_id}' is not an id: use lowercase letters, "
                f"digits and hyphens; rename the file to {better}.md",
            )
            continue
        if article_id in RESERVED_IDS:
            problems.warning(
                path,
                1,
                f"'{article_id}' cannot be an article id: it is the name of the page that lists them all; "
                "rename the file",
            )
            continue
        if article_id in seen:
            problems.warning(
                path,
                1,
                f"another article has the id '{article_id}' ({problems.display(seen[article_id])}); "
                "ids must be unique across folders, so rename one of the files",
            )
            continue
        seen[article_id] = path
        article = _cached(
            cache,
            ("article", known),
            path,
            problems,
            lambda found, path=path, article_id=article_id: read_article(path, article_id, events, found, registered),
        )
        if article is not None:
            articles[article_id] = article
    return articles


class _Claim(NamedTuple):
    filename: str
    kind: str
    id: str
    line: int
    form: str
    case_sensitive: bool
    priority: int
    accent_sensitive: bool = False


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def _comparable(form: str, case: bool, accents: bool) -> str:
    """A spelling as the matcher tells it from others: with its case and accents only where asked."""
    decomposed = unicodedata.normalize("NFD", form).translate(_INVISIBLE)
    if not accents:
        decomposed = "".join(ch for ch in decomposed if not ("\u0300" <= ch <= "\u036f"))
    text = " ".join(unicodedata.normalize("NFC", decomposed).replace("’", "'").split())
    return text if case else text.casefold()


def check_surface_forms(dossier: Dossier, root: Path, problems: Problems) -> None:
    """Report two entries that could match the same text, unless `priority` says which one wins."""
    claims: dict[str, list[_Claim]] = defaultdict(list)
    for filename, kind, entries in (
        ("entities.yml", "entity", dossier.entities.values()),
        ("glossary.yml", "term", dossier.terms.values()),
    ):
        for entry in entries:
            for form in entry.surface_forms:
                claims[_comparable(form, case=False, accents=False)].append(
                    _Claim(
                        filename,
                        kind,
                        entry.id,
                        entry.line,
                        form,
                        entry.case_sensitive,
                        entry.priority,
                        entry.accent_sensitive,
                    )
                )
    for claimants in claims.values():
        top = max(c.priority for c in claimants)
        winners = [c for c in claimants if c.priority == top]
        for i, a in enumerate(winners):
            clash = next(
                (b for b in winners[i + 1 :] if (a.kind, a.id) != (b.kind, b.id) and _same_text(a, b)),
                None,
            )
            if clash is not None:
                problems.warning(
                    root / a.filename,
                    a.line,
                    f"{a.kind} '{a.id}' and {clash.kind} '{clash.id}' ({clash.filename}, line {clash.line}) both "
                    f"claim the spelling '{a.form}'; remove it from one of them, or give the one that should win "
                    "a higher 'priority'",
                )
                break


def _same_text(a: _Claim, b: _Claim) -> bool:
    """Whether some text matches both spellings: their case counts only if both are case-sensitive,
    their accents only if both are accent-sensitive."""
    case, accents = a.case_sensitive and b.case_sensitive, a.accent_sensitive and b.accent_sensitive
    return _comparable(a.form, case, accents) == _comparable(b.form, case, accents)
