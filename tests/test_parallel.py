"""The second processes that convert articles and render the entity and event pages beside the build:
the same site with them or without, and every way they can fail ends in the same result as none."""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import subprocess
import sys
import time
import weakref
from types import SimpleNamespace

import pytest
import yaml
from conftest import MINIMAL_DOSSIER, ROOT
from mkdocs_dossier.site import parallel

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402
from mkdocs_dossier.plugin import PAGE_EVENTS, DossierPlugin, _converts_alone, _pickle, _unpickle
from mkdocs_dossier.site.parallel import Deferred, Spool, can_fork
from mkdocs_dossier.sources.model import Annotation


@pytest.fixture
def single_threaded(monkeypatch):
    """Let these tests fork although the test process may run Playwright's thread, which only waits
    for its driver: the work forked here takes no lock. Builds are forked from the command line below."""
    if sys.platform != "linux" or (os.cpu_count() or 1) < 2:
        pytest.skip("the second process is used on Linux with two cores or more")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    assert can_fork()


def test_the_work_runs_in_another_process(single_threaded):
    deferred = Deferred(lambda: iter([os.getpid(), "second"]))
    deferred.start()
    assert deferred.forked
    assert deferred.part(0) != os.getpid()
    assert deferred.part(1) == "second"
    deferred.finish()
    assert deferred.done and deferred.forked and deferred.seconds > 0 and deferred.cpu >= 0
    with pytest.raises(IndexError):
        deferred.part(2)


def test_the_first_values_arrive_before_the_work_ends(single_threaded, tmp_path):
    gate = tmp_path / "gate"

    def work():
        yield "first"
        while not gate.exists():
            time.sleep(0.01)
        yield "second"

    deferred = Deferred(work)
    deferred.start()
    assert deferred.part(0) == "first"
    assert not deferred.done
    gate.touch()
    assert deferred.part(1) == "second"


def test_without_fork_the_work_runs_here_as_far_as_asked():
    calls = []

    def work():
        for number in range(3):
            calls.append(os.getpid())
            yield number

    deferred = Deferred(work)
    deferred.start(fork=False)
    assert not deferred.forked and calls == []
    assert deferred.part(1) == 1 and deferred.part(0) == 0
    assert calls == [os.getpid()] * 2
    deferred.finish()
    assert deferred.done and deferred.parts == [0, 1, 2] and len(calls) == 3


def test_a_process_with_threads_does_not_fork(monkeypatch):
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    deferred = Deferred(lambda: iter([os.getpid()]))
    deferred.start()
    assert not deferred.forked and deferred.part(0) == os.getpid()


def test_an_error_in_the_second_process_is_raised_here(single_threaded):
    """The work is redone here, so the error reaches the build as it would without a second process."""
    pids = []

    def work():
        yield "fine"
        pids.append(os.getpid())
        raise ValueError("bad source")

    deferred = Deferred(work)
    deferred.start()
    assert deferred.part(0) == "fine"
    with pytest.raises(ValueError, match="bad source"):
        deferred.part(1)
    assert pids == [os.getpid()]


def test_a_second_process_that_dies_is_replaced_by_the_work_here(single_threaded):
    parent = os.getpid()

    def work():
        yield "first"
        if os.getpid() != parent:
            os._exit(3)
        yield "here"

    deferred = Deferred(work)
    deferred.start()
    assert deferred.part(0) == "first"
    assert deferred.part(1) == "here"
    assert not deferred.forked


def test_news_gives_each_value_once_and_starts_over_after_a_failure(single_threaded, tmp_path):
    parent, gate = os.getpid(), tmp_path / "gate"

    def work():
        yield "first"
        yield "second"
        while os.getpid() != parent and not gate.exists():
            time.sleep(0.01)
        if os.getpid() != parent:
            os._exit(3)
        yield "here"

    deferred = Deferred(work)
    deferred.start()
    assert deferred.part(1) == "second"
    assert deferred.news() == ["first", "second"]
    assert deferred.news() == []
    gate.touch()
    assert deferred.part(2) == "here"
    assert not deferred.forked
    assert deferred.news() == ["first", "second", "here"]
    assert deferred.news() == []


def test_close_stops_the_second_process(single_threaded):
    deferred = Deferred(lambda: iter([time.sleep(60)]))
    deferred.start()
    process = deferred._process
    deferred.close()
    assert not process.is_alive()


def test_a_spool_gives_back_each_text_where_it_was_written():
    spool = Spool()
    texts = ["<p>Bamako</p>", "", "Goïta — “quoted” 🇲🇱" * 1000]
    places = [spool.write(text) for text in texts]
    assert [spool.read(place) for place in reversed(places)] == texts[::-1]
    spool.close()


def _build_both_ways(tmp_path, project, *options, host="mkdocs", python_path=None):
    """`mkdocs build` (or the `host`'s) from the command line, single-threaded as for a user, with the
    second processes and without: for each, the site's pages and data by name, what was logged, and
    the timings."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    built = {}
    for setting in (True, False):
        config["plugins"] = ["search", {"dossier": {"parallel": setting}}]
        (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        site, timings = tmp_path / f"site-{setting}", tmp_path / f"timings-{setting}.json"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MKDOCS_DOSSIER_TIMINGS=str(timings))
        if python_path is not None:
            env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(python_path), env.get("PYTHONPATH"))))
        command = [sys.executable, "-m", host, "build", *options, "-f", str(project / "mkdocs.yml")]
        run = subprocess.run([*command, "-d", str(site)], env=env, capture_output=True, text=True)
        files = {
            path.relative_to(site).as_posix(): path.read_bytes()
            for path in site.rglob("*")
            if path.is_file() and path.suffix in (".html", ".json")
        }
        logged = [line for line in (run.stderr + run.stdout).splitlines() if not line.endswith((" seconds", str(site)))]
        background = json.loads(timings.read_text(encoding="utf-8"))["background"] if timings.exists() else None
        built[setting] = (run.returncode, files, logged, background)
    return built[True], built[False]


@pytest.fixture
def generated(tmp_path):
    """A synthetic dossier with enough articles and entities for the processes to share their work:
    5 chunks of 8 articles, 32 chunks of 3 entity pages."""
    if sys.platform != "linux":
        pytest.skip("the second processes are used on Linux only")
    generate.write(tmp_path / "generated", articles=40, terms=30, entities=96, seed=3)
    return tmp_path / "generated" / "dossier"


@pytest.mark.parametrize("host", ["mkdocs", "properdocs"])
def test_a_build_gives_the_same_site_with_or_without_the_second_process(tmp_path, generated, host):
    if importlib.util.find_spec(host) is None and not os.environ.get("CI"):
        pytest.skip(f"{host} is not installed")
    (status, site, logged, background), (status_alone, site_alone, logged_alone, alone) = _build_both_ways(
        tmp_path, generated, "--strict", "-q", host=host
    )
    assert status == status_alone == 0, logged
    assert alone["seconds"] == alone["shared_articles"] == alone["shared_pages"] == 0
    if (os.cpu_count() or 1) > 1:
        assert background["seconds"] > 0 and 0 < background["plugin_cpu"] <= background["cpu"]
        # The second process starts on the last chunk of articles while the build converts the stubs of the
        # generated pages and the 32 articles before it.
        assert background["shared_articles"] >= 8
    assert sum(name.startswith("entities/") for name in site) == 97
    assert any(name.startswith("events/") for name in site)
    assert site.keys() == site_alone.keys()
    assert [name for name in site if site[name] != site_alone[name]] == []


DYING_CONVERTER = """
import os
from mkdocs_dossier import plugin

convert_here = plugin.DossierPlugin._convert_here
converted = []


def dies_after_one_chunk(self, *args, **kwargs):
    converted.append(1)
    if len(converted) > plugin.ARTICLES_PER_CHUNK:
        open(os.path.join(os.path.dirname(__file__), "died"), "w").close()
        os._exit(3)
    return convert_here(self, *args, **kwargs)


plugin.DossierPlugin._convert_here = dies_after_one_chunk
"""


def test_a_second_process_that_dies_while_converting_articles_changes_nothing(tmp_path, generated):
    """Only the second process converts articles through `_convert_here`: made to die after its first
    chunk (through `sitecustomize`, which the interpreter imports at start), it leaves the build to
    convert the rest, and the site is the same."""
    injected = tmp_path / "injected"
    injected.mkdir()
    (injected / "sitecustomize.py").write_text(DYING_CONVERTER, encoding="utf-8")
    (status, site, logged, _), (status_alone, site_alone, _, _) = _build_both_ways(
        tmp_path, generated, "--strict", "-q", python_path=injected
    )
    assert status == status_alone == 0, logged
    if (os.cpu_count() or 1) > 1:
        assert (injected / "died").exists()
    assert site.keys() == site_alone.keys()
    assert [name for name in site if site[name] != site_alone[name]] == []


def test_warnings_about_articles_converted_beside_the_build_are_logged_and_counted(tmp_path, generated):
    """MkDocs warns about a broken link while it converts the article, in whichever process, and about
    a link to a missing anchor at the end of the build: the build logs each warning once, in the same
    place, and `--strict` counts it."""
    for article in sorted((generated / "dossier" / "articles").glob("*.md")):
        text = article.read_text(encoding="utf-8")
        links = f"See [the file]({article.stem}-missing.md) and [home](../index.md#{article.stem}-nowhere)."
        article.write_text(f"{text}\n\n{links}\n", encoding="utf-8")
    config = yaml.safe_load((generated / "mkdocs.yml").read_text(encoding="utf-8"))
    config["validation"] = {"anchors": "warn"}
    (generated / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (status, _, logged, background), (status_alone, _, logged_alone, _) = _build_both_ways(
        tmp_path, generated, "--strict"
    )
    assert status == status_alone == 1
    if (os.cpu_count() or 1) > 1:
        assert background["shared_articles"] >= 8
    assert logged == logged_alone
    for broken in ("-missing.md", "-nowhere"):
        warned = [line for line in logged if broken in line and line.startswith("WARNING")]
        assert len(warned) == 40 and len({line.split("'")[1] for line in warned}) == 40
    assert any("Aborted with 80 warnings in strict mode" in line for line in logged), logged[-3:]


def test_the_objects_frozen_for_the_fork_stay_frozen_until_thawed(single_threaded):
    frozen = gc.get_freeze_count()
    deferred = Deferred(lambda: iter(["value"]))
    deferred.start()
    assert gc.get_freeze_count() > frozen
    assert deferred.part(0) == "value"
    deferred.close()
    assert gc.get_freeze_count() > frozen
    parallel.thaw()
    assert gc.get_freeze_count() == 0


class _Node:
    """An object in a reference cycle with itself, which only the collector frees."""

    def __init__(self) -> None:
        self.me = self


def test_the_next_build_gives_back_what_the_last_one_left_frozen(build_site):
    """A build leaves what it froze frozen, as the process is most often about to end; the next build
    in the same process, by a new plugin instance as each `mkdocs build` makes, gives it back."""
    garbage = _Node()
    freed = weakref.ref(garbage)
    parallel.freeze()
    del garbage
    assert freed() is not None
    build_site(MINIMAL_DOSSIER)
    gc.collect()
    assert freed() is None
    parallel.thaw()


@pytest.mark.parametrize("command", ["build", "serve"])
def test_settling_frees_the_garbage_and_freezes_what_is_left(command):
    """`mkdocs serve` settles as a build does: what a serve build froze, the next rebuild's
    `on_config` gives back (the test above)."""
    garbage = _Node()
    freed = weakref.ref(garbage)
    del garbage
    plugin = DossierPlugin()
    plugin.on_startup(command=command, dirty=False)
    plugin._settle()
    try:
        assert freed() is None
        assert gc.get_freeze_count() > 0
    finally:
        parallel.thaw()
    assert gc.get_freeze_count() == 0


def test_a_spool_written_by_two_processes_keeps_every_place(single_threaded):
    """The build writes after a second process that failed: what that process wrote stays readable."""
    spool = Spool()
    deferred = Deferred(lambda: iter([spool.write("from the second process")]))
    deferred.start()
    sent = deferred.part(0)
    mine = spool.write("from the build")
    assert spool.read(sent) == "from the second process" and spool.read(mine) == "from the build"
    deferred.close()
    spool.close()


def test_without_a_temporary_folder_the_build_says_so(build_site, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/tmp")

    monkeypatch.setattr(parallel.tempfile, "TemporaryFile", refuse)
    built = build_site(MINIMAL_DOSSIER)
    assert "cannot be made" in built.aborted and "TMPDIR" in built.aborted
    assert "Traceback" not in built.aborted


def test_articles_are_converted_beside_the_build_only_when_no_other_plugin_works_on_pages():
    plugin = DossierPlugin()
    events = {event: [] for event in PAGE_EVENTS}
    events["page_markdown"].append(plugin.on_page_markdown)
    events["page_content"].append(plugin.on_page_content)
    config = SimpleNamespace(plugins=SimpleNamespace(events=events))
    assert _converts_alone(plugin, config)
    events["pre_page"].append(lambda page, **kwargs: page)  # a hook in mkdocs.yml, or another plugin
    assert not _converts_alone(plugin, config)


def test_notes_come_back_from_the_second_process_as_the_dossiers_own(sample):
    """Pages tell notes apart by identity (two notes may be alike), so an annotation sent back by the
    second process must hold the build's own notes, not copies."""
    dossier, _ = sample
    article = next(article for article in dossier.articles.values() if article.notes)
    annotation = Annotation(notes={f"note-{i}": note for i, note in enumerate(article.notes, 1)})
    back = _unpickle(_pickle({"annotation": annotation, "other": [article.notes[0]]}, [article]), dossier)
    assert [id(note) for note in back["annotation"].notes.values()] == [id(note) for note in article.notes]
    assert back["other"][0] is article.notes[0]
