"""Site search finds a name however a reader types its diacritics: 'Goita' finds 'Goïta'."""

from __future__ import annotations

import json
import re

from mkdocs_dossier.site.pages import search_view

FILES = {
    "dossier/articles/ap-visit.md": (
        "---\ntitle: Visit\noutlet: AP\npublished: 2023-02-07\n---\n"
        "Colonel Assimi Goïta met Volker Türk’s envoy in Bamako.\n\n## Later\n\nThe envoy left.\n"
    ),
    "dossier/entities.yml": (
        "assimi-goita:\n  name: Assimi Goïta\n  type: person\n  summary: Leader of Mali's junta.\n"
        "volker-turk:\n  name: Volker Türk\n  type: person\n"
    ),
    "docs/index.md": "# Home\n",
}


def test_each_section_is_followed_by_the_plain_spellings_of_its_accented_words():
    view = search_view("<h1>Assimi Goïta</h1><p>Goïta met Türk’s aide, and Москва.</p><h2>B</h2><p>Mali’s.</p>")
    assert view == (
        "<h1>Assimi Goïta</h1><p>Goïta met Türk’s aide, and Москва.</p>"
        '<p class="dossier-plain-spellings">Goita Turk</p><h2>B</h2><p>Mali’s.</p>'
    )
    assert search_view("<p>Plain text.</p>") == "<p>Plain text.</p>"


def test_the_search_index_finds_goita_and_turk(build_site):
    built = build_site(FILES, plugins=["search", "dossier"])
    assert built.aborted is None, built.messages()
    docs = json.loads(built.page("search/search_index.json"))["docs"]
    article = " ".join(d["text"] for d in docs if d["location"].startswith("articles/ap-visit.html"))
    assert "Goïta" in article and re.search(r"\bGoita\b", article) and re.search(r"\bTurk\b", article)
    entity = " ".join(d["title"] + " " + d["text"] for d in docs if d["location"].startswith("entities/assimi-goita"))
    assert re.search(r"\bGoita\b", entity)
    assert "dossier-plain-spellings" not in built.page("articles/ap-visit.html")
