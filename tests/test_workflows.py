"""The GitHub configuration, linted offline: workflow schemas, zizmor's audit, pinned actions.

check-jsonschema validates against the schemas it bundles (no download) and zizmor runs with
--offline, so these tests need no network.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
GITHUB = REPO / ".github"
WORKFLOWS = GITHUB / "workflows"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
ZIZMOR = Path(sys.executable).with_name("zizmor")

CHECKOUT_PIN = re.compile(r"uses: actions/checkout@[0-9a-f]{40}")
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<rest>.*)$", re.MULTILINE)
VERSION_COMMENT = re.compile(r"\s+# v\d+\.\d+\.\d+\s*$")
PINNED = re.compile(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}")


def workflow_files(root: Path = WORKFLOWS) -> list[Path]:
    """The workflow files under ``root``, sorted."""
    return sorted([*root.glob("*.yml"), *root.glob("*.yaml")])


def run(*cmd: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a command from the repository root; its completed process, output captured."""
    return subprocess.run([str(c) for c in cmd], cwd=REPO, capture_output=True, text=True,
                          timeout=120, check=False)


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    """Validate ``files`` against one of check-jsonschema's bundled schemas."""
    return run(CHECK_JSONSCHEMA, "--builtin-schema", schema, *files)


def zizmor(target: Path) -> subprocess.CompletedProcess[str]:
    """Audit the workflows under ``target`` offline, reporting medium severity and above."""
    return run(ZIZMOR, "--offline", "--no-config", "--no-progress", "--color", "never",
               "--min-severity", "medium", target)


def test_workflows_exist() -> None:
    """The PR, comment and publish workflows are all there."""
    names = {p.name for p in workflow_files()}
    assert {"pr.yml", "pr-comment.yml", "publish.yml"} <= names


def test_workflows_match_schema() -> None:
    """Every workflow is valid against the GitHub workflow schema."""
    result = check_jsonschema("vendor.github-workflows", *workflow_files())
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_matches_schema() -> None:
    """dependabot.yml is valid against the Dependabot schema."""
    result = check_jsonschema("vendor.dependabot", GITHUB / "dependabot.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_form_matches_schema() -> None:
    """The correction issue form is a valid GitHub issue form."""
    result = check_jsonschema("vendor.github-issue-forms",
                              GITHUB / "ISSUE_TEMPLATE" / "correction.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_config_matches_schema() -> None:
    """The issue template chooser's config.yml is valid."""
    result = check_jsonschema("vendor.github-issue-config",
                              GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing() -> None:
    """The zizmor audit reports no finding of medium severity or above in the workflows."""
    result = zizmor(WORKFLOWS)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No findings to report" in output


def test_zizmor_catches_unpinned_action(tmp_path: Path) -> None:
    """Replacing a pinned checkout with a tag makes zizmor fail with unpinned-uses."""
    workflows = tmp_path / ".github" / "workflows"
    shutil.copytree(WORKFLOWS, workflows)
    target = workflows / "pr.yml"
    text = target.read_text(encoding="utf-8")
    assert CHECKOUT_PIN.search(text), "pr.yml no longer pins actions/checkout"
    target.write_text(CHECKOUT_PIN.sub("uses: actions/checkout@v4", text, count=1),
                      encoding="utf-8")
    result = zizmor(workflows)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "unpinned-uses" in output


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_actions_pinned_to_commit(path: Path) -> None:
    """Every `uses:` names a full 40-hex commit SHA, with its `# vX.Y.Z` tag as a comment."""
    uses = list(USES.finditer(path.read_text(encoding="utf-8")))
    assert uses, f"{path.name} uses no action"
    unpinned = [m["ref"] for m in uses if not PINNED.fullmatch(m["ref"])]
    assert not unpinned, f"{path.name}: not pinned to a commit SHA: {unpinned}"
    untagged = [m["ref"] for m in uses if not VERSION_COMMENT.fullmatch(m["rest"])]
    assert not untagged, f"{path.name}: no `# vX.Y.Z` comment after: {untagged}"


def test_contributor_documents_exist() -> None:
    """The pull request template and CONTRIBUTING.md are present and not empty."""
    template = GITHUB / "PULL_REQUEST_TEMPLATE.md"
    contributing = REPO / "CONTRIBUTING.md"
    assert template.is_file()
    assert contributing.is_file()
    assert "corrections:" in template.read_text(encoding="utf-8")
    assert "statement:" in contributing.read_text(encoding="utf-8")


def test_issue_form_prefills_company() -> None:
    """The issue form is YAML with a required input whose id is `company` (URL prefill)."""
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "correction.yml").read_text("utf-8"))
    inputs = {item["id"]: item for item in form["body"] if item["type"] == "input"}
    assert "company" in inputs
    assert inputs["company"]["validations"]["required"] is True
    assert "correction" in form["labels"]


def test_pr_checks_run_on_debian() -> None:
    """The PR job runs in a Debian image, so `.ci/run` installs Debian's Chromium with apt."""
    workflow = yaml.safe_load((WORKFLOWS / "pr.yml").read_text("utf-8"))
    job = workflow["jobs"]["validate-test-build"]
    assert re.fullmatch(r"python:3\.1[1-9]-(bookworm|trixie)", job["container"]["image"])
    runs = [step.get("run", "") for step in job["steps"]]
    assert "bash .ci/run" in runs
    assert any("safe.directory" in r for r in runs)
