"""What keeps big dossiers cheap, checked by its shape, never by its time (timings live in `bench/`)."""

from __future__ import annotations

import json
import logging
import posixpath
import sys
from collections import Counter
from pathlib import Path

import mkdocs_dossier
import pytest
from conftest import MINIMAL_DOSSIER, ROOT, write_tree
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_dossier.analysis import compare as dossier_compare
from mkdocs_dossier.site import pages as dossier_pages
from mkdocs_dossier.site.pages import relative_url, search_view
from mkdocs_dossier.sources.kept import Kept
from mkdocs_dossier.sources.loader import SourceCache, load_dossier
from mkdocs_dossier.sources.problems import Problems
from mkdocs_dossier.text import extension as dossier_markdown
from mkdocs_dossier.text.extension import strip_marks
from mkdocs_dossier.text.matcher import Matcher, Spelling, Target

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402


def test_a_matcher_of_30000_forms_finds_each_of_them_at_word_edges():
    spellings = [Spelling(f"Name{number} Kar", Target("entity", f"e{number}"), True) for number in range(30000)]
    matcher = Matcher(spellings)
    assert matcher.size == 30000
    text = "Name17 Kar met Name29999 Kar, then Name123 Karl and xName5 Kar; Name4000 Kar's aide."
    found = [(m.text, m.target.id) for m in matcher.find(text)]
    assert found == [("Name17 Kar", "e17"), ("Name29999 Kar", "e29999"), ("Name4000 Kar", "e4000")]


def test_the_generated_dossier_loads_cleanly_with_the_forms_it_promises(tmp_path):
    written = generate.write(tmp_path, articles=12, terms=20, entities=30, seed=3)
    assert written["surface_forms"] == 20 * 2 + 30 * 3
    dossier, problems = load_dossier(tmp_path / "dossier" / "dossier")
    assert [str(p) for p in problems] == []
    assert len(dossier.articles) == 12 and len(dossier.entities) == 30 and len(dossier.terms) == 20
    assert all(2 <= len(articles) <= 5 for articles in dossier.coverage.values() if len(dossier.articles) > 5)
    plain = sorted(p.name for p in (tmp_path / "plain" / "docs" / "articles").iterdir())
    assert plain == sorted(f"{a}.md" for a in dossier.articles)
    again = tmp_path / "again"
    generate.write(again, articles=12, terms=20, entities=30, seed=3)
    first = (tmp_path / "dossier" / "dossier" / "articles" / "article-00007.md").read_text(encoding="utf-8")
    assert (again / "dossier" / "dossier" / "articles" / "article-00007.md").read_text(encoding="utf-8") == first


def test_relative_urls_match_posixpath():
    def reference(target: str, current: str) -> str:
        head, tail = posixpath.split(current)
        base = head if "." in tail else current
        relative = posixpath.relpath("/" + target, "/" + base)
        return relative + "/" if target.endswith("/") else relative

    urls = [
        "",
        "index.html",
        "glossary.html",
        "glossary/",
        "articles/",
        "articles/a.html",
        "articles/a/",
        "entities/b/",
        "x/y/z.html",
    ]
    for target in urls:
        for current in urls:
            assert relative_url(target, current) == reference(target, current), (target, current)


def test_search_reads_the_text_without_the_marks():
    html = (
        '<p><span class="dossier-sentence" id="s-1"></span>Mr <a class="dossier-mention" data-entity="x" '
        'href="../entities/x.html" id="m-x-1" title="X: a &quot;man&quot;">Xavier</a> led the '
        '<mark aria-describedby="note-1" class="dossier-note dossier-note-correction" data-note="note-1" '
        'id="note-1-quote" tabindex="0" title="t">navy <abbr class="dossier-term" data-term="junta" '
        'id="t-junta-1" tabindex="0" title="d">junta</abbr></mark> and <a href="https://example.org">a link</a>.</p>'
    )
    assert strip_marks(html) == '<p>Mr Xavier led the navy junta and <a href="https://example.org">a link</a>.</p>'
    page = '<article><h1>X</h1><p>Summary.</p>\n<!-- dossier:search-skip -->\n<h2 id="mentions">Mentions</h2></article>'
    assert search_view(page) == "<article><h1>X</h1><p>Summary.</p>\n"
    glossary = (
        "<dd><p>Def.</p>\n<!-- dossier:search-skip --><p>Used in: <a>A</a></p><!-- dossier:search-resume -->\n</dd>"
    )
    assert search_view(glossary) == "<dd><p>Def.</p>\n\n</dd>"
    skip, resume = "<!-- dossier:search-skip -->", "<!-- dossier:search-resume -->"
    assert search_view(f"a{skip}b{resume}c{skip}d{resume}e{skip}f{skip}g") == "ace"
    assert search_view(f"a{resume}b") == f"a{resume}b"


def test_the_search_index_holds_each_article_text_and_not_the_excerpts(build_site):
    built = build_site(plugins=["search", "dossier"])
    assert built.aborted is None, built.messages()
    docs = json.loads(built.page("search/search_index.json"))["docs"]
    article = next(d for d in docs if d["location"] == "articles/ap-visit.html")
    assert "Sergei Lavrov met the junta in Bamako." in article["text"]
    page = built.page("articles/ap-visit.html")
    assert 'data-entity="sergei-lavrov"' in page and 'class="dossier-sentence"' in page
    entity = [d for d in docs if d["location"].startswith("entities/sergei-lavrov.html")]
    assert entity and not any("met the junta" in d["text"] for d in entity)
    assert "met the junta" in built.page("entities/sergei-lavrov.html")
    glossary = " ".join(d["text"] for d in docs if d["location"].startswith("glossary.html"))
    assert "taking power by force" in glossary and "Used in" not in glossary
    assert "Used in" in built.page("glossary.html")


def test_generated_pages_stay_out_of_the_navigation(build_site):
    files = dict(MINIMAL_DOSSIER)
    files["dossier/entities.yml"] = files["dossier/entities.yml"].rstrip(" ") + "".join(
        f"        extra-{n}:\n          name: Extra Person{n}\n          type: person\n" for n in range(25)
    )
    built = build_site(files, plugins=["search", "dossier"], nav=["index.md", {"Entities": "entities/index.md"}])
    assert built.aborted is None, built.messages()
    home = built.page("index.html")
    assert "extra-3.html" not in home and "articles/ap-visit.html" not in home
    assert "extra-3.html" in built.page("entities/index.html")


PACKAGE = str(Path(mkdocs_dossier.__file__).parent)


def _lines_run_by_the_plugin(project: Path, site: Path) -> Counter:
    """How many lines each function of the plugin (its templates included) runs in a one-process
    build of the generated `project`: a count of its work that, unlike time, does not move with the
    machine."""
    loaded = load_config(str(project / generate.ONE_PROCESS), site_dir=str(site))
    lines: Counter = Counter()

    def count(frame, event, arg):
        if event == "line":
            code = frame.f_code
            lines[code.co_filename[len(PACKAGE) + 1 :], code.co_firstlineno, code.co_name] += 1
        return count

    def enter(frame, event, arg):
        return count if frame.f_code.co_filename.startswith(PACKAGE) else None

    before = sys.gettrace()
    sys.settrace(enter)
    try:
        build(loaded)
    finally:
        sys.settrace(before)
    return lines


def test_twice_the_articles_make_no_part_of_the_plugin_run_more_than_twice_the_lines(tmp_path):
    """No quadratic step, counted rather than timed (the benchmark's `--doubling` times it): with the
    same entities and terms, each function runs about twice the lines for twice the articles. A loop
    over the articles inside a loop over the articles would run four times as many; a line that does
    such work in C (`in` on a list) is not seen here."""
    counted = {}
    for label, articles in (("single", 40), ("double", 80)):
        generate.write(tmp_path / label, articles=articles, terms=20, entities=30, seed=1)
        counted[label] = _lines_run_by_the_plugin(tmp_path / label / "dossier", tmp_path / label / "site")
    single, double = counted["single"], counted["double"]
    assert sum(double.values()) <= 2 * sum(single.values())
    grown = {where: double[where] / lines for where, lines in single.items() if lines >= 200}
    assert len(grown) > 100, "the count reaches the plugin's functions and templates"
    assert any(where[0].startswith("site/templates") for where in grown)
    assert max(grown.values()) <= 2.5, sorted(grown.items(), key=lambda item: -item[1])[:5]
    assert not [where for where in double if where not in single and double[where] >= 200]


def test_a_second_load_parses_only_the_files_that_changed(tmp_path):
    write_tree(tmp_path, MINIMAL_DOSSIER)
    broken = tmp_path / "dossier/articles/ap-other.md"
    broken.write_text("---\ntitle: Other\noutlet: AP\npublished: 2023-02-31\n---\nText.\n", encoding="utf-8")
    cache = SourceCache()
    first, problems = load_dossier(tmp_path / "dossier", cache)
    assert cache.made == 5
    again, problems_again = load_dossier(tmp_path / "dossier", cache)
    assert cache.made == 0
    assert [str(p) for p in problems_again] == [str(p) for p in problems] != []
    assert again.articles == first.articles
    path = tmp_path / "dossier/articles/ap-visit.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Bamako.", "Bamako today."), encoding="utf-8")
    changed, _ = load_dossier(tmp_path / "dossier", cache)
    assert cache.made == 1
    assert changed.articles["ap-visit"].body.endswith("Bamako today.\n")
    assert isinstance(problems, Problems)


@pytest.fixture
def serve_builds(tmp_path, monkeypatch):
    """Build a project twice in one process as `mkdocs serve` does, counting articles matched, and
    articles converted (whose tree the annotation walks)."""
    matched: list[int] = []
    place = dossier_markdown.place_matches

    def counting(*args):
        matched[-1] += 1
        return place(*args)

    monkeypatch.setattr(dossier_markdown, "place_matches", counting)
    converted: list[int] = []
    annotate = dossier_markdown.DossierTreeprocessor._annotate

    def counting_conversions(self, root):
        converted[-1] += 1
        return annotate(self, root)

    monkeypatch.setattr(dossier_markdown.DossierTreeprocessor, "_annotate", counting_conversions)
    compared: list[int] = []
    compare_event = dossier_compare.compare_event

    def counting_comparisons(*args, **kwargs):
        compared[-1] += 1
        return compare_event(*args, **kwargs)

    monkeypatch.setattr(dossier_compare, "compare_event", counting_comparisons)

    def run(project: Path, serving: bool = True) -> Path:
        site = tmp_path / "site"
        matched.append(0)
        converted.append(0)
        compared.append(0)
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="serve" if serving else "build", dirty=False)
        build(config)
        return site

    run.matched = matched
    run.converted = converted
    run.compared = compared
    return run


def test_a_serve_rebuild_annotates_only_the_article_that_changed(tmp_path, serve_builds):
    project = tmp_path / "project"
    files = dict(MINIMAL_DOSSIER)
    for n in range(2, 6):
        files[f"dossier/articles/ap-visit-{n}.md"] = MINIMAL_DOSSIER["dossier/articles/ap-visit.md"].replace(
            "Sergei Lavrov met", f"On day {n}, Sergei Lavrov met"
        )
    write_tree(project, files)
    (project / "mkdocs.yml").write_text(
        "site_name: Test\nuse_directory_urls: false\ntheme: {name: material, font: false}\n"
        "plugins: [search, dossier]\n",
        encoding="utf-8",
    )
    site = serve_builds(project)
    before = {p.name: p.read_text(encoding="utf-8") for p in (site / "articles").glob("ap-visit-*.html")}
    edited = project / "dossier/articles/ap-visit-3.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nLavrov left Bamako.\n", encoding="utf-8")
    site = serve_builds(project)
    assert serve_builds.matched == [5, 1], "only the article that changed is matched again"
    assert serve_builds.converted == [5, 5], "MkDocs converts every article, through its public API"
    assert 'id="m-sergei-lavrov-2"' in (site / "articles/ap-visit-3.html").read_text(encoding="utf-8")
    for name, html in before.items():
        if name != "ap-visit-3.html":
            assert (site / "articles" / name).read_text(encoding="utf-8") == html, name
    assert (site / "entities/sergei-lavrov.html").read_text(encoding="utf-8").count(
        "ap-visit-3.html#m-sergei-lavrov-2"
    ) == 1
    serve_builds(project)
    assert serve_builds.matched[-1] == 0 and serve_builds.compared[-1] == 0, "nothing changed, nothing redone"
    assert serve_builds.compared[:2] == [1, 1], "the event of the edited article is compared again"

    glossary = project / "dossier/glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("by force", "by arms"), encoding="utf-8")
    serve_builds(project)
    assert serve_builds.matched[-1] == 5, "a changed registry annotates every article again"
    serve_builds(project, serving=False)
    assert serve_builds.matched[-1] == 5, "an ordinary build keeps nothing"


def test_a_rebuild_logs_what_each_article_logs_and_a_new_file_changes_its_links_without_matching_again(
    tmp_path, serve_builds, caplog
):
    """Every serve rebuild converts each article through MkDocs, so each logs its warnings again
    (`--strict` counts them); a new file can change where any link leads, and the links follow, but no
    article is matched again unless its text changed."""
    project = tmp_path / "project"
    files = dict(MINIMAL_DOSSIER)
    files["dossier/articles/ap-visit.md"] += "\nSee [the timeline](../missing.md).\n"
    files["dossier/articles/ap-visit-2.md"] = MINIMAL_DOSSIER["dossier/articles/ap-visit.md"].replace(
        "Sergei Lavrov met", "On day 2, Sergei Lavrov met"
    )
    write_tree(project, files)
    (project / "mkdocs.yml").write_text(
        "site_name: Test\nuse_directory_urls: false\ntheme: {name: material, font: false}\n"
        "plugins: [search, dossier]\n",
        encoding="utf-8",
    )

    def missing_link_warnings() -> list[str]:
        messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        return [message for message in messages if "missing.md" in message]

    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.INFO):
            site = serve_builds(project)
        assert len(missing_link_warnings()) == 1, [r.getMessage() for r in caplog.records]
    assert serve_builds.matched == [2, 0]
    kept = (site / "articles/ap-visit.html").read_text(encoding="utf-8")

    (project / "docs/missing.md").write_text("# Timeline\n", encoding="utf-8")
    caplog.clear()
    with caplog.at_level(logging.INFO):
        site = serve_builds(project)
    assert serve_builds.matched[-1] == 0
    assert missing_link_warnings() == []
    html = (site / "articles/ap-visit.html").read_text(encoding="utf-8")
    assert html != kept and 'href="../missing.html"' in html

    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("dossier]", "{dossier: {sanitize: false}}]"))
    serve_builds(project)
    assert serve_builds.matched[-1] == 0, "sanitizing comes after the annotation"


def _site_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_a_serve_rebuild_renders_again_only_the_pages_of_what_changed(tmp_path, serve_builds, monkeypatch):
    """Each entity and event page is kept with the articles it shows; every rebuild gives the site a
    fresh build of the same sources gives, byte for byte."""
    rendered: list[set[str]] = []
    for kind in ("_entity", "_event"):
        render = getattr(dossier_pages.PageRenderer, kind)

        def counting(self, item, render=render):
            if rendered:  # Not in the fresh build the test compares with.
                rendered[-1].add(item.id)
            return render(self, item)

        monkeypatch.setattr(dossier_pages.PageRenderer, kind, counting)
    generate.write(tmp_path / "generated", articles=30, terms=20, entities=40, seed=5)
    project = tmp_path / "generated" / "dossier"
    dossier, _ = load_dossier(project / "dossier")
    everything = {*dossier.entities, *dossier.events}

    def rebuild() -> set[str]:
        rendered.append(set())
        site = _site_files(serve_builds(project))
        again = rendered.pop()
        fresh = tmp_path / "fresh"
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(fresh))
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        assert site == _site_files(fresh), "the rebuilt site differs from a fresh build's"
        return again

    assert rebuild() == everything
    assert rebuild() == set(), "nothing changed, nothing rendered"

    article = dossier.articles_by_date[7]
    body = article.body.casefold()
    entity = next(e for e in dossier.entities.values() if not any(f.casefold() in body for f in e.surface_forms))
    path = project / "dossier" / "articles" / f"{article.id}.md"
    path.write_text(path.read_text(encoding="utf-8") + f"\nThe talks ended with {entity.name}.\n", encoding="utf-8")
    dossier, _ = load_dossier(project / "dossier")
    again = rebuild()
    assert entity.id in again and set(article.events) <= again
    assert len(again) < len(everything) / 2, again

    events = project / "dossier" / "events.yml"
    event = dossier.events_by_date[0]
    events.write_text(events.read_text(encoding="utf-8").replace(event.title, "Renamed"), encoding="utf-8")
    again = rebuild()
    assert event.id in again and (event.place is None or event.place in again)
    assert len(again) < len(everything) / 2, again

    config = json.loads((project / "mkdocs.yml").read_text(encoding="utf-8"))
    (project / "mkdocs.yml").write_text(json.dumps({**config, "use_directory_urls": True}), encoding="utf-8")
    assert rebuild() == everything, "every link changes with the URLs"


def test_what_a_build_did_not_ask_for_is_dropped_at_the_next():
    kept = Kept()
    made: list[str] = []

    def make(text: str):
        return lambda: made.append(text) or text

    held = (object(),)
    assert kept.get("a", make("page a"), held) == "page a"
    assert kept.get("b", make("page b")) == "page b"
    assert kept.get("missing") is None and len(kept) == 2
    kept.rotate()
    assert kept.get("a", make("other")) == "page a", "kept from the last build"
    assert kept.fresh["a"][0] is held, "the objects whose ids a key holds live as long as it"
    kept.put("c", "")
    assert kept.get("c", make("not made")) == "", "a falsy value is kept too"
    kept.rotate()  # "b" went unused in the last build: it is gone.
    assert kept.get("b", make("page b again")) == "page b again"
    assert kept.get("a", make("other")) == "page a"
    assert made == ["page a", "page b", "page b again"]
