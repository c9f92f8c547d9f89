"""Write a synthetic dossier, and the same articles as a plain MkDocs site, for the benchmark.

    python3 bench/generate.py OUT --articles 1000 --terms 1000 --entities 250 --seed 1

writes `OUT/dossier/` (a project with the `dossier` plugin, in the contract's format) and `OUT/plain/`
(the same article files as ordinary pages, same theme and Markdown extensions, no plugin). Everything
comes from one seeded random generator, so a seed always gives the same files.

Articles are about 700 words in paragraphs, with a heading or two; about one word in 40 is a
mention of an entity or a glossary term, and a few mentions sit inside inline code, links and
headings, where nothing may be marked. Articles come in events of 2 to 5; the articles of one event
share a cast of entities, as real coverage of one story does.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

FILLER = """
the of and to in a is that for on was with he it as at by this had not are but from or have an they
which one you were her all she there would their we him been has when who will more no if out so
said what up its about into than them can only other new some could time these two may then do
first any my now such like our over man me even most made after also did many before must through
back years where much your way well down should because each just those people how too little state
good very make world still own see men work long get here between both life being under never day
same another know while last might us great old year off come since against go came right used take
three states himself few house use during without again place american around however home small
found thought went say part once general high upon school every government week report officials
ministry talks city region army council forces talks capital border minister statement meeting
""".split()

SYLLABLES = """
ba be bi bo bu da de di do du fa fe fi fo ga ge go ka ke ki ko ku la le li lo lu ma me mi mo mu na
ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zi zo zu
kar ven tol mir sul dan vor lek tan bar mel sor gal fen rin dov
""".split()

OUTLETS = ["AFP", "AP", "Reuters", "BBC", "Le Monde", "Al Jazeera", "DW", "El País"]
TYPES = ["person", "organization", "place", "other"]
WORDS_PER_ARTICLE = 700
WORDS_PER_MENTION = 40


@dataclass
class Registry:
    """The generated glossary and entities, with each one's surface forms."""

    terms: dict[str, dict] = field(default_factory=dict)
    entities: dict[str, dict] = field(default_factory=dict)
    forms: dict[str, list[str]] = field(default_factory=dict)
    """Surface forms by entry key ('term:<id>' or 'entity:<id>')."""


class Names:
    """Invented words that collide neither with each other nor with the filler vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken = {w.lower() for w in FILLER}

    def word(self, syllables: int = 3, unique: bool = True) -> str:
        """A new word; with `unique=False`, one that may repeat but is still no filler or claimed word."""
        while True:
            word = "".join(self.rng.choice(SYLLABLES) for _ in range(syllables))
            if word not in self.taken:
                if unique:
                    self.taken.add(word)
                return word


def make_registry(rng: random.Random, terms: int, entities: int) -> Registry:
    names = Names(rng)
    registry = Registry()
    claimed: set[str] = set()

    def free(*forms: str) -> bool:
        """No two entries may claim one spelling (the contract's rule); draw again if they would."""
        folded = {f.casefold() for f in forms}
        if folded & claimed or len(folded) < len(forms):
            return False
        claimed.update(folded)
        return True

    for number in range(terms):
        word = names.word(3)
        term_id = f"{word}-{number}"
        plural = word + "s"
        if not free(word, plural):
            continue
        registry.terms[term_id] = {"term": word, "aliases": [plural], "definition": f"Definition of {word}."}
        registry.forms[f"term:{term_id}"] = [word, plural]
    for number in range(entities):
        kind = TYPES[number % len(TYPES)]
        while True:
            first, last = names.word(2, unique=False).capitalize(), names.word(3).capitalize()
            if kind == "person":
                name, aliases = f"{first} {last}", [last, f"{first[0]}. {last}"]
            elif kind == "organization":
                name, aliases = f"{first} {last} Group", [f"{last} Group", f"{first[0]}{last[0]}{number}"]
            elif kind == "place":
                name, aliases = f"{first}{last.lower()}", [f"{first}-{last}", f"{last} Province"]
            else:
                name, aliases = f"Operation {first} {last}", [f"Operation {last}", f"{first} {last} plan"]
            if free(name, *aliases):
                break
        entity_id = f"e{number}-{first.lower()}-{last.lower()}"
        registry.entities[entity_id] = {
            "name": name,
            "type": kind,
            "aliases": aliases,
            "summary": f"A generated {kind}.",
        }
        registry.forms[f"entity:{entity_id}"] = [name, *aliases]
    return registry


def sentence(rng: random.Random, words: int, mention: str | None) -> str:
    body = [rng.choice(FILLER) for _ in range(words)]
    if mention is not None:
        body.insert(rng.randrange(1, words), mention)
    text = " ".join(body)
    return text[0].upper() + text[1:] + "."


def decorate(rng: random.Random, form: str) -> str:
    """Most mentions are prose; a few sit where nothing may be marked: code and links."""
    roll = rng.random()
    if roll < 0.03:
        return f"`{form}`"
    if roll < 0.06:
        return f"[{form}](https://example.org/{rng.randrange(1000)})"
    return form


def article_body(rng: random.Random, cast: list[str], registry: Registry, note_token: str) -> str:
    """About 700 words: paragraphs of sentences, one mention per 40 words, two headings."""
    terms = list(registry.terms)
    entities = list(registry.entities)

    def pick() -> str:
        roll = rng.random()
        if roll < 0.35 and terms:
            key = f"term:{rng.choice(terms)}"
        elif roll < 0.80 and cast:
            key = f"entity:{rng.choice(cast)}"
        elif entities:
            key = f"entity:{rng.choice(entities)}"
        else:
            return rng.choice(FILLER)
        return rng.choice(registry.forms[key])

    paragraphs, words, since_mention = [], 0, 0
    headings_at = {WORDS_PER_ARTICLE // 3, 2 * WORDS_PER_ARTICLE // 3}
    while words < WORDS_PER_ARTICLE:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            length = rng.randint(8, 24)
            mention = None
            if since_mention + length >= WORDS_PER_MENTION:
                mention, since_mention = decorate(rng, pick()), 0
            else:
                since_mention += length
            sentences.append(sentence(rng, length, mention))
            words += length
        paragraphs.append(" ".join(sentences))
        if any(words - 80 < mark <= words for mark in headings_at):
            paragraphs.append(f"## The {rng.choice(FILLER)} of {pick()}")
    paragraphs.insert(len(paragraphs) // 2, f"The ministry counted {note_token} reports on that day.")
    return "\n\n".join(paragraphs) + "\n"


def make_dossier(rng: random.Random, articles: int, registry: Registry) -> tuple[dict, dict[str, str]]:
    """(events, {article id: file text}); events gather 2 to 5 articles each."""
    entities = list(registry.entities)
    places = [e for e, record in registry.entities.items() if record["type"] == "place"]
    events, texts = {}, {}
    number = 0
    while number < articles:
        size = min(rng.randint(2, 5), articles - number)
        event_id = f"event-{len(events) + 1}"
        day = 1 + len(events) % 28
        month = 1 + (len(events) // 28) % 12
        year = 2000 + len(events) // (28 * 12)
        date = f"{year:04d}-{month:02d}-{day:02d}"
        event = {"title": f"Event {len(events) + 1}", "date": date, "summary": "A generated event."}
        if places:
            event["place"] = rng.choice(places)
        events[event_id] = event
        cast = rng.sample(entities, min(6, len(entities)))
        for _ in range(size):
            number += 1
            article_id = f"article-{number:05d}"
            token = f"{number * 7919 % 100000:05d}"
            front = {
                "title": f"Article {number}: {rng.choice(FILLER)} {rng.choice(FILLER)}",
                "outlet": rng.choice(OUTLETS),
                "published": date,
                "url": f"https://example.org/{article_id}",
                "events": [event_id],
            }
            if number % 10 == 0:
                front["notes"] = [{"quote": f"counted {token} reports", "kind": "context", "text": "A generated note."}]
            texts[article_id] = (
                "---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n" + article_body(rng, cast, registry, token)
            )
    return events, texts


MKDOCS_COMMON = {
    "use_directory_urls": False,
    "theme": {"name": "material", "font": False, "features": ["navigation.sections"]},
    "markdown_extensions": [{"toc": {"permalink": True}}],
}


ONE_PROCESS = "mkdocs-one-process.yml"
"""The dossier's configuration with `parallel: false`, beside its `mkdocs.yml`."""


def write(out: Path, articles: int, terms: int, entities: int, seed: int) -> dict:
    """Write both projects under `out`, replacing what was there; return what was written."""
    rng = random.Random(seed)
    registry = make_registry(rng, terms, entities)
    events, texts = make_dossier(rng, articles, registry)
    for project in ("dossier", "plain"):
        shutil.rmtree(out / project, ignore_errors=True)

    root = out / "dossier"
    (root / "dossier" / "articles").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Synthetic dossier\n\nGenerated for the benchmark.\n", encoding="utf-8")
    for article_id, text in texts.items():
        (root / "dossier" / "articles" / f"{article_id}.md").write_text(text, encoding="utf-8")
    # JSON is YAML, and far quicker to write for 10,000 entries.
    for name, data in (("glossary.yml", registry.terms), ("entities.yml", registry.entities), ("events.yml", events)):
        (root / "dossier" / name).write_text(
            "\n".join(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items())
            + "\n",
            encoding="utf-8",
        )
    config = {
        "site_name": "Synthetic dossier",
        **MKDOCS_COMMON,
        "plugins": ["search", "dossier"],
        "nav": [
            {"Home": "index.md"},
            {"Articles": "articles/index.md"},
            {"Events": "events/index.md"},
            {"Entities": "entities/index.md"},
            {"Glossary": "glossary.md"},
        ],
    }
    (root / "mkdocs.yml").write_text(json.dumps(config, indent=1), encoding="utf-8")
    one_process = {**config, "plugins": ["search", {"dossier": {"parallel": False}}]}
    (root / ONE_PROCESS).write_text(json.dumps(one_process, indent=1), encoding="utf-8")

    plain = out / "plain"
    (plain / "docs" / "articles").mkdir(parents=True)
    (plain / "docs" / "index.md").write_text("# Synthetic dossier\n\nGenerated for the benchmark.\n", encoding="utf-8")
    for article_id, text in texts.items():
        (plain / "docs" / "articles" / f"{article_id}.md").write_text(text, encoding="utf-8")
    # Articles stay out of the navigation here too, as the dossier's do, so that neither build pays
    # for a navigation of thousands of entries on every page.
    config = {
        "site_name": "Synthetic dossier",
        **MKDOCS_COMMON,
        "plugins": ["search"],
        "nav": [{"Home": "index.md"}],
        "not_in_nav": "/articles/",
    }
    (plain / "mkdocs.yml").write_text(json.dumps(config, indent=1), encoding="utf-8")
    forms = sum(len(f) for f in registry.forms.values())
    return {"articles": len(texts), "terms": terms, "entities": entities, "events": len(events), "surface_forms": forms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write 'dossier/' and 'plain/' into")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--terms", type=int, default=1000)
    parser.add_argument("--entities", type=int, default=250)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(json.dumps(write(args.out, args.articles, args.terms, args.entities, args.seed)))


if __name__ == "__main__":
    main()
