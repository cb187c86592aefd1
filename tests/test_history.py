"""History on the site: commits per company file, the changelog page and the Atom feed."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from benchmark.history import History, parse_log, read_history
from benchmark.pipeline import run
from benchmark.render import render
from benchmark.render.common import Settings
from tests.helpers import DemoRepo, git

NOW = datetime(2026, 11, 23, tzinfo=UTC)
SETTINGS = Settings(
    repo_url="https://github.com/customer-care-review/ccr",
    site_url="https://customer-care-review.example/",
)
VALID = "data/companies/valid.yaml"
SHA = "0123456789abcdef0123456789abcdef01234567"


def rendered(root: Path, history: History) -> dict[str, str]:
    """Render the tree below ``root`` with ``history``; text of the pages and the feed."""
    result = run(root, NOW)
    return {
        o.path: o.content.decode()
        for o in render(result.dataset, result.scores, SETTINGS, history)
        if o.path.endswith((".md", ".xml"))
    }


@pytest.fixture
def history_repo(site_tree: Path) -> Path:
    """The fixture tree in git: an initial commit, a squash-merged fix, a merged PR branch."""
    git(site_tree, "init", "-q", "-b", "main")
    git(site_tree, "add", "-A")
    git(site_tree, "commit", "-q", "-m", "Initial data")
    company = site_tree / VALID
    company.write_text(company.read_text() + "# checked again\n")
    git(site_tree, "commit", "-q", "-am", "Fix the <b>hours</b> of Valid Co (#7)")
    git(site_tree, "checkout", "-q", "-b", "fix")
    company.write_text(company.read_text() + "# reviewed\n")
    git(site_tree, "commit", "-q", "-am", "Branch work, not on main's first-parent line")
    git(site_tree, "checkout", "-q", "main")
    git(
        site_tree,
        "merge",
        "-q",
        "--no-ff",
        "fix",
        "-m",
        "Merge pull request #9 from valid-co/fix\n\nCorrect Valid Co's e-mail reply time",
    )
    return site_tree


def test_parse_log_reads_pull_requests_and_files() -> None:
    """A squash subject's (#N) and a merge's PR number and body title are read; files kept."""
    out = (
        f"{SHA}\0"
        "2026-01-02T10:00:00+01:00\0Merge pull request #12 from a/b\0"
        "Correct Acme's hours\n\0\ndata/companies/acme.yaml\0data/editions/e.yaml\0"
        f"{SHA[::-1]}\0"
        "2026-01-01T09:00:00+00:00\0Add Acme (#3)\0\0"
        "\ndata/companies/acme.yaml\0"
    )
    first, second = parse_log(out)
    assert (first.pr, first.summary, first.files) == (
        12,
        "Correct Acme's hours",
        ("data/companies/acme.yaml", "data/editions/e.yaml"),
    )
    assert (second.sha, second.pr, second.summary, second.date) == (
        SHA[::-1],
        3,
        "Add Acme",
        "2026-01-01T09:00:00+00:00",
    )


def test_parse_log_refuses_what_it_cannot_read() -> None:
    """Output that does not start with a commit hash is an error, not a silent empty list."""
    with pytest.raises(ValueError, match="unexpected git log output"):
        parse_log("not a hash\0date\0subject\0body\0")


def test_read_history_follows_main(history_repo: Path) -> None:
    """Main's first-parent line: the merge counts as one change with its PR; newest first."""
    history = read_history(history_repo)
    assert history.state == "full"
    assert [(c.summary, c.pr) for c in history.for_file(VALID)] == [
        ("Correct Valid Co's e-mail reply time", 9),
        ("Fix the <b>hours</b> of Valid Co", 7),
        ("Initial data", None),
    ]
    assert "Branch work" not in {c.summary for c in history.commits}
    assert len(history.for_file("data/companies/neighbour.yaml")) <= 1


def test_read_history_outside_git_and_shallow(
    history_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No repository gives state none; a shallow clone says so and has only its commits."""
    plain = tmp_path_factory.mktemp("plain")
    assert read_history(plain) == History()
    clone = tmp_path_factory.mktemp("clones") / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{history_repo}", str(clone)],
        check=True,
        capture_output=True,
    )
    shallow = read_history(clone)
    assert shallow.state == "shallow"
    assert [c.pr for c in shallow.commits] == [9]


@pytest.mark.slow
def test_company_page_lists_its_commits(history_repo: Path) -> None:
    """The company page shows each commit's date, summary as text, PR and commit links."""
    history = read_history(history_repo)
    page = rendered(history_repo, history)["companies/valid.md"]
    start = page.index('<h2 id="changes"')
    end = page.find("<h2 ", start + 1)  # the next section (the statement now sits higher up)
    section = page[start : end if end > 0 else len(page)]
    assert section.count("<li>") == 3
    assert (
        '<a href="https://github.com/customer-care-review/ccr/pull/9">pull request #9</a>'
        in section
    )
    assert "/pull/7" in section
    assert f"/commit/{history.commits[0].sha}" in section
    assert "<b>" not in section
    assert "&#60;b&#62;hours" in section
    assert (
        'href="https://github.com/customer-care-review/ccr/commits/main/data/companies/valid.yaml"'
    ) in section
    assert "Commit history incomplete" not in page
    assert "No commit history" not in page


@pytest.mark.slow
def test_shallow_and_missing_history_are_said(history_repo: Path) -> None:
    """A shallow history adds its notice to company pages and the changelog; none says why."""
    shallow = History.of("shallow", list(read_history(history_repo).commits[:1]))
    pages = rendered(history_repo, shallow)
    for name in ("companies/valid.md", "changelog.md"):
        assert "Commit history incomplete: this site was built from a shallow clone" in pages[name]
    pages = rendered(history_repo, History())
    assert (
        "No commit history: this site was built from a copy of the data outside a git "
        "repository." in pages["companies/valid.md"]
    )
    assert "<li><time" not in pages["companies/valid.md"].split('<h2 id="changes"')[1]


@pytest.mark.slow
def test_changelog_lists_corrections_editions_and_commits(history_repo: Path) -> None:
    """The changelog has the recorded corrections and editions, then commits naming files."""
    page = rendered(history_repo, read_history(history_repo))["changelog.md"]
    recorded = page[page.index("## Editions and corrections") : page.index("## Commits")]
    assert re.search(r"Correction</td><td><a href=\"\.\./companies/valid/#corrections\">", recorded)
    assert 'New edition</td><td><a href="../editions/fixture-edition/">' in recorded
    commits = page[page.index("## Commits") :]
    assert commits.count("<li>") == 3
    assert 'Changed: <a href="../companies/valid/">' in commits
    assert 'href="../feed.xml"' in page


@pytest.mark.slow
def test_feed_is_atom_dated_from_the_data(history_repo: Path) -> None:
    """A feed reader's parser reads the feed cleanly; entries and dates come from the data."""
    before = rendered(history_repo, read_history(history_repo))["feed.xml"]
    parsed = feedparser.parse(before)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    titles = [e.title for e in parsed.entries]
    assert titles[-1] == "New edition: Fixture edition"
    assert any(t.startswith("Correction: ") for t in titles)
    dates = [e.updated for e in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    assert parsed.feed.updated == dates[0]
    assert all(e.id.startswith("urn:uuid:") for e in parsed.entries)
    assert len({e.id for e in parsed.entries}) == len(parsed.entries)
    assert (
        parsed.entries[-1].link == "https://customer-care-review.example/editions/fixture-edition/"
    )
    # A new commit that records no correction leaves the feed byte-identical.
    (history_repo / "data/companies/valid.yaml").write_text(
        (history_repo / VALID).read_text() + "# another note\n"
    )
    git(history_repo, "commit", "-q", "-am", "Touch a file")
    assert rendered(history_repo, read_history(history_repo))["feed.xml"] == before


@pytest.mark.slow
def test_feed_grows_with_a_correction(history_repo: Path) -> None:
    """A correction added to the data appears first in the feed and dates it."""
    company = history_repo / VALID
    raw = company.read_text()
    assert "corrections:\n" in raw
    company.write_text(
        raw.replace(
            "corrections:\n",
            "corrections:\n  - date: '2026-11-01'\n    kind: re-audit\n"
            "    summary: Audited again after the company asked.\n"
            "    link: https://github.com/customer-care-review/ccr/pull/10\n",
            1,
        )
    )
    parsed = feedparser.parse(rendered(history_repo, History())["feed.xml"])
    first = parsed.entries[0]
    assert first.title.startswith("Re-audit: ")
    assert first.updated.startswith("2026-11-01")
    assert parsed.feed.updated.startswith("2026-11-01")
    assert [link.href for link in first.links if link.rel == "related"] == [
        "https://github.com/customer-care-review/ccr/pull/10"
    ]


def test_built_site_has_feed_changelog_and_commits(demo_repo: DemoRepo) -> None:
    """The demo build has the feed (in every page's head), the changelog, each file's commit."""
    site = demo_repo.site
    assert feedparser.parse((site / "feed.xml").read_bytes()).version == "atom10"
    home = (site / "index.html").read_text()
    link = re.search(r'<link rel="([^"]+)" type="application/atom\+xml" href="[./]*feed.xml"', home)
    assert link
    assert "alternate" in link.group(1).split()
    assert link.group(1) != "alternate"  # a bare one makes Material fetch sitemap.xml
    assert re.search(r'href="changelog/"[^>]*>\s*Changelog', home)
    page = (site / "companies" / "aldertack-digital" / "index.html").read_text()
    assert re.search(r'id="changes".*?<time datetime="[^"]+">[^<]+</time> — demo \(', page, re.S)


def test_history_module_needs_no_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a git executable the history is empty, not an error."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which("git") is None
    assert read_history(tmp_path) == History()
