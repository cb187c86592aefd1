"""Pages from templates: shared pieces, leaderboards, indexes, changelog, commit lists.

The shared pieces (``common.py``) keep their signatures and their exact output and are
markup; the pages print text from data inert whatever branch of their template it reaches.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from markupsafe import Markup

from benchmark.history import Commit, History
from benchmark.render import changes, standing
from benchmark.render.changes import changelog_page, company_changes
from benchmark.render.common import (
    Context,
    Settings,
    admonition,
    grade_badge,
    html_table,
    scroll_box,
)
from benchmark.render.jinja import environment, render_template
from benchmark.render.leaderboard import board_page, boards_index
from benchmark.render.pages import companies_index, compare_page, data_page
from benchmark.render.reference import data_reference
from tests.helpers import render_context as context
from tests.helpers import use_v2

BOLD = "<b>*Bold*</b> [x](javascript:alert(1))"
FILE = "data/companies/valid.yaml"


def test_shared_pieces_print_exactly_as_before() -> None:
    """Cells, headers and captions are HTML as given; labels and titles from data are text."""
    assert html_table(["A", "<em>B</em>"], [["1", "<b>2</b>"]], "ccr-x", "Cap", {1}) == (
        '<table class="ccr-x"><caption>Cap</caption><thead><tr><th scope="col">A</th>'
        '<th scope="col" class="num"><em>B</em></th></tr></thead><tbody><tr><td>1</td>'
        '<td class="num"><b>2</b></td></tr></tbody></table>'
    )
    assert html_table([], []) == "<table><thead><tr></tr></thead><tbody></tbody></table>"
    assert scroll_box("<table></table>", 'Wide "one"', ' id="t"') == (
        '<div class="ccr-scroll" tabindex="0" role="region" aria-label="Wide &quot;one&quot;" '
        'id="t"><table></table></div>'
    )
    assert admonition("note", "Title <b>", "Body <em>x</em>") == (
        '<div class="admonition note" data-search-exclude><p class="admonition-title">'
        "Title &#60;b&#62;</p><p>Body <em>x</em></p></div>\n\n"
    )
    assert grade_badge("B+") == '<span class="ccr-grade ccr-grade-b+">B&#43;</span>'


def test_shared_pieces_are_markup_and_escape_plain_text_joined_to_them() -> None:
    """Templates print them as they are; a plain string joined to one is escaped (Markup's rule)."""
    badge = grade_badge("A")
    assert isinstance(badge, Markup)
    assert Markup("<p>") + badge + Markup("</p>") == (
        '<p><span class="ccr-grade ccr-grade-a">A</span></p>'
    )
    assert "<p>" + badge == '&lt;p&gt;<span class="ccr-grade ccr-grade-a">A</span>'
    assert environment().from_string("<p>{{ b }}</p>").render(b=badge) == f"<p>{badge}</p>"
    assert render_template("_common_macros.html").strip() == ""  # macros only
    for made in (
        standing.sr("places 1 to 3"),
        standing.rank_cell(
            {
                "ranked": True,
                "rank_overall": 1,
                "rank_overall_low": 1,
                "rank_overall_high": 3,
                "of_overall": 9,
            }
        ),
    ):
        assert isinstance(made, Markup)
        assert environment().from_string("{{ m }}").render(m=made) == made
    table = html_table(["H"], [["<i>c</i>"]])
    page = scroll_box(table, "Box") + "\n\n<ul><li>x</li></ul>"
    assert "<td><i>c</i></td>" in page
    assert "&lt;ul&gt;&lt;li&gt;x&lt;/li&gt;&lt;/ul&gt;" in page


def _commits(n: int, files: tuple[str, ...], summary: str = "Fix") -> list[Commit]:
    return [
        Commit(
            f"{i:040x}",
            f"2026-01-{1 + i % 28:02d}T00:00:00+00:00",
            summary,
            i if i % 2 else None,
            files,
        )
        for i in range(n)
    ]


def _with(ctx: Context, history: History, settings: Settings | None = None) -> Context:
    return dataclasses.replace(ctx, history=history, settings=settings or ctx.settings)


def test_company_changes_every_branch(site_tree: Path) -> None:
    """No history, an untouched file, a long shallow history; summaries printed as text."""
    ctx = context(site_tree)
    head = "## Changes to this file {#changes}\n\n"
    none = company_changes(_with(ctx, History()), FILE)
    assert isinstance(none, Markup)
    assert none == (
        head + '<p class="ccr-history-note">No commit history: this site was '
        "built from a copy of the data outside a git repository.</p>\n\n"
    )
    assert company_changes(_with(ctx, History.of("full", [])), FILE) == (
        head + "No commit has changed this file yet.\n\n"
    )
    many = _commits(22, (FILE,), BOLD)
    many[0] = dataclasses.replace(many[0], summary="  ")
    shallow = company_changes(_with(ctx, History.of("shallow", many)), FILE)
    assert "Commit history incomplete" in shallow
    assert shallow.count("<li>") == changes.COMPANY_COMMITS
    assert "— (no summary) (" in shallow
    assert "<b>" not in shallow
    assert "&#60;b&#62;&#42;Bold&#42;&#60;&#47;b&#62; &#91;x&#93;&#40;javascript" in shallow
    assert (
        '<a href="https://github.com/customer-care-review/ccr/pull/1">pull request #1</a>'
        ', <a href="https://github.com/customer-care-review/ccr/commit/'
        f'{1:040x}"><code>0000000</code></a>)'
    ) in shallow
    assert (
        '<p>2 older commits not listed. <a href="https://github.com/customer-care-review/'
        'ccr/commits/main/data/companies/valid.yaml" rel="nofollow noopener">Every commit '
        "to this file</a>.</p>\n\n"
    ) in shallow
    plain = company_changes(_with(ctx, History.of("full", many[:2]), Settings()), FILE)
    assert plain.endswith("(pull request #1, <code>0000000</code>)</li></ul>\n\n")


def test_changelog_names_files_and_counts_the_rest(
    site_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit names its company, edition or path, then "and N more files"; older counted."""
    ctx = context(site_tree)
    monkeypatch.setattr(changes, "CHANGELOG_COMMITS", 2)
    files = (
        FILE,
        "data/editions/fixture-edition.yaml",
        "x/<b>.yaml",
        *(f"data/other/{i}.yaml" for i in range(7)),
    )
    page = changelog_page(_with(ctx, History.of("full", _commits(3, files))))
    assert page.count("<li>") == 2
    assert 'Changed: <a href="../companies/valid/">Valid Soft</a>, ' in page
    assert '<a href="../editions/fixture-edition/">edition Fixture edition</a>' in page
    assert "<code>x&#47;&#60;b&#62;&#46;yaml</code>" in page
    assert " and 2 more files</li>" in page
    assert "<p>1 older commits are in the repository.</p>\n\n" in page
    assert "## Editions and corrections {#recorded}\n\n" in page
    empty = changelog_page(_with(ctx, History.of("full", [])))
    assert empty.endswith(
        "## Commits to the data {#commits}\n\nNo commit has changed the data yet.\n\n"
    )


@pytest.mark.parametrize("v2", [False, True])
def test_pages_print_data_text_inert(site_tree: Path, v2: bool) -> None:
    """A company name and an edition title with markup show as text on every page here."""
    if v2:
        use_v2(site_tree)
    for path in [*site_tree.glob("data/companies/*.yaml"), *site_tree.glob("data/editions/*.yaml")]:
        path.write_text(
            re.sub(
                r"^(name|title): (.*)$",
                lambda m: f"{m[1]}: {json.dumps(BOLD + ' ' + m[2])}",
                path.read_text(encoding="utf-8"),
                count=1,
                flags=re.MULTILINE,
            ),
            encoding="utf-8",
        )
    ctx = context(site_tree)
    pages = {
        "board": board_page(ctx, "fixture-edition"),
        "boards": boards_index(ctx),
        "companies": companies_index(ctx),
        "compare": compare_page(ctx),
        "data": data_page(ctx, {"a<b>.csv": 2048}),
        "changelog": changelog_page(ctx),
        "reference": data_reference(),
    }
    for name, page in pages.items():
        # Outside attribute values (escaped for HTML, and never read as Markdown).
        body = re.sub(r'="[^"]*"', "", page.split("\n---\n", 1)[1])
        assert "<b>" not in body, name
        assert "](" not in body, name
        assert "*Bold*" not in body, name
    for name in ("board", "boards", "companies", "compare"):
        assert "&#60;b&#62;&#42;Bold&#42;&#60;&#47;b&#62;" in pages[name], name
    assert "<td>2.0 KB</td>" in pages["data"]
    board = pages["board"]
    assert board.count('<table class="ccr-leaderboard') == (2 if v2 else 1)
    assert ("## Unranked — limited evidence {#unranked}" in board) is v2
    assert '<button type="button">Transp.</button>' in board
