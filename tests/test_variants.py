"""The name-variant check: unregistered spellings close to registered ones, and recurring names."""

from __future__ import annotations

import logging
import shutil

import pytest
import yaml
from conftest import ROOT, annotate
from mkdocs_dossier.analysis.variants import find_variants, findings_as_yaml
from mkdocs_dossier.command.check import check_dossier


def sample_without(tmp_path, alias: str):
    """A copy of the sample dossier whose entities.yml no longer lists `alias`."""
    folder = tmp_path / "dossier"
    shutil.copytree(ROOT / "dossier", folder)
    entities = folder / "entities.yml"
    text = entities.read_text(encoding="utf-8")
    entities.write_text(text.replace(f", {alias}]", "]"), encoding="utf-8")
    return folder


def test_the_sample_has_no_finding(sample):
    dossier, annotations = sample
    assert find_variants(dossier, annotations) == []


def test_an_unregistered_spelling_close_to_a_registered_one_is_a_variant(tmp_path):
    dossier, annotations = annotate(sample_without(tmp_path, "Goeta"))
    (finding,) = find_variants(dossier, annotations)
    assert finding.kind == "variant"
    assert finding.name == "Goeta"
    assert finding.entity.id == "assimi-goita"
    assert finding.close_to == "Goïta"
    body = dossier.articles["ap-lavrov-pledges-military-aid"]
    line = (
        (ROOT / "dossier" / "articles" / "ap-lavrov-pledges-military-aid.md").read_text(encoding="utf-8").splitlines()
    )
    assert "Goeta sought" in line[finding.locations[0].line - 1]
    assert str(finding).startswith(
        f'{body.path}:{finding.locations[0].line}: "Goeta" looks like a spelling of Assimi Goïta'
    )
    assert "aliases: [Asimi Guetta, Asemi Guetta, Guetta, Goeta]" in str(finding)


def test_a_name_in_two_articles_and_no_registry_is_reported_with_an_entry(unseen):
    dossier, annotations = unseen
    findings = {f.name: f for f in find_variants(dossier, annotations)}
    assert set(findings) == {"Canada", "Europe", "Greece"}
    greece = findings["Greece"]
    assert greece.kind == "unregistered"
    assert [loc.article for loc in greece.locations] == [
        "wire-guterres-global-boiling",
        "daily-guterres-global-boiling",
    ]
    assert greece.suggestion == "greece: {name: Greece, type: other}"


def test_findings_as_yaml_is_valid_yaml_with_full_entries(tmp_path, unseen):
    dossier, annotations = annotate(sample_without(tmp_path, "Goeta"))
    findings = find_variants(dossier, annotations) + find_variants(*unseen)
    entries = yaml.safe_load(findings_as_yaml(findings))
    assert entries["assimi-goita"]["aliases"] == ["Asimi Guetta", "Asemi Guetta", "Guetta", "Goeta"]
    assert entries["assimi-goita"]["type"] == "person"
    assert entries["greece"] == {"name": "Greece", "type": "other"}


def test_a_spelling_close_only_to_guetta_is_found(tmp_path):
    files = {
        "articles/a.md": "---\ntitle: A\noutlet: X\npublished: 2023-02-07\n---\nColonel Guetta spoke.\n\nThen Goeta left.\n",
        "entities.yml": "guetta:\n  name: Guetta\n  type: person\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    dossier, annotations = annotate(tmp_path)
    (finding,) = find_variants(dossier, annotations)
    assert (finding.name, finding.close_to, str(finding.locations[0]).endswith("/articles/a.md:8")) == (
        "Goeta",
        "Guetta",
        True,
    )


def test_sentence_openers_titles_and_adjectives_are_not_names(tmp_path):
    files = {
        "articles/a.md": "---\ntitle: A\noutlet: X\npublished: 2023-02-07\n---\nThe Russian envoy met Colonel Smith on Tuesday. However, Malian officials said nothing.\n",
        "articles/b.md": "---\ntitle: B\noutlet: Y\npublished: 2023-02-07\n---\nThe Russian envoy met Colonel Smith. Malian officials were there. Western states objected.\n",
        "entities.yml": "mali:\n  name: Mali\n  type: place\nrussia:\n  name: Russia\n  type: place\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    dossier, annotations = annotate(tmp_path)
    assert [f.name for f in find_variants(dossier, annotations)] == ["Smith"]


def test_the_build_reports_variants_as_info_and_stays_green(build_site):
    files = {
        "dossier/articles/a.md": "---\ntitle: A\noutlet: AP\npublished: 2023-02-07\nevents: [visit]\n---\nSergei Lavrov met Guetta.\n\nLater, Goeta spoke.\n",
        "dossier/articles/b.md": "---\ntitle: B\noutlet: AFP\npublished: 2023-02-07\nevents: [visit]\n---\nLavrov met Guetta in Bamako with Petteri Taalas.\n\nPetteri Taalas spoke to Goeta.\n",
        "dossier/entities.yml": """\
            sergei-lavrov:
              name: Sergei Lavrov
              type: person
              aliases: [Lavrov]
            assimi-goita:
              name: Assimi Goïta
              type: person
              aliases: [Guetta]
            bamako:
              name: Bamako
              type: place
            """,
        "dossier/events.yml": "visit:\n  title: Visit\n  date: 2023-02-07\n",
        "docs/index.md": "# Test\n",
    }
    built = build_site(files, strict=True)
    assert built.aborted is None, built.messages()
    infos = built.messages(logging.INFO)
    assert any(
        'dossier/articles/a.md:9: "Goeta" (also dossier/articles/b.md:9) looks like a spelling of Assimi Goïta' in m
        for m in infos
    ), infos
    assert not any("Petteri Taalas" in m for m in infos), "a name in one article only is not reported"
    assert not built.warnings


GARBLED = {
    "Asimi Guetta": "assimi-goita",
    "Asemi Guetta": "assimi-goita",
    "Guetta": "assimi-goita",
    "Goeta": "assimi-goita",
    "Abdullah Diop": "abdoulaye-diop",
    "Abdallah Diop": "abdoulaye-diop",
    "Coordination of Azawad Actions": "coordination-of-azawad-movements",
    "Russian Ministry of Protection": "russian-ministry-of-defence",
}
"""The sample's garbled spellings, which its entities.yml lists as aliases so that they link."""


def test_with_the_garbled_aliases_removed_check_names_each_garbled_spelling(tmp_path):
    folder = tmp_path / "dossier"
    shutil.copytree(ROOT / "dossier", folder)
    entities = yaml.safe_load((folder / "entities.yml").read_text(encoding="utf-8"))
    for record in entities.values():
        if record.get("aliases"):
            record["aliases"] = [alias for alias in record["aliases"] if alias not in GARBLED]
    (folder / "entities.yml").write_text(yaml.safe_dump(entities, allow_unicode=True), encoding="utf-8")
    _, problems = check_dossier(folder)
    found = {}
    for problem in problems.sorted():
        name = problem.message.split('"')[1]
        found[name] = problem.message
    named = {name: entity for name, entity in GARBLED.items() if name in found and f"give {entity} " in found[name]}
    assert len(named) >= 7, found
    assert set(found) <= set(GARBLED), f"and noise: {set(found) - set(GARBLED)}"


def _write(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return annotate(tmp_path)


def test_demonyms_possessives_generic_words_and_headings_are_not_names(tmp_path):
    front = "---\ntitle: {0}\noutlet: X\npublished: 2023-02-07\n---\n"
    body = (
        "## Release of Three Americans\n\n"
        "Americans and Germans were freed in the exchange, officials said. The State said nothing; a state "
        "official did. Three men were held, and three women. Lavrov’s aide, Lavrov’s plane and Gershkovich’s "
        "lawyer all met Gershkovich’s parents."
    )
    dossier, annotations = _write(
        tmp_path,
        {
            "articles/a.md": front.format("A") + body,
            "articles/b.md": front.format("B") + body,
            "entities.yml": "united-states:\n  name: United States\n  type: place\n",
        },
    )
    assert sorted(f.name for f in find_variants(dossier, annotations)) == ["Gershkovich", "Lavrov"]


def test_mojibake_is_an_encoding_fault_with_the_repaired_text(tmp_path):
    front = "---\ntitle: A\noutlet: X\npublished: 2023-02-07\n---\n"
    dossier, annotations = _write(
        tmp_path,
        {
            "articles/a.md": front + "It was Putinís first visit. Colonel Assimi GoÃ¯ta met him.\n",
            "entities.yml": "assimi-goita:\n  name: Assimi Goïta\n  type: person\n",
        },
    )
    findings = {f.name: f for f in find_variants(dossier, annotations)}
    assert {name: (f.kind, f.close_to) for name, f in findings.items()} == {
        "Putinís": ("encoding", "Putin’s"),
        "GoÃ¯ta": ("encoding", "Goïta"),
    }
    assert 'the text means "Putin’s"' in str(findings["Putinís"])


def test_a_first_name_garbled_before_an_alias_of_the_surname_is_found(tmp_path):
    front = "---\ntitle: A\noutlet: X\npublished: 2023-02-07\n---\n"
    dossier, annotations = _write(
        tmp_path,
        {
            "articles/a.md": front + "Foreign Minister Abdallah Diop spoke. Later Diop left.\n",
            "entities.yml": "abdoulaye-diop:\n  name: Abdoulaye Diop\n  type: person\n  aliases: [Diop]\n",
        },
    )
    (finding,) = find_variants(dossier, annotations)
    assert (finding.name, finding.entity.id) == ("Abdallah Diop", "abdoulaye-diop")


def test_the_words_before_a_whole_registered_name_are_not_read_with_it(tmp_path):
    front = "---\ntitle: {0}\noutlet: X\npublished: 2023-02-07\n---\n"
    text = "Secretary of State Antony Blinken spoke. Later Blinken left, and Brittany\nGriner flew home.\n"
    dossier, annotations = _write(
        tmp_path,
        {
            "articles/a.md": front.format("A") + text,
            "entities.yml": (
                "antony-blinken:\n  name: Antony Blinken\n  type: person\n  aliases: [Blinken]\n"
                "brittney-griner:\n  name: Brittney Griner\n  type: person\n  aliases: [Griner]\n"
            ),
        },
    )
    assert [(f.name, f.entity.id) for f in find_variants(dossier, annotations)] == [
        ("Brittany Griner", "brittney-griner")
    ]


def test_what_a_title_is_of_is_not_a_name(tmp_path):
    front = "---\ntitle: {0}\noutlet: X\npublished: 2023-02-07\n---\n"
    text = "Secretary of State Mike Pompeo and Minister of Foreign Affairs Abdoulaye Diop met Chief of Staff Ron Klain.\n"
    dossier, annotations = _write(tmp_path, {"articles/a.md": front.format("A") + text, "articles/b.md": front.format("B") + text})
    assert sorted(f.name for f in find_variants(dossier, annotations)) == ["Abdoulaye Diop", "Mike Pompeo", "Ron Klain"]


REALNEWS = ROOT / "tests" / "data" / "realnews"


@pytest.mark.parametrize("split", ["dev", "test"])
def test_on_real_news_most_findings_are_useful(split):
    """Precision of the radar on a dossier of real news, judged against labels written beforehand
    (see tests/data/realnews/README.md); and the recurring names a reader would want are all named."""
    labels = yaml.safe_load((REALNEWS / split / "labels.yml").read_text(encoding="utf-8"))
    _, problems = check_dossier(REALNEWS / split / "dossier")
    names = [problem.message.split('"')[1] for problem in problems.sorted()]
    useful = [name for name in names if name in labels["useful"]]
    print(f"{split}: {len(useful)} of {len(names)} findings useful; not useful: {set(names) - set(useful)}")
    assert names and len(useful) >= 0.7 * len(names)
    assert set(labels["expected"]) <= set(names)
