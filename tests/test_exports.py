"""The exports written with the site: dossier.json (against its schema), entities.ftm.json (validated by
followthemoney) and the JSON-LD of article and event pages (parsed back)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import followthemoney
import pytest
from conftest import MINIMAL_DOSSIER, ROOT

SCHEMA = json.loads((ROOT / "schema" / "dossier.schema.json").read_text(encoding="utf-8"))

HOSTILE_TITLE = "Lavrov </script><script>alert(1)</script> & <!-- Bamako"

RICHER = {
    **MINIMAL_DOSSIER,
    "dossier/articles/afp-talks.md": """\
        ---
        title: Lavrov holds talks in Mali
        outlet: AFP
        published: 2023-02-07T10:15:00+00:00
        url: https://example.org/afp/talks
        author: [Jane Doe, John Roe]
        language: en
        events: [visit]
        notes:
          - quote: talks in Bamako
            kind: context
            text: The talks took place at the presidential palace.
          - quote: nowhere in the text
            text: A note that cannot be placed.
        ---
        Sergei Lavrov held talks in Bamako on Tuesday. Mali's junta welcomed him.

        Lavrov then left for Moscow.
        """,
    "dossier/entities.yml": """\
        sergei-lavrov:
          name: Sergei Lavrov
          type: person
          aliases: [Lavrov]
          summary: Russia's foreign minister.
        bamako:
          name: Bamako
          type: place
          wikidata: Q3703
        mali:
          name: Mali
          type: place
          wikidata: Q912
        moscow:
          name: Moscow
          type: place
        wagner:
          name: Wagner Group
          type: organization
        tuareg:
          name: Tuareg
          type: other
        """,
}


def read_site(site: Path) -> dict:
    return json.loads((site / "dossier.json").read_text(encoding="utf-8"))


def ftm_lines(site: Path) -> list[dict]:
    return [json.loads(line) for line in (site / "entities.ftm.json").read_text(encoding="utf-8").splitlines()]


class _ScriptReader(HTMLParser):
    """Collects the JSON-LD scripts of a page the way a browser's parser splits them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[str, str]] = []
        self._type: str | None = None
        self._in_head = False
        self.in_head: list[bool] = []

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self._in_head = True
        if tag == "script":
            self._type = dict(attrs).get("type", "")
            self.scripts.append((self._type, ""))
            self.in_head.append(self._in_head)

    def handle_endtag(self, tag):
        if tag == "head":
            self._in_head = False
        if tag == "script":
            self._type = None

    def handle_data(self, data):
        if self._type is not None:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)


def json_ld(page: str) -> list[dict]:
    reader = _ScriptReader()
    reader.feed(page)
    found = [json.loads(text) for kind, text in reader.scripts if kind == "application/ld+json"]
    assert all(
        head for (kind, _), head in zip(reader.scripts, reader.in_head, strict=True) if kind == "application/ld+json"
    )
    return found


@pytest.fixture
def richer(build_site):
    built = build_site(RICHER)
    assert built.aborted is None, built.messages()
    return built


def test_dossier_json_is_valid_against_the_published_schema(sample_site, richer):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    for site in (sample_site, richer.site):
        errors = sorted(validator.iter_errors(read_site(site)), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


def test_the_schema_rejects_what_it_should():
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(SCHEMA)
    broken = {
        "format": "mkdocs-dossier",
        "version": 1,
        "articles": [],
        "entities": [{"id": "Not An Id"}],
        "terms": [],
        "events": [],
        "mentions": [],
    }
    assert list(validator.iter_errors(broken))


def test_every_mention_points_into_its_article_text_and_sentence(sample_site):
    data = read_site(sample_site)
    articles = {article["id"]: article for article in data["articles"]}
    assert len(data["mentions"]) > 50
    for mention in data["mentions"]:
        article = articles[mention["article"]]
        text = article["text"]
        assert text[mention["start"] : mention["end"]] == mention["text"]
        sentence = mention["sentence"]
        assert sentence["start"] <= mention["start"] < mention["end"] <= sentence["end"]
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        if sentence["id"] is not None:
            assert {"id": sentence["id"], "start": sentence["start"], "end": sentence["end"]} in article["sentences"]
    html = (sample_site / "articles" / "afp-lavrov-arrives-in-mali.html").read_text(encoding="utf-8")
    in_page = re.findall(r'data-entity="([^"]+)"[^>]*id="([^"]+)"', html)
    exported = [(m["entity"], m["anchor"]) for m in data["mentions"] if m["article"] == "afp-lavrov-arrives-in-mali"]
    assert exported == in_page


def test_dossier_json_holds_articles_entities_terms_events(richer):
    data = read_site(richer.site)
    assert [a["id"] for a in data["articles"]] == ["ap-visit", "afp-talks"], "a day without a time comes first"
    afp = data["articles"][1]
    assert afp["published"] == "2023-02-07T10:15:00+00:00"
    assert afp["authors"] == ["Jane Doe", "John Roe"]
    assert afp["page"] == "articles/afp-talks.html"
    assert [note["anchor"] for note in afp["notes"]] == ["note-1", None]
    entities = {e["id"]: e for e in data["entities"]}
    assert entities["sergei-lavrov"]["mention_count"] == 3
    assert entities["mali"]["wikidata"] == "Q912"
    assert data["terms"][0] == {
        "id": "junta",
        "term": "junta",
        "aliases": [],
        "definition": "A military group that rules a country after taking power by force.",
        "page": "glossary.html#junta",
    }
    assert data["events"][0]["articles"] == ["ap-visit", "afp-talks"]
    first = next(m for m in data["mentions"] if m["article"] == "afp-talks")
    assert (first["article"], first["entity"], first["text"], first["page"]) == (
        "afp-talks",
        "sergei-lavrov",
        "Sergei Lavrov",
        "articles/afp-talks.html#m-sergei-lavrov-1",
    )
    assert first["sentence"]["text"] == "Sergei Lavrov held talks in Bamako on Tuesday."


def test_entities_ftm_json_is_valid_followthemoney(sample_site, richer):
    model = followthemoney.model
    for site in (sample_site, richer.site):
        lines = ftm_lines(site)
        ids = [line["id"] for line in lines]
        assert len(ids) == len(set(ids))
        for data in lines:
            schema = model.get(data["schema"])
            assert schema is not None and not schema.abstract, data["schema"]
            for name in data["properties"]:
                assert name in schema.properties, f"{data['schema']} has no property {name}"
                assert not schema.properties[name].stub
            schema.validate(data)
            cleaned = model.get_proxy(data, cleaned=False).to_dict()
            assert cleaned["properties"] == {k: v for k, v in data["properties"].items()}, data["id"]
            for name, values in data["properties"].items():
                prop = schema.properties[name]
                if prop.type.name == "entity":
                    for value in values:
                        assert value in ids, f"{data['id']}.{name} points to a missing entity {value}"
                        assert model.get(lines[ids.index(value)]["schema"]).is_a(prop.range), (name, value)


def test_ftm_entities_have_fitting_schemata_names_aliases_and_wikidata_ids(richer):
    by_id = {line["id"]: line for line in ftm_lines(richer.site)}
    lavrov = by_id["dossier-entity-sergei-lavrov"]
    assert lavrov["schema"] == "Person"
    assert lavrov["properties"]["name"] == ["Sergei Lavrov"]
    assert lavrov["properties"]["alias"] == ["Lavrov"]
    assert by_id["dossier-entity-mali"]["schema"] == "Address"
    assert by_id["dossier-entity-mali"]["properties"]["wikidataId"] == ["Q912"]
    assert by_id["dossier-entity-wagner"]["schema"] == "Organization"
    assert by_id["dossier-entity-tuareg"]["schema"] == "LegalEntity"
    article = by_id["dossier-article-afp-talks"]
    assert article["schema"] == "Article"
    assert article["properties"]["publishedAt"] == ["2023-02-07T10:15:00"]
    link = by_id["dossier-documentation-afp-talks--sergei-lavrov"]
    assert link["properties"]["document"] == ["dossier-article-afp-talks"]
    assert link["properties"]["entity"] == ["dossier-entity-sergei-lavrov"]
    assert by_id["dossier-event-visit"]["properties"]["addressEntity"] == ["dossier-entity-bamako"]


def test_article_pages_carry_news_article_json_ld(richer):
    page = richer.page("articles/afp-talks.html")
    (data,) = json_ld(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Lavrov holds talks in Mali"
    assert data["datePublished"] == "2023-02-07T10:15:00+00:00"
    assert data["publisher"] == {"@type": "Organization", "name": "AFP"}
    assert data["url"] == "https://example.org/afp/talks"
    assert data["author"] == [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}]
    about = {(item["@type"], item["name"]) for item in data["about"]}
    assert about == {("Event", "Lavrov's visit to Mali"), ("Person", "Sergei Lavrov"), ("Place", "Mali")}
    mentions = {item["name"]: item for item in data["mentions"]}
    assert list(mentions) == ["Sergei Lavrov", "Bamako", "Mali", "Moscow"]
    assert mentions["Mali"]["sameAs"] == "https://www.wikidata.org/wiki/Q912"
    assert "sameAs" not in mentions["Moscow"]
    assert mentions["Bamako"]["url"] == "../entities/bamako.html"


def test_event_pages_carry_event_json_ld_with_absolute_urls_when_the_site_url_is_known(build_site):
    built = build_site(RICHER, site_url="https://dossier.example.org/mali/")
    (data,) = json_ld(built.page("events/visit.html"))
    assert data["@type"] == "Event"
    assert data["name"] == "Lavrov's visit to Mali"
    assert data["startDate"] == "2023-02-07"
    assert data["url"] == "https://dossier.example.org/mali/events/visit.html"
    assert data["location"]["sameAs"] == "https://www.wikidata.org/wiki/Q3703"
    assert [a["url"] for a in data["subjectOf"]] == [
        "https://dossier.example.org/mali/articles/ap-visit.html",
        "https://dossier.example.org/mali/articles/afp-talks.html",
    ]
    assert data["subjectOf"][1]["sameAs"] == "https://example.org/afp/talks"
    ftm = {line["id"]: line for line in ftm_lines(built.site)}
    assert ftm["dossier-entity-mali"]["properties"]["sourceUrl"] == [
        "https://dossier.example.org/mali/entities/mali.html"
    ]


def test_no_source_text_can_close_the_json_ld_script(build_site):
    files = dict(RICHER)
    files["dossier/articles/afp-talks.md"] = RICHER["dossier/articles/afp-talks.md"].replace(
        "title: Lavrov holds talks in Mali", f"title: {json.dumps(HOSTILE_TITLE)}"
    )
    built = build_site(files)
    assert built.aborted is None, built.messages()
    for url in ("articles/afp-talks.html", "events/visit.html"):
        page = built.page(url)
        opening = '<script type="application/ld+json">'
        start = page.index(opening) + len(opening)
        content = page[start : page.index("</script", start)]
        assert "<" not in content and "&" not in content, (
            "the element holds no markup, so a browser ends it where it should"
        )
        data = json.loads(content)
        headline = data["headline"] if url.startswith("articles") else data["subjectOf"][1]["headline"]
        assert headline == HOSTILE_TITLE


def test_other_pages_carry_no_json_ld(richer):
    for url in ("index.html", "articles/index.html", "entities/mali.html", "glossary.html"):
        assert json_ld(richer.page(url)) == [], url


def test_exports_are_the_same_bytes_on_every_build(build_site, tmp_path):
    first = build_site(RICHER)
    saved = {
        name: (first.site / name).read_bytes()
        for name in ("dossier.json", "entities.ftm.json", "events/visit.html", "entities/sergei-lavrov.html")
    }
    second = build_site(RICHER)
    for name, content in saved.items():
        assert (second.site / name).read_bytes() == content, name


def test_a_docs_file_in_the_way_of_an_export_stops_the_build(build_site):
    built = build_site({**RICHER, "docs/dossier.json": "{}"})
    assert built.aborted is not None
    assert any("rename or move them: dossier.json" in message for message in built.messages())
