"""The events' comparisons in worker processes (`parallel: true`, the default) give the same site as
in the build's own process, and a machine where no worker can start still builds it."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_dossier import plugin as dossier_plugin
from mkdocs_dossier.analysis import ahead

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A generated dossier of 30 articles in events of 2 to 5, as the benchmark's but smaller."""
    out = tmp_path_factory.mktemp("parallel")
    written = generate.write(out, articles=30, terms=20, entities=12, seed=3)
    assert written["events"] >= 5
    return out / "dossier"


def _build(project: Path, config: str, site: Path, monkeypatch) -> dict[str, bytes]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(load_config(str(project / config), site_dir=str(site)))
    return {str(path.relative_to(site)): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_worker_processes_give_the_same_site_byte_for_byte(project, tmp_path, monkeypatch):
    assert ahead.worker_count() > 0 or pytest.skip("one core: the build starts no worker")
    compared = []
    real = ahead.ComparisonsAhead.take

    def take(self, event_id):
        found = real(self, event_id)
        compared.append(found is not ahead.MISSING)
        return found

    monkeypatch.setattr(ahead.ComparisonsAhead, "take", take)
    in_workers = _build(project, "mkdocs.yml", tmp_path / "workers", monkeypatch)
    one_process = _build(project, generate.ONE_PROCESS, tmp_path / "one", monkeypatch)

    assert any(compared), "no event came back from a worker"
    assert in_workers.keys() == one_process.keys()
    assert [name for name in in_workers if in_workers[name] != one_process[name]] == []


def test_a_machine_where_no_worker_can_start_still_builds_the_same_site(project, tmp_path, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OSError(38, "Function not implemented")

    one_process = _build(project, generate.ONE_PROCESS, tmp_path / "one", monkeypatch)
    monkeypatch.setattr(ahead, "ProcessPoolExecutor", refuse)
    monkeypatch.setattr(dossier_plugin, "worker_count", lambda: 1)
    with caplog.at_level(logging.INFO):
        refused = _build(project, "mkdocs.yml", tmp_path / "refused", monkeypatch)

    assert refused == one_process
    told = [r.getMessage() for r in caplog.records if "no worker process could start" in r.getMessage()]
    assert told and "Function not implemented" in told[0]
