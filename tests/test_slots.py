"""Slots (benchmark/slots.py): pages built from frames and filled equal pages built inline.

The data-heavy raw-HTML blocks of generated Markdown pages (boards, the A–Z list, an
edition's lists by sector) are taken out of the Markdown; MkDocs builds the page with a
placeholder for each, and CCR fills them in. The same project built with slots and with the
HTML inline (``BuildOptions(slots=False)``) must give byte-identical sites, hostile names
included; a change of slot contents alone must not run MkDocs and must equal a clean build;
a planted engine page is never trusted; a placeholder missing or doubled stops the build.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from benchmark import build as build_module
from benchmark import pipeline, postbuild, slots
from benchmark.build import BuildError, Docs, Written
from benchmark.render import figures
from tests.helpers import files, make_project

HOSTILE = {
    1: "Synthetic <b>Bold</b> & \"Quoted\" 'Single'",
    2: "Synthetic \u05e9\u05dc\u05d5\u05dd \u0639\u0631\u0628\u064a \u200fmark\u200f",
    3: 'Synthetic <div data-ccr-slot="0"></div> fake placeholder',
    4: "Synthetic &amp; co <!-- x --> {{ page.title }} ]]>",
}


SEARCH = "search/search_docs.json"


def rename(root: Path, n: int, name: str) -> None:
    """Give the n-th synthetic company a new name."""
    path = root / "data" / "companies" / f"synthetic-{n:05d}.yaml"
    text = re.sub(
        r"\nname: [^\n]*\n", lambda _m: f"\nname: {json.dumps(name)}\n", path.read_text(), count=1
    )
    path.write_text(text)


def build(
    root: Path,
    clean: bool = False,
    slotted: bool = True,
    on_stage: Callable[[str], None] = lambda _s: None,
) -> None:
    """A build of ``root``, with slots or the HTML inline."""
    pipeline.build(
        root, options=pipeline.BuildOptions(clean=clean, slots=slotted), on_stage=on_stage
    )


def frames(root: Path) -> str:
    """Every Markdown page of the docs tree MkDocs read, joined."""
    return "".join(p.read_text() for p in sorted((root / ".ccr-build" / "docs").rglob("*.md")))


# --- split and fill, without MkDocs -------------------------------------------------------

PAGE = (
    "# Title\n\nIntro.\n\n"
    '<div class="ccr-board" data-part="ranked"><div class="ccr-scroll"><table><tr><td>A &amp; B'
    "</td></tr></table></div><p>Showing 1.</p></div>\n\n"
    "## Letter\n\n"
    '<ul class="ccr-columns"><li>One</li>\n<li>Two</li></ul>\n\n'
    "<p>End.</p>\n"
)


def test_split_and_fill_give_the_page_back() -> None:
    """The frame holds a placeholder per block, the headings; filling it gives the page."""
    frame, blocks = slots.split(PAGE)
    assert len(blocks) == 2
    assert frame.count('<div data-ccr-slot="0"></div>') == 1
    assert "## Letter" in frame
    assert "ccr-board" not in frame
    assert slots.fill(frame, blocks, "p.md") == PAGE


@pytest.mark.parametrize(
    "page",
    [
        PAGE.replace('data-part="ranked"', 'markdown="1" data-part="ranked"'),
        PAGE.replace("# Title", '<div markdown="1">\n\n# Title\n\n</div>'),
        PAGE.replace("</div>\n\n## Letter", "</div>\nText right after.\n\n## Letter").replace(
            '<ul class="ccr-columns">', "<p>"
        ),
        PAGE.replace("</div>\n\n## Letter", "</div> tail\n\n## Letter").replace(
            '<ul class="ccr-columns">', "<p>"
        ),
        PAGE.replace("<td>A", "<td>\tA").replace('<ul class="ccr-columns">', "<p>"),
        PAGE.replace("<p>Showing", "\n\n<p>Showing").replace('<ul class="ccr-columns">', "<p>"),
        PAGE.replace("Intro.\n\n", "Intro.\n").replace('<ul class="ccr-columns">', "<p>"),
    ],
    ids=["markdown-attr", "markdown-page", "text-below", "text-after", "tab", "blank", "no-gap"],
)
def test_blocks_markdown_could_change_stay_inline(page: str) -> None:
    """A block Python-Markdown would not pass through byte for byte is never a slot."""
    assert slots.split(page) == (page, [])


# --- the build's filling step -------------------------------------------------------------


def fill_step(tmp_path: Path, built: str, blocks: list[str]) -> None:
    """Run the build's filling step on one page whose frame MkDocs built as ``built``."""
    engine, fresh = tmp_path / "engine", tmp_path / "fresh"
    frame = engine / build_module.slotted_file("companies/index.md")
    frame.parent.mkdir(parents=True)
    frame.write_text(built)
    fresh.mkdir()
    docs = Docs(
        Written(0, 0, 0),
        {},
        set(),
        {},
        {},
        0,
        {"companies/index.md": "0" * 64},
        {"companies/index.md": blocks},
    )
    build_module._fill_slots(tmp_path / "site", fresh, engine, docs, {})


@pytest.mark.parametrize(
    "built",
    [
        "<p>no placeholder</p>",
        '<div data-ccr-slot="0"></div><div data-ccr-slot="0"></div>',
        '<div data-ccr-slot="0"></div><div data-ccr-slot="1"></div>',
    ],
    ids=["missing", "doubled", "unknown"],
)
def test_a_placeholder_missing_or_doubled_is_a_build_error(tmp_path: Path, built: str) -> None:
    """Each placeholder exactly once, no other: else a BuildError that names the page."""
    with pytest.raises(BuildError) as raised:
        fill_step(tmp_path, built, ["<ul><li>x</li></ul>"])
    assert "companies/index.md" in raised.value.message
    assert raised.value.hint


def test_a_filled_page_is_finished(tmp_path: Path) -> None:
    """The post-build pass runs on the filled page (the slot's whitespace compacted too)."""
    fill_step(
        tmp_path, '<main>\n    <div data-ccr-slot="0"></div>\n</main>', ["<ul>\n  <li>x</li></ul>"]
    )
    page = tmp_path / "fresh" / "companies" / "index.html"
    assert page.read_text() == "<main>\n<ul>\n<li>x</li></ul>\n</main>"  # compacted after filling


# --- whole builds ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project with hostile names, its intervals figure listing only the extremes.

    So a middle company's name is in slots only, as at 546 companies.
    """
    patch = pytest.MonkeyPatch()
    patch.setattr(figures, "ALL_UP_TO", 4)
    patch.setattr(figures, "EXTREMES", 2)
    root = make_project(tmp_path_factory.mktemp("slots"))
    for n, name in HOSTILE.items():
        rename(root, n, name)
    yield root
    patch.undo()


@pytest.mark.slow
def test_slots_equal_the_html_inline(project: Path, tmp_path: Path) -> None:
    """Built with slots and with the HTML inline: every file the same but the search documents.

    Those differ by the slots' text, which MkDocs' search plugin no longer sees: all of it was
    left out of search already (boards, the A–Z letters, lists by sector), but the A–Z
    page's row of letters.
    """
    inline = tmp_path / "inline"
    shutil.copytree(project, inline)
    build(project, clean=True)
    build(inline, clean=True, slotted=False)
    placeholder = '\n<div data-ccr-slot="0"></div>\n'
    assert frames(project).count(placeholder) >= 3  # slots were taken
    assert placeholder not in frames(inline)
    slotted, plain = files(project / "site"), files(inline / "site")
    assert sorted(slotted) == sorted(plain)
    assert [name for name in slotted if slotted[name] != plain[name]] == [SEARCH]
    with_slots, inline_docs = (json.loads(f[SEARCH])["docs"] for f in (slotted, plain))
    differ = [(a, b) for a, b in zip(with_slots, inline_docs, strict=True) if a != b]
    assert [a["location"] for a, _ in differ] == ["companies/"]
    letters = differ[0][1]["text"].removeprefix(differ[0][0]["text"])
    assert re.fullmatch(r"( [A-Z])+", letters)
    index = slotted["companies/index.html"].decode()
    assert "slot&#61;&#34;0&#34;&#62;&#60;&#47;div&#62; fake placeholder</a>" in index
    assert "data-ccr-slot" not in index


@pytest.mark.slow
def test_a_rename_reuses_mkdocs_and_equals_a_clean_build(project: Path) -> None:
    """A change of slot contents alone: MkDocs not run, unchanged pages linked, clean equal."""
    build(project)
    names = {n: f"Synthetic Company {n:05d}" for n in range(5, 15)}
    n = next(n for n, name in names.items() if name not in frames(project))
    docs = project / ".ccr-build" / "docs"
    slotted = [
        project / "site" / postbuild.page_file(p.relative_to(docs).as_posix())
        for p in docs.rglob("*.md")
        if "data-ccr-slot" in p.read_text()
    ]
    az = project / "site" / "companies" / "index.html"
    assert az in slotted
    before = {path: path.stat().st_ino for path in slotted}
    rename(project, n, "Synthetic & <Renamed> \u200fone")
    stages: list[str] = []
    build(project, on_stage=stages.append)
    assert "reusing the MkDocs output" in stages
    assert "mkdocs build --strict" not in stages
    site = files(project / "site")
    index = site["companies/index.html"].decode()
    assert "Renamed" in index
    assert "<Renamed>" not in index
    assert before[az] != az.stat().st_ino  # filled anew
    before = {path: path.stat().st_ino for path in slotted}
    build(project)  # nothing changed: every slotted page linked from the previous site
    assert {path: path.stat().st_ino for path in slotted} == before
    build(project, clean=True)
    assert files(project / "site") == site


def plant_frame(work: Path) -> None:
    """The engine's built frame of the A–Z page changed (a link to elsewhere added)."""
    path = work / "engine" / build_module.slotted_file("companies/index.md")
    path.write_text(path.read_text().replace("<article", "<p>Planted</p><article", 1))


def plant_record(work: Path) -> None:
    """A slots record planted where a stamped-style record would be (nothing reads it)."""
    path = work / "slots" / "companies" / "index.md.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"path": "companies/index.md", "slots": ["<p>Planted</p>"]}')


@pytest.mark.slow
@pytest.mark.parametrize("damage", [plant_frame, plant_record], ids=lambda d: d.__name__)
def test_planted_engine_pages_are_never_trusted(
    project: Path, damage: Callable[[Path], None]
) -> None:
    """A planted engine frame is found (MkDocs runs again); a planted record is never read."""
    build(project)
    names = {n: f"Synthetic Company {n:05d}" for n in range(5, 15)}
    n = next(n for n, name in names.items() if name not in frames(project))
    rename(project, n, f"Synthetic {damage.__name__}")
    damage(project / ".ccr-build")
    stages: list[str] = []
    build(project, on_stage=stages.append)
    ran = "mkdocs build --strict" in stages
    assert ran == (damage is plant_frame)  # the planted frame found: MkDocs builds it again
    site = files(project / "site")
    assert not any(b"Planted" in data for data in site.values())
    build(project, clean=True)
    assert files(project / "site") == site
