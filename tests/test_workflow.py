"""The GitHub Actions workflow that a dossier's repository can copy."""

from __future__ import annotations

import yaml
from conftest import ROOT
from mkdocs_dossier.command.new import TEMPLATE

PROJECT_INSTALL = "pip install ."
TEMPLATE_INSTALL = "pip install -r requirements.txt"


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_workflow_checks_builds_and_uploads_the_site():
    workflow = _load(ROOT / ".github" / "workflows" / "dossier.yml")
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


def test_the_template_workflow_is_the_project_workflow_but_for_the_install_line():
    """`dossier new` writes its own copy of the workflow; this keeps the two from drifting apart."""
    project = _load(ROOT / ".github" / "workflows" / "dossier.yml")
    template = _load(TEMPLATE / ".github" / "workflows" / "dossier.yml")
    assert list(template["jobs"]) == list(project["jobs"]) == ["build", "review"]
    for name, job in project["jobs"].items():
        runs = [step.get("run") for step in job["steps"]]
        template_runs = [step.get("run") for step in template["jobs"][name]["steps"]]
        assert runs.count(PROJECT_INSTALL) == 1 and template_runs.count(TEMPLATE_INSTALL) == 1, name
        expected = [TEMPLATE_INSTALL if run == PROJECT_INSTALL else run for run in runs]
        assert template_runs == expected, f"job {name}: the template runs other steps than the project"
    # Beyond the run steps, nothing else differs either: triggers, permissions, conditions, checkout depth.
    for step in (step for job in project["jobs"].values() for step in job["steps"]):
        if step.get("run") == PROJECT_INSTALL:
            step["run"] = TEMPLATE_INSTALL
    assert template == project


def test_the_reviewing_page_shows_the_workflow_as_it_is():
    page = (ROOT / "docs" / "guide" / "reviewing.md").read_text(encoding="utf-8")
    shown = page.split("```yaml\n", 1)[1].split("\n```", 1)[0] + "\n"
    workflow = (ROOT / ".github" / "workflows" / "dossier.yml").read_text(encoding="utf-8")
    assert shown == workflow, "docs/guide/reviewing.md shows another workflow than .github/workflows/dossier.yml"
