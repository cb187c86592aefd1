"""The comment workflow's scripts, run with node against a mocked GitHub API.

Each `actions/github-script` body of .github/workflows/pr-comment.yml is taken from the YAML
and run the way the action runs it (an async function of require, github, context and core)
against fake pull requests and comments. A hostile report is posted as text: rendered by
GitHub's cmark-gfm, the comment has no mention, link, image or HTML but the template's own;
closed pull requests, a pull request that moved on and a head shared by two are refused.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmark.diff import diff_report

from .github_markdown import live, render, shown
from .helpers import FIXTURES, NOW, WORKFLOWS, git
from .helpers import REPORT_HOSTILE_NAME as HOSTILE_NAME
from .helpers import commit_all as _commit

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(
    NODE is None, reason="needs node (scripts/dev.py test installs Debian's nodejs)"
)
SHA = "0123456789abcdef0123456789abcdef01234567"
OTHER_SHA = "fedcba9876543210fedcba9876543210fedcba98"
RUN_URL = "https://github.com/o/r/actions/runs/7"
FOOTER_LINKS = frozenset({f"link {RUN_URL!r}"})

# Runs a github-script body as actions/github-script does, with a fake `github` client.
HARNESS = r"""
const fs = require('fs');
const [scriptPath, fixturePath] = process.argv.slice(2);
const fixture = JSON.parse(fs.readFileSync(fixturePath, 'utf8'));
const calls = [];
const outputs = {};
const log = (kind) => (message) => calls.push([kind, String(message)]);
const core = {
  setFailed: log('setFailed'), info: log('info'), notice: log('notice'),
  warning: log('warning'), setOutput: (k, v) => { outputs[k] = String(v); },
};
const github = { rest: { pulls: {}, issues: {} } };
github.rest.pulls.list = async (args) => (
  { data: fixture.pulls.filter((p) => p.state === args.state) });
github.rest.pulls.get = async (args) => {
  const pr = fixture.pulls.find((p) => p.number === args.pull_number);
  if (!pr) throw new Error('Not Found');
  return { data: pr };
};
github.rest.issues.listComments = async () => ({ data: fixture.comments });
github.rest.issues.createComment = async (args) => {
  calls.push(['createComment', args]);
  return { data: { html_url: 'https://github.com/o/r/pull/1#c' } };
};
github.rest.issues.updateComment = async (args) => {
  calls.push(['updateComment', args]);
  return { data: {} };
};
github.paginate = async (method, args) => (await method(args)).data;
const context = {
  repo: { owner: 'o', repo: 'r' }, payload: fixture.payload,
  serverUrl: 'https://github.com', runId: 7,
};
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const body = fs.readFileSync(scriptPath, 'utf8');
new AsyncFunction('require', 'github', 'context', 'core', body)(require, github, context, core)
  .then(() => process.stdout.write(JSON.stringify({ calls, outputs })),
        (e) => process.stdout.write(
          JSON.stringify({ calls, outputs, error: String(e && e.stack) })));
"""


def script(job: str) -> str:
    """The github-script body of a job of pr-comment.yml."""
    workflow = yaml.safe_load((WORKFLOWS / "pr-comment.yml").read_text(encoding="utf-8"))
    steps = [
        s
        for s in workflow["jobs"][job]["steps"]
        if str(s.get("uses", "")).startswith("actions/github-script@")
    ]
    assert len(steps) == 1, job
    return str(steps[0]["with"]["script"])


def pull(
    number: int, sha: str = SHA, state: str = "open", base: str = "main", repo: str = "fork/r"
) -> dict[str, Any]:
    """A pull request as the REST API returns it (the fields the scripts read)."""
    return {
        "number": number,
        "state": state,
        "head": {"sha": sha, "repo": {"full_name": repo}},
        "base": {"ref": base},
    }


def run_script(
    tmp_path: Path,
    job: str,
    pulls: list[dict[str, Any]],
    report: str = "",
    comments: list[dict[str, Any]] | None = None,
    number: str = "1",
) -> dict[str, Any]:
    """Run the job's script with node; the calls it made and the outputs it set."""
    (tmp_path / "harness.js").write_text(HARNESS, encoding="utf-8")
    (tmp_path / "script.js").write_text(script(job), encoding="utf-8")
    reports = tmp_path / "report"
    reports.mkdir(exist_ok=True)
    (reports / "diff.md").write_text(report, encoding="utf-8")
    fixture = {
        "pulls": pulls,
        "comments": comments or [],
        "payload": {
            "workflow_run": {"head_sha": SHA, "head_repository": {"full_name": "fork/r"}},
            "repository": {"default_branch": "main"},
        },
    }
    (tmp_path / "fixture.json").write_text(json.dumps(fixture), encoding="utf-8")
    assert NODE is not None
    done = subprocess.run(
        [NODE, "harness.js", "script.js", "fixture.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "REPORT_DIR": str(reports), "PR_NUMBER": number},
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    assert "error" not in result, result["error"]
    return result


def posted(result: dict[str, Any]) -> list[str]:
    """The bodies of the comments the script created or updated."""
    return [c[1]["body"] for c in result["calls"] if c[0] in ("createComment", "updateComment")]


def failed(result: dict[str, Any]) -> list[str]:
    """The script's setFailed messages."""
    return [c[1] for c in result["calls"] if c[0] == "setFailed"]


HOSTILE_REPORT = "\n".join(
    [
        "## CCR: what this change does",
        "",
        "@octocat and @org/team approve; see #1, GH-2 and o/r#3; mail a@evil.example",
        "[click](https://evil.example) ![track](https://evil.example/t.png) <https://evil.example>",
        "https://evil.example/bare www.evil.example :shipit: &#64;octocat &#x40;x &lt;b&gt;",
        "<img src=x onerror=alert(1)> <details open><summary>x</summary></details>",
        "[ref]: https://evil.example",
        "[ref] [^1]",
        "`@code-span | with a pipe` and `` ` ``",
        "<!-- ccr-diff -->",
        "- ```",
        "  ```",
        "@escaped-from-a-list-fence <b>bold</b>",
        "```mermaid",
        'graph TD; A-->B; click A "https://evil.example"',
        "@inside-a-fence",
        "```",
        "\\\\@double-backslash \\<still-escaped\\>",
        "<!-- an unclosed comment hides the rest",
        "```text",
        "an unclosed fence",
        "@still-text <img src=y>",
    ]
)


def test_a_hostile_report_is_posted_as_text(tmp_path: Path) -> None:
    """Mentions, references, links, images, HTML, comments and fences in a report are inert.

    Rendered, the comment has the template's own link and marker and nothing else.
    """
    result = run_script(tmp_path, "comment", [pull(1)], HOSTILE_REPORT)
    assert failed(result) == []
    [body] = posted(result)
    html = render(body)
    assert live(html, FOOTER_LINKS | {"<!-- ccr-diff -->"}) == [], body
    assert body.startswith("<!-- ccr-diff -->\n")
    assert len(re.findall(r"(?<!\\)<!--", body)) == 1
    seen, code = shown(html)
    assert "@octocat and @org/team approve" in seen
    assert "[click](https://evil.example)" in seen
    assert "<img src=x onerror=alert(1)>" in seen
    assert "@escaped-from-a-list-fence <b>bold</b>" in seen
    assert "@inside-a-fence" in code


def test_a_long_report_is_cut_inside_the_comment_limit(tmp_path: Path) -> None:
    """A report over 60,000 characters is cut, its open fence closed, with a link to the run."""
    lines = ["## CCR", "", "```text", *(f"@user{i} <b>{i}</b>" for i in range(20_000))]
    result = run_script(tmp_path, "comment", [pull(1)], "\n".join(lines))
    [body] = posted(result)
    assert len(body) <= 60_500
    html = render(body)
    assert live(html, FOOTER_LINKS | {"<!-- ccr-diff -->"}) == []
    assert "… (cut here: the whole report is in the run summary)" in shown(html)[0]


def test_ccr_diffs_own_report_renders_as_it_was(tree: Path, tmp_path: Path) -> None:
    """The script's escaping changes nothing ccr diff wrote: the same HTML, plus the footer."""
    git(tree, "init", "-q", "-b", "main")
    base = _commit(tree, "base")
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    (tree / "data" / "companies" / "valid.yaml").write_text(
        text.replace("name: Valid Soft", f"name: {json.dumps(HOSTILE_NAME)}", 1)
        + '"@x\\n```\\n<b>": 1\n',
        encoding="utf-8",
    )
    head = _commit(tree, "a hostile name and a hostile key")
    report = diff_report(tree, base, head, NOW).markdown
    [body] = posted(run_script(tmp_path, "comment", [pull(1)], report))
    comment = body.removeprefix("<!-- ccr-diff -->\n").rpartition("\n\n---\n")[0]
    assert render(comment) == render(report)


def test_the_bot_updates_its_own_comment_only(tmp_path: Path) -> None:
    """A comment that starts with the marker but is not the bot's is left alone."""
    comments = [
        {
            "id": 5,
            "user": {"login": "mallory", "type": "User"},
            "body": "<!-- ccr-diff -->\nforged",
        },
        {
            "id": 6,
            "user": {"login": "other-app[bot]", "type": "Bot"},
            "body": "<!-- ccr-diff -->\nforged",
        },
    ]
    result = run_script(tmp_path, "comment", [pull(1)], "report", comments)
    assert [c[0] for c in result["calls"] if "Comment" in c[0]] == ["createComment"]
    comments.append(
        {
            "id": 9,
            "user": {"login": "github-actions[bot]", "type": "Bot"},
            "body": "<!-- ccr-diff -->\nold",
        }
    )
    result = run_script(tmp_path, "comment", [pull(1)], "report", comments)
    updates = [c[1] for c in result["calls"] if c[0] == "updateComment"]
    assert [u["comment_id"] for u in updates] == [9]


@pytest.mark.parametrize(
    ("pulls", "number", "refusal"),
    [
        ([pull(1, state="closed")], "1", "notice"),
        ([pull(1, sha=OTHER_SHA)], "1", "notice"),
        ([pull(1), pull(2)], "1", "setFailed"),
        ([pull(1)], "1; rm -rf /", "setFailed"),
    ],
    ids=["closed", "moved-on", "shared-head", "not-a-number"],
)
def test_the_comment_job_refuses(
    tmp_path: Path, pulls: list[dict[str, Any]], number: str, refusal: str
) -> None:
    """Closed, pushed again since, one head for two pull requests, a bad number: no comment."""
    result = run_script(tmp_path, "comment", pulls, "report", number=number)
    assert posted(result) == []
    assert [c[0] for c in result["calls"]] == [refusal]


@pytest.mark.parametrize(
    ("pulls", "number", "refusal"),
    [
        ([pull(1)], "1", None),
        ([pull(1, state="closed")], "", "notice"),
        ([pull(1), pull(2)], "", "setFailed"),
        ([pull(1, repo="mallory/r")], "", "setFailed"),
        ([pull(1, base="release")], "", "notice"),
    ],
    ids=["one-open", "closed", "shared-head", "other-repository", "other-base"],
)
def test_the_report_job_finds_one_open_pull_request(
    tmp_path: Path, pulls: list[dict[str, Any]], number: str, refusal: str | None
) -> None:
    """The report is made only for the one open pull request at the run's head commit."""
    result = run_script(tmp_path, "report", pulls)
    assert result["outputs"].get("number", "") == number
    assert [c[0] for c in result["calls"]] == ([refusal] if refusal else [])
    if number:
        assert result["outputs"]["head_sha"] == SHA
