"""The GitHub Actions workflow that a dossier's repository can copy."""

from __future__ import annotations

import yaml
from conftest import ROOT


def test_workflow_checks_builds_and_uploads_the_site():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "dossier.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers
    job = workflow["jobs"]["build"]
    runs = [step.get("run", "") for step in job["steps"]]
    uses = [step.get("uses", "").split("@")[0] for step in job["steps"]]
    assert "actions/checkout" in uses and "actions/setup-python" in uses
    check, build = runs.index("dossier check --format github"), runs.index("mkdocs build --strict")
    assert any(run.startswith("pip install") for run in runs[:check])
    assert check < build
    upload = job["steps"][uses.index("actions/upload-artifact")]
    assert uses.index("actions/upload-artifact") > build
    assert upload["with"]["path"].rstrip("/") == "site"
