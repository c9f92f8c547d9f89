"""`dossier import`: saved web pages become articles, offline, without overwriting anything."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import markdown
import pytest
from click.testing import CliRunner
from mkdocs_dossier.command.cli import main
from mkdocs_dossier.command.importer import ExtractionFailure, ImportedArticle, extract_article, read_saved_page
from mkdocs_dossier.sources.loader import load_dossier, split_front_matter

SAVED = Path(__file__).parent / "saved_pages"
SAHEL = SAVED / "sahel-times-lavrov-bamako.html"
NEWSWIRE = SAVED / "newswire-lavrov-pledge.html"
PAYWALL = SAVED / "paywall-no-article.html"

EVENTS_YML = """\
lavrov-visits-mali-2023:
  title: Sergei Lavrov's visit to Mali
  date: 2023-02-07
"""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Importing must never reach the network: any attempt fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the importer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "dossier").mkdir()
    (tmp_path / "dossier" / "events.yml").write_text(EVENTS_YML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_front_matter_comes_from_the_page_metadata():
    article = extract_article(read_saved_page(SAHEL))
    assert isinstance(article, ImportedArticle)
    assert article.title == "Lavrov lands in Bamako for talks with Mali's junta"
    assert article.outlet == "The Sahel Times"
    assert article.authors == ("Aminata Traoré",)
    assert article.published.isoformat() == "2023-02-07T10:15:00+00:00"
    assert article.url == "https://www.saheltimes.example.org/2023/02/07/lavrov-lands-in-bamako.html"
    assert article.language == "en"
    assert article.id == "the-sahel-times-lavrov-lands-in-bamako-for-talks-with-mali-s"


def test_body_is_the_article_text_as_markdown_without_the_page_around_it():
    body = extract_article(read_saved_page(SAHEL)).body
    paragraphs = body.split("\n\n")
    assert paragraphs[0].startswith("Russia's foreign minister, Sergei Lavrov, arrived in Bamako on Tuesday")
    assert "## Closer military ties" in paragraphs
    assert "*jihadist insurgency*" in body
    assert paragraphs[-1].startswith("France, the former colonial power")
    for chrome in ("cookies", "Related stories", "Share on X", "All rights reserved", "Photo: Staff", "Opinion"):
        assert chrome not in body
    assert "# Lavrov lands in Bamako" not in body, "the title is in the front matter, not repeated as a heading"


def test_outlet_falls_back_to_the_domain_and_several_authors_become_a_list():
    article = extract_article(read_saved_page(NEWSWIRE))
    assert article.outlet == "newswire.example.net"
    assert article.authors == ("Baba Ahmed", "Edith M Lederer")
    assert article.published.isoformat() == "2023-02-07T16:40:00+00:00"
    assert article.url == "https://newswire.example.net/article/mali-russia-lavrov-4f2a9c"


def test_the_outlet_given_on_the_command_line_wins():
    article = extract_article(read_saved_page(NEWSWIRE), outlet="Newswire")
    assert article.outlet == "Newswire"
    assert article.id.startswith("newswire-lavrov-pledges")


def test_a_page_without_an_article_is_reported_with_a_reason():
    result = extract_article(read_saved_page(PAYWALL))
    assert isinstance(result, ExtractionFailure)
    assert "no article text" in result.reason


def test_a_page_of_one_word_is_reported_in_the_singular(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>T</title></head><body><p>Subscribe</p></body></html>", encoding="utf-8")
    result = extract_article(read_saved_page(page))
    assert isinstance(result, ExtractionFailure)
    assert result.reason.startswith("no article text found (1 word);")


def test_the_saved_from_comment_gives_the_address_when_the_page_declares_none(tmp_path):
    html = SAHEL.read_text(encoding="utf-8")
    html = html.replace('<link rel="canonical"', '<link rel="alternate"').replace(
        'property="og:url"', 'property="og:x"'
    )
    page = tmp_path / "page.html"
    page.write_text(
        html.replace(
            "https://www.saheltimes.example.org/2023/02/07/lavrov-lands-in-bamako.html -->",
            "https://saved.example.org/story -->",
        ),
        encoding="utf-8",
    )
    assert extract_article(read_saved_page(page)).url == "https://saved.example.org/story"


def test_text_that_looks_like_html_stays_text(tmp_path):
    paragraph = "<p>He wrote &lt;script&gt;alert(1)&lt;/script&gt; and R&amp;D &amp;amp; more, to see what happens.</p>"
    html = SAHEL.read_text(encoding="utf-8").replace('<div class="story-body">', '<div class="story-body">' + paragraph)
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    body = extract_article(read_saved_page(page)).body
    rendered = markdown.markdown(body)
    assert "<script>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered


def test_written_file_reads_back_as_an_article_without_problems(tmp_path):
    article = extract_article(read_saved_page(SAHEL), events=("lavrov-visits-mali-2023",))
    (tmp_path / "dossier" / "articles").mkdir(parents=True)
    (tmp_path / "dossier" / "events.yml").write_text(EVENTS_YML, encoding="utf-8")
    source = article.source()
    assert source.startswith(
        "---\ntitle: Lavrov lands in Bamako for talks with Mali's junta\noutlet: The Sahel Times\n"
    )
    assert "published: 2023-02-07T10:15:00+00:00\n" in source
    assert "events: [lavrov-visits-mali-2023]\n" in source
    (tmp_path / "dossier" / "articles" / f"{article.id}.md").write_text(source, encoding="utf-8")
    dossier, problems = load_dossier(tmp_path / "dossier")
    assert not problems, [str(p) for p in problems]
    loaded = dossier.articles[article.id]
    assert (loaded.title, loaded.outlet, loaded.authors, loaded.events) == (
        article.title,
        article.outlet,
        article.authors,
        article.events,
    )
    assert loaded.published == article.published
    assert loaded.body.strip() == article.body.strip()
    assert split_front_matter(source)[1].startswith("Russia's foreign minister")


def test_import_command_writes_articles_and_reports_failures(project):
    result = CliRunner().invoke(
        main, ["import", str(SAHEL), str(NEWSWIRE), str(PAYWALL), "--event", "lavrov-visits-mali-2023"]
    )
    assert result.exit_code == 1, result.output
    written = sorted(p.name for p in (project / "dossier" / "articles").iterdir())
    assert written == [
        "newswire-example-net-lavrov-pledges-more-military-help-to-mali.md",
        "the-sahel-times-lavrov-lands-in-bamako-for-talks-with-mali-s.md",
    ]
    assert f"{PAYWALL}: could not be imported: no article text found" in result.output
    assert "2 imported, 0 skipped, 1 could not be imported." in result.output
    assert "Importing" in result.output, "several pages show a progress bar"
    dossier, problems = load_dossier(project / "dossier")
    assert not problems, [str(p) for p in problems]
    assert len(dossier.coverage["lavrov-visits-mali-2023"]) == 2


def test_import_never_overwrites_an_article(project):
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(SAHEL)]).exit_code == 0
    target = project / "dossier" / "articles" / "the-sahel-times-lavrov-lands-in-bamako-for-talks-with-mali-s.md"
    target.write_text("edited by hand", encoding="utf-8")
    result = runner.invoke(main, ["import", str(SAHEL)])
    assert result.exit_code == 0
    assert (
        "skipped, dossier/articles/the-sahel-times-lavrov-lands-in-bamako-for-talks-with-mali-s.md already exists"
        in result.output
    )
    assert target.read_text(encoding="utf-8") == "edited by hand"


def test_one_page_shows_no_progress_bar(project):
    result = CliRunner().invoke(main, ["import", str(SAHEL)])
    assert "Importing" not in result.output
    assert "imported as dossier/articles/the-sahel-times" in result.output


def test_import_follows_the_dossier_dir_of_mkdocs_yml(project):
    (project / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - search\n  - dossier:\n      dossier_dir: sources\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["import", str(SAHEL)])
    assert result.exit_code == 0, result.output
    assert len(list((project / "sources" / "articles").glob("*.md"))) == 1


def test_unknown_event_is_a_warning_and_a_malformed_one_an_error(project):
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(SAHEL), "--event", "no-such-event"])
    assert "warning: event 'no-such-event' is not in dossier/events.yml" in result.output
    result = runner.invoke(main, ["import", str(NEWSWIRE), "--event", "Not An Id"])
    assert result.exit_code == 2
    assert "is not an event id" in result.output


@pytest.mark.parametrize(
    ("events_yml", "said"),
    [
        ("lavrov-visits-mali-2023: [unclosed\n", "dossier/events.yml:1: error: malformed YAML: the list that opens"),
        ("- lavrov-visits-mali-2023\n", "dossier/events.yml:1: error: must be a mapping from event ids"),
        ("a:\n  title: A\n b: 2\n", "dossier/events.yml:3: error: malformed YAML"),
    ],
)
def test_an_unreadable_events_file_stops_the_import_before_anything_is_written(project, events_yml, said):
    (project / "dossier" / "events.yml").write_text(events_yml, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(SAHEL), "--event", "lavrov-visits-mali-2023"])
    assert result.exit_code == 1, result.output
    assert said in result.output
    assert "error: nothing was imported: --event is looked up in dossier/events.yml, which cannot be read" in (
        result.output
    )
    assert "is not in dossier/events.yml" not in result.output
    assert not (project / "dossier" / "articles").exists()
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_events_file_missing_or_without_the_event_warns_and_imports(project):
    (project / "dossier" / "events.yml").unlink()
    result = CliRunner().invoke(main, ["import", str(SAHEL), "--event", "lavrov-visits-mali-2023"])
    assert result.exit_code == 0, result.output
    assert (
        "warning: event 'lavrov-visits-mali-2023' is not in dossier/events.yml, which does not exist yet; "
        "create it with this event before you build"
    ) in result.output
    assert "1 imported" in result.output

    (project / "dossier" / "events.yml").write_text(EVENTS_YML, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(NEWSWIRE), "--event", "lavrov-visits-mali"])
    assert result.exit_code == 0, result.output
    assert (
        "warning: event 'lavrov-visits-mali' is not in dossier/events.yml (did you mean 'lavrov-visits-mali-2023'?); "
        "add it there before you build"
    ) in result.output


def test_a_broken_events_file_does_not_stop_an_import_without_event(project):
    (project / "dossier" / "events.yml").write_text("a: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(SAHEL)])
    assert result.exit_code == 0, result.output
    assert "events.yml" not in result.output


def test_saved_pages_in_another_encoding_are_read(tmp_path):
    html = SAHEL.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=windows-1252")
    page = tmp_path / "latin.html"
    page.write_bytes(html.encode("cp1252"))
    article = extract_article(read_saved_page(page))
    assert article.authors == ("Aminata Traoré",)
    assert "Assimi Goïta" in article.body


def test_the_help_says_how_little_of_mkdocs_yml_is_read():
    """`dossier import` may run before the site can be built: it reads `mkdocs.yml` leniently."""
    shown = " ".join(CliRunner().invoke(main, ["import", "--help"]).output.split())
    assert "read only for the plugin's dossier_dir" in shown
    assert "read as a build reads it" not in shown


def test_dossier_option_names_the_folder(tmp_path, monkeypatch):
    shutil.copy(SAHEL, tmp_path / "a.html")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import", "a.html", "--dossier", "elsewhere"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "elsewhere" / "articles").glob("*.md"))) == 1


def test_files_that_are_not_web_pages_are_reported_not_crashed_on(project):
    (project / "binary.html").write_bytes(bytes(range(256)) * 40)
    (project / "empty.html").write_bytes(b"")
    (project / "notes.html").write_text("just a line of text", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "binary.html", "empty.html", "notes.html"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "empty.html: could not be imported: the file is empty" in result.output
    assert "binary.html: could not be imported:" in result.output
    assert "notes.html: could not be imported: no article text found" in result.output
    assert "0 imported, 0 skipped, 3 could not be imported." in result.output


def test_single_file_web_archives_are_reported_with_how_to_save_the_page_instead(project):
    html = SAHEL.read_text(encoding="utf-8").replace("=", "=3D")
    (project / "page.mhtml").write_text(
        "From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
        '\ttype="text/html";\r\n\tboundary="----B----"\r\n\r\n------B----\r\n'
        "Content-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + html,
        encoding="utf-8",
    )
    (project / "page.webarchive").write_bytes(b"bplist00\xd1\x01\x02_\x10\x0fWebMainResource")
    result = CliRunner().invoke(main, ["import", "page.mhtml", "page.webarchive"])
    assert result.exit_code == 1
    assert (
        "page.mhtml: could not be imported: is a single-file web archive (MHTML: 'Web page, single file'), which "
        "the import does not read; save the page again as 'Web page, complete' or 'HTML only'"
    ) in result.output
    assert (
        "page.webarchive: could not be imported: is a Safari web archive, which the import does not read; "
        "save the page again as 'Page Source'"
    ) in result.output


def test_mojibake_is_repaired_on_the_way_in(tmp_path):
    html = SAHEL.read_text(encoding="utf-8").replace("Assimi Goïta", "Assimi GoÃ¯ta")
    paragraph = "<p>It was Putinís first such visit, and Mali’s army welcomed it in the capital.</p>"
    html = html.replace('<div class="story-body">', '<div class="story-body">' + paragraph)
    page = tmp_path / "garbled.html"
    page.write_text(html, encoding="utf-8")
    article = extract_article(read_saved_page(page))
    assert "GoÃ¯ta" not in article.body
    assert "Assimi Goïta" in article.body
    assert "It was Putin’s first such visit, and Mali’s army" in article.body
