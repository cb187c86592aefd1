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
from typing import Any

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
    return subprocess.run(
        [str(c) for c in cmd], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    """Validate ``files`` against one of check-jsonschema's bundled schemas."""
    return run(CHECK_JSONSCHEMA, "--builtin-schema", schema, *files)


def zizmor(target: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """Audit the workflows under ``target`` offline (medium severity and above by default)."""
    return run(
        ZIZMOR,
        "--offline",
        "--no-config",
        "--no-progress",
        "--color",
        "never",
        *(options or ("--min-severity", "medium")),
        target,
    )


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
    result = check_jsonschema(
        "vendor.github-issue-forms", GITHUB / "ISSUE_TEMPLATE" / "correction.yml"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_config_matches_schema() -> None:
    """The issue template chooser's config.yml is valid."""
    result = check_jsonschema(
        "vendor.github-issue-config", GITHUB / "ISSUE_TEMPLATE" / "config.yml"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing() -> None:
    """The zizmor audit reports no finding of medium severity or above in the workflows."""
    result = zizmor(WORKFLOWS)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No findings to report" in output


ZIZMOR_IGNORE = re.compile(r"# zizmor: ignore\[(?P<audits>[a-z,-]+)\](?P<why>.*)$", re.MULTILINE)


@pytest.mark.parametrize(
    "options",
    [("--min-severity", "low"), ("--persona", "auditor", "--min-severity", "medium")],
    ids=["low", "auditor-medium"],
)
def test_zizmor_low_and_auditor_find_nothing_unjustified(options: tuple[str, ...]) -> None:
    """Zizmor at low severity, and as an auditor at medium, finds nothing not ignored inline.

    Each inline ignore says why, on its line.
    """
    result = zizmor(WORKFLOWS, *options)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "No findings to report" in output
    for path in workflow_files():
        for ignore in ZIZMOR_IGNORE.finditer(path.read_text(encoding="utf-8")):
            assert len(ignore["why"].split()) >= 4, f"{path.name}: {ignore.group()}"


def test_zizmor_catches_unpinned_action(tmp_path: Path) -> None:
    """Replacing a pinned checkout with a tag makes zizmor fail with unpinned-uses."""
    workflows = tmp_path / ".github" / "workflows"
    shutil.copytree(WORKFLOWS, workflows)
    target = workflows / "pr.yml"
    text = target.read_text(encoding="utf-8")
    assert CHECKOUT_PIN.search(text), "pr.yml no longer pins actions/checkout"
    target.write_text(
        CHECKOUT_PIN.sub("uses: actions/checkout@v4", text, count=1), encoding="utf-8"
    )
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
    assert re.fullmatch(
        r"python:3\.1[1-9]-(bookworm|trixie)@sha256:[0-9a-f]{64}", job["container"]["image"]
    )  # pinned by digest, not a moving tag
    runs = [step.get("run", "") for step in job["steps"]]
    assert "bash .ci/run" in runs
    assert any("safe.directory" in r for r in runs)


def _workflow(name: str) -> dict[str, Any]:
    """A workflow file, parsed (its `on:`, which YAML 1.1 reads as True, under "on")."""
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def _writes(job: dict[str, Any]) -> bool:
    """True when the job's token may write anything."""
    return any(level == "write" for level in (job.get("permissions") or {}).values())


RUNS_PROJECT_CODE = re.compile(r"\b(ccr|python3?|pip|mkdocs|pytest|mike|\.venv/|scripts/|\.ci/)")


@pytest.mark.parametrize("name", ["pr-comment.yml", "publish.yml"])
def test_no_step_that_runs_project_code_can_write(name: str) -> None:
    """In the workflows with a write token, the jobs that may write run no project code.

    They check nothing out either, and no checkout keeps its credentials.
    """
    workflow = _workflow(name)
    assert workflow["permissions"] == {}
    for job_id, job in workflow["jobs"].items():
        for step in job["steps"]:
            uses = str(step.get("uses", ""))
            if uses.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, (name, job_id)
                assert "ref" not in step["with"]
                assert "repository" not in step["with"]
            if _writes(job):
                assert not uses.startswith(("actions/checkout@", "actions/setup-python@"))
                assert not RUNS_PROJECT_CODE.search(step.get("run", "")), (name, job_id, step)


def test_the_comment_is_computed_from_the_base_branch() -> None:
    """pr-comment.yml reads no artifact of the PR's run; it makes the report itself.

    The report job runs ccr diff on the head commit found through the API, and the comment
    job downloads only that report.
    """
    workflow = _workflow("pr-comment.yml")
    assert list(workflow["on"]) == ["workflow_run"]
    report, comment = workflow["jobs"]["report"], workflow["jobs"]["comment"]
    assert not _writes(report)
    assert comment["permissions"] == {"pull-requests": "write"}
    runs = "\n".join(step.get("run", "") for step in report["steps"])
    assert 'ccr diff "$base" "$HEAD_SHA"' in runs
    assert 'git fetch --no-tags --no-recurse-submodules origin "$HEAD_SHA"' in runs
    for job in (report, comment):
        for step in job["steps"]:
            assert "run-id" not in (step.get("with") or {})
            assert "github-token" not in (step.get("with") or {})
            for value in (step.get("env") or {}).values():
                assert "workflow_run.head" not in str(value)


def test_publish_runs_only_for_main() -> None:
    """publish.yml: every job runs only for refs/heads/main, however it is started."""
    workflow = _workflow("publish.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    for job in workflow["jobs"].values():
        assert job["if"].replace(" ", "") == "${{github.ref=='refs/heads/main'}}"


def _codeowners() -> list[tuple[str, list[str]]]:
    """CODEOWNERS as (pattern, owners), in order."""
    rules = []
    for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pattern, *owners = line.split()
            rules.append((pattern, owners))
    return rules


def _owners(path: str) -> list[str]:
    """The owners of a path: the last matching rule's (the anchored subset used here)."""
    found: list[str] = []
    for pattern, owners in _codeowners():
        assert pattern.startswith("/"), pattern
        stem = pattern[1:]
        if path == stem or (stem.endswith("/") and path.startswith(stem)):
            found = owners
    return found


@pytest.mark.parametrize(
    "path",
    [
        "docs/index.md",
        "overrides/main.html",
        "overrides/search_hook.py",
        "mkdocs.yml",
        "pyproject.toml",
        "constraints.txt",
        "scripts/dev.py",
        ".ci/run",
        ".github/workflows/pr-comment.yml",
        ".github/CODEOWNERS",
        "evidence/acme/mail.png",
        "data/companies/acme.yaml",
        "data/methodology/v1.yaml",
        "benchmark/cli.py",
    ],
)
def test_codeowners_cover_what_runs_builds_or_publishes(path: str) -> None:
    """Each of these paths has code owners, so a pull request touching it needs their review."""
    owners = _owners(path)
    assert owners, path
    assert all(o.startswith("@") for o in owners)
