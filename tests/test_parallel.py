"""The second process that renders the event pages beside the build: the same site with it or without,
and every way it can fail ends in the same result as no second process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml
from conftest import MINIMAL_DOSSIER, write_tree
from mkdocs_dossier import parallel
from mkdocs_dossier.parallel import Deferred, can_fork


@pytest.fixture
def single_threaded(monkeypatch):
    """Let these tests fork although the test process may run Playwright's thread, which only waits
    for its driver: the work forked here takes no lock. Builds are forked from the command line below."""
    if sys.platform != "linux" or (os.cpu_count() or 1) < 2:
        pytest.skip("the second process is used on Linux with two cores or more")
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    assert can_fork()


def test_the_work_runs_in_another_process(single_threaded):
    deferred = Deferred(os.getpid)
    deferred.start()
    assert deferred.forked
    assert deferred.result() != os.getpid()
    assert deferred.done and deferred.cpu >= 0 and deferred.seconds > 0


def test_without_fork_the_work_runs_here_when_asked():
    calls = []
    deferred = Deferred(lambda: calls.append(os.getpid()) or "done")
    deferred.start(fork=False)
    assert not deferred.forked and calls == []
    assert deferred.result() == "done" and deferred.result() == "done"
    assert calls == [os.getpid()]


def test_a_process_with_threads_does_not_fork(monkeypatch):
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)
    deferred = Deferred(os.getpid)
    deferred.start()
    assert not deferred.forked and deferred.result() == os.getpid()


def test_an_error_in_the_second_process_is_raised_here(single_threaded):
    """The work is redone here, so the error reaches the build as it would without a second process."""
    pids = []

    def work():
        pids.append(os.getpid())
        raise ValueError("bad source")

    deferred = Deferred(work)
    deferred.start()
    with pytest.raises(ValueError, match="bad source"):
        deferred.result()
    assert pids == [os.getpid()]


def test_a_second_process_that_dies_is_replaced_by_the_work_here(single_threaded):
    deferred = Deferred(lambda: os._exit(3) if os.getpid() != parent else "here")
    parent = os.getpid()
    deferred.start()
    assert deferred.result() == "here"
    assert not deferred.forked


def test_cancel_stops_the_second_process(single_threaded):
    deferred = Deferred(lambda: __import__("time").sleep(60))
    deferred.start()
    process = deferred._process
    deferred.cancel()
    assert not process.is_alive()


def test_mkdocs_build_gives_the_same_site_with_or_without_the_second_process(tmp_path):
    """`mkdocs build` from the command line, where the process is single-threaded as for a user."""
    if sys.platform != "linux":
        pytest.skip("the second process is used on Linux only")
    sites, background = {}, {}
    for setting in (True, False):
        project = tmp_path / f"project-{setting}"
        write_tree(project, MINIMAL_DOSSIER)
        (project / "docs").mkdir(exist_ok=True)
        config = {
            "site_name": "Test dossier",
            "use_directory_urls": False,
            "theme": {"name": "material", "font": False},
            "plugins": [{"dossier": {"parallel": setting}}],
        }
        (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        site, timings = tmp_path / f"site-{setting}", tmp_path / f"timings-{setting}.json"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", MKDOCS_DOSSIER_TIMINGS=str(timings))
        command = [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site),
        ]
        subprocess.run(command, env=env, check=True, capture_output=True)
        background[setting] = json.loads(timings.read_text(encoding="utf-8"))["background"]["seconds"]
        sites[setting] = {
            path.relative_to(site).as_posix(): path.read_bytes()
            for path in site.rglob("*")
            if path.is_file() and path.suffix in (".html", ".json")
        }
    assert background[False] == 0
    if (os.cpu_count() or 1) > 1:
        assert background[True] > 0
    assert any(name.startswith("events/") for name in sites[True])
    assert sites[True] == sites[False]
