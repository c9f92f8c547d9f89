"""What another plugin (or a hook in `mkdocs.yml`) sees of the dossier's pages, at its events'
default priority: the guide's How it works page promises it."""

from __future__ import annotations

import json

from conftest import MINIMAL_DOSSIER

HOOK = """\
import json
from pathlib import Path

seen = {}


def on_page_markdown(markdown, page, **kwargs):
    seen.setdefault(page.file.src_uri, {})["markdown"] = markdown


def on_page_content(html, page, **kwargs):
    seen[page.file.src_uri]["content"] = html


def on_page_context(context, page, **kwargs):
    seen[page.file.src_uri]["context"] = page.content


def on_post_page(output, page, **kwargs):
    seen[page.file.src_uri]["post_page"] = page.content
    seen[page.file.src_uri]["output"] = "dossier-mention" in output or "data-entity-page" in output


def on_post_build(config, **kwargs):
    Path(config.config_file_path).with_name("seen.json").write_text(json.dumps(seen), encoding="utf-8")
"""


def test_another_plugin_sees_each_article_and_each_generated_page_whole(build_site):
    built = build_site({**MINIMAL_DOSSIER, "hooks.py": HOOK}, hooks=["hooks.py"])
    assert built.aborted is None
    seen = json.loads((built.project / "seen.json").read_text(encoding="utf-8"))

    article = seen["articles/ap-visit.md"]
    assert article["markdown"].strip() == "Sergei Lavrov met the junta in Bamako."
    assert 'class="dossier-mention' in article["content"]
    assert 'class="dossier-mention' in article["context"]
    assert article["post_page"] == article["context"] and article["output"]

    entity = seen["entities/sergei-lavrov.md"]
    assert "data-entity-page" not in entity["content"], "a generated page is filled in on_page_context"
    assert 'data-entity-page="sergei-lavrov"' in entity["context"]
    assert entity["post_page"] == entity["context"] and entity["output"]
    assert 'data-event-page="visit"' in seen["events/visit.md"]["context"]
