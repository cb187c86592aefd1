"""Draft editions: validated and scored, shown only in a preview, never published or announced."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from benchmark.cli import cli
from benchmark.pipeline import run, without_drafts
from benchmark.render import render
from benchmark.render.common import Settings
from benchmark.score import score

from .helpers import NOW, add_later_edition

BANNER = "is a <strong>draft</strong>"


@pytest.fixture
def drafted(site_tree: Path) -> Path:
    """The site tree with a later edition that is still a draft (the valid company is in it)."""
    add_later_edition(site_tree)
    later = site_tree / "data" / "editions" / "later-edition.yaml"
    later.write_text(later.read_text().replace("status: published", "status: draft"))
    return site_tree


def pages(root: Path, drafts: bool) -> dict[str, str]:
    """The generated pages and data files (text) of the tree, with or without drafts."""
    result = run(root, NOW)
    dataset = result.dataset if drafts else without_drafts(result.dataset)
    return {
        o.path: o.content.decode()
        for o in render(dataset, score(dataset), Settings())
        if o.path.endswith((".md", ".xml"))
    }


def test_a_draft_is_validated_and_scored(drafted: Path) -> None:
    """The draft is in the data: checked, and scored like any edition."""
    result = run(drafted, NOW)
    assert "later-edition" in set(result.scores.companies["edition"])


def headline(page: str) -> str:
    """The edition the home page leads with: the link of its scope line."""
    found = re.search(r'<p class="ccr-scope"><a href="[^"]*">([^<]*)</a>', page)
    assert found, "the home page has no scope line under its findings"
    return found.group(1)


@pytest.mark.slow
def test_preview_shows_drafts_with_a_banner_but_never_as_news(drafted: Path) -> None:
    """With drafts: report, board and company page say "draft"; home, feed, changelog do not."""
    shown = pages(drafted, drafts=True)
    assert BANNER in shown["editions/later-edition.md"]
    assert BANNER in shown["leaderboards/later-edition/index.md"]
    assert BANNER in shown["companies/valid.md"]
    assert BANNER not in shown["editions/fixture-edition.md"]
    assert BANNER not in shown["companies/neighbour.md"]  # audited in the published one only
    assert "ccr-tag-draft" in shown["editions/index.md"]
    assert headline(shown["index.md"]) == "Fixture edition"
    for page in ("index.md", "changelog.md", "feed.xml"):
        assert "Later edition" not in shown[page], page


@pytest.mark.slow
def test_published_site_leaves_drafts_out(drafted: Path) -> None:
    """Without drafts no page, board or data file of the draft exists."""
    shown = pages(drafted, drafts=False)
    assert not [p for p in shown if "later-edition" in p]
    assert not [p for p, md in shown.items() if "Later edition" in md or BANNER in md]


@pytest.mark.slow
def test_undated_edition_is_not_the_headline_once_it_is_a_draft(drafted: Path) -> None:
    """The draft has no `published:` date and ends later: still not the home headline."""
    shown = pages(drafted, drafts=True)
    assert "Later edition" not in shown["index.md"]
    later = drafted / "data" / "editions" / "later-edition.yaml"
    later.write_text(later.read_text().replace("status: draft", "status: published"))
    assert headline(pages(drafted, drafts=True)["index.md"]) == "Later edition"


def test_publish_refuses_a_draft(drafted: Path) -> None:
    """`ccr publish` of a draft edition is a usage error; nothing is built."""
    result = CliRunner().invoke(cli, ["publish", "later-edition", "--root", str(drafted)])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: edition 'later-edition' is a draft, and drafts are never published — hint: "
        "set status: published in data/editions/later-edition.yaml once its report may go "
        "out (preview it with ccr serve)\n"
    )


def test_status_is_required(tree: Path) -> None:
    """An edition that does not say whether it is a draft does not validate."""
    edition = tree / "data" / "editions" / "fixture-edition.yaml"
    edition.write_text(edition.read_text().replace("status: published\n", ""))
    result = CliRunner().invoke(cli, ["validate", "--root", str(tree)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "data/editions/fixture-edition.yaml:2:1: missing required property 'status' — hint: "
        "add `status:` — draft while the edition is being audited: it is validated and "
        "scored, but shown only in a local preview (ccr build --drafts, ccr serve), with a "
        "draft banner, and never on the published site, the home page, the changelog or the "
        "feed, nor by ccr publish. published once its report may go out."
    )


@pytest.mark.slow
def test_build_and_build_drafts(drafted: Path) -> None:
    """`ccr build` leaves the draft out of the site; `ccr build --drafts` shows it, flagged."""
    runner = CliRunner()
    done = runner.invoke(cli, ["build", "--root", str(drafted)])
    assert done.exit_code == 0, done.output
    site = drafted / "site"
    assert not (site / "editions" / "later-edition").exists()
    assert "Later edition" not in (site / "feed.xml").read_text()
    done = runner.invoke(cli, ["build", "--drafts", "--root", str(drafted)])
    assert done.exit_code == 0, done.output
    report = (site / "editions" / "later-edition" / "index.html").read_text()
    assert BANNER in report
    assert "Later edition" not in (site / "feed.xml").read_text()
    assert headline((site / "index.html").read_text()) == "Fixture edition"


def test_serve_previews_with_drafts(drafted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`ccr serve` builds (and rebuilds) with drafts, so the preview shows them."""
    import benchmark.cli
    import benchmark.serve

    calls: list[bool] = []

    class Built:
        def summary(self) -> str:
            return "built"

    def fake_build(_root: Path, _site: Path | None, drafts: bool = False) -> Built:
        calls.append(drafts)
        return Built()

    def fake_serve(_root: Path, server: Any, rebuild: object, _say: object) -> None:
        server.server_close()  # bound by ccr serve before its first build
        assert callable(rebuild)
        rebuild()

    monkeypatch.setattr(benchmark.cli, "_build", fake_build)
    monkeypatch.setattr(benchmark.serve, "serve", fake_serve)
    result = CliRunner().invoke(cli, ["serve", "--port", "0", "--root", str(drafted)])
    assert result.exit_code == 0, result.output
    assert calls == [True, True]


def test_leaderboard_defaults_to_the_latest_published_edition(drafted: Path) -> None:
    """`ccr leaderboard` shows the newest published edition by default; a draft when named."""

    def board(*edition: str) -> str:
        result = CliRunner().invoke(cli, ["leaderboard", *edition, "--root", str(drafted)])
        assert result.exit_code == 0, result.output
        return result.output

    assert board() == board("--edition", "fixture-edition")
    assert board() != board("--edition", "later-edition")
