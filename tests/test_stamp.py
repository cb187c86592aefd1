"""Stamped pages are byte for byte the pages MkDocs builds from the same Markdown.

The same outputs are built twice: stamped (one shell page per folder, filled per page) and
as ordinary Markdown pages through MkDocs (``stamped=False``). Every file but the search
documents must be identical, hostile names included: markup in a title, ampersands,
quotes, right-to-left text, the stamping's own placeholders.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest

from benchmark import stamp
from benchmark.build import SiteOptions, build_site, read_settings
from benchmark.pipeline import run
from benchmark.render import Output, render

pytestmark = pytest.mark.slow  # every test reads the two MkDocs builds of one fixture

SITE_URL = "https://ccr.example/"
EPOCH = 1_600_000_000

HOSTILE = [
    (
        "script-title",
        "</title><script>alert(1)</script>",
        "\"quoted\" & 'single' <desc> </title>",
        '<div class="ccr-company"><h1>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>'
        "<p>x &amp; y &lt;b&gt;</p></div>",
    ),
    (
        "amp-quotes",
        "Tom &amp; Jerry \"Ltd\" 'x' & co",
        "How Tom & Jerry answers",
        '<div class="ccr-company"><p>No heading: Material adds the title as one.</p></div>',
    ),
    (
        "bidi",
        "\u05e9\u05dc\u05d5\u05dd \u0639\u0631\u0628\u064a \u200fmark\u200f \u061c end",
        "\u200e\u05e9\u05dc\u05d5\u05dd",
        '<div class="ccr-company" dir="auto"><h1>\u05e9\u05dc\u05d5\u05dd</h1>'
        "<p>\u0639\u0631\u0628\u064a \u200f</p></div>",
    ),
    (
        "spaced",
        "  Spaced\tname  ",
        "two\nlines ",
        '<div class="ccr-company"><h1>  Spaced</h1>\n\n   <p>indented\n\n   text</p></div>',
    ),
    (
        "placeholders",
        f"{stamp.TITLE} {stamp.BODY} companies/ccr_shell/",
        f"{stamp.DESCRIPTION}",
        f'<div class="ccr-company"><h1>{stamp.TITLE}</h1><p>companies/ccr_shell/ '
        f"{{{{ page.title }}}}</p>\n\n<pre>  kept\n\n     as is</pre>\n\n"
        f"<table>\n    <tr>\n        <td>indented</td>\n    </tr>\n</table></div>",
    ),
]


def stamped_outputs() -> list[Output]:
    """The hostile sample, as the render stage would yield it."""
    return [
        Output(
            f"companies/{slug}.md",
            body.encode(),
            "stamped",
            title=title,
            description=description,
            search=f"search text of {title}",
        )
        for slug, title, description, body in HOSTILE
    ]


def outputs(root: Path) -> list[Output]:
    """Every generated file of the fixture tree, and the stamped sample."""
    result = run(root)
    return [*render(result.dataset, result.scores, read_settings(root)), *stamped_outputs()]


def files(site: Path) -> dict[str, bytes]:
    """Every file of a site, by path."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(stamped site, Markdown site) of the same outputs."""
    import shutil

    from tests.helpers import FIXTURES, REPO, add_site_files

    root = tmp_path_factory.mktemp("stamp")
    shutil.copytree(FIXTURES / "tree", root, dirs_exist_ok=True)
    shutil.copytree(REPO / "data" / "methodology", root / "data" / "methodology")
    shutil.copyfile(FIXTURES / "valid.yaml", root / "data" / "companies" / "valid.yaml")
    add_site_files(root)
    made = outputs(root)
    for stamped, site in ((True, root / "stamped"), (False, root / "markdown")):
        options = SiteOptions(
            extra={"demo": False}, site_url=SITE_URL, epoch=EPOCH, stamped=stamped, clean=True
        )
        build_site(root, made, site, options)
    return files(root / "stamped"), files(root / "markdown")


def test_stamped_pages_equal_mkdocs_pages(both: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    """Each hostile page, and every other file but the search documents, is identical."""
    stamped, markdown = both
    for slug, *_ in HOSTILE:
        name = f"companies/{slug}/index.html"
        assert name in stamped
        assert stamped[name] == markdown[name], name
    assert set(stamped) == set(markdown)
    differ = [n for n in stamped if stamped[n] != markdown[n]]
    assert differ == ["search/search_docs.json"]


def test_hostile_text_stays_text(both: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    """The title is escaped wherever it is printed; the shell leaves no trace."""
    stamped, _ = both
    page = stamped["companies/script-title/index.html"].decode()
    assert "<script>alert(1)" not in page
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; - " in page
    assert 'content="&#34;quoted&#34; &amp;' in page or 'content="&quot;quoted&quot; &amp;' in page
    assert '<link rel="canonical" href="https://ccr.example/companies/script-title/">' in page
    titled = stamped["companies/amp-quotes/index.html"].decode()
    assert "<h1>Tom &amp;amp; Jerry &quot;Ltd&quot; &#x27;x&#x27; &amp; co</h1>" in titled
    assert all(
        b"ccr_shell" not in data and b"CCRSTAMP" not in data
        for name, data in stamped.items()
        if name.startswith(("companies/", "sitemap", "search/search_index"))
        and not name.startswith("companies/placeh")
    )


def test_stamped_search_documents(both: tuple[dict[str, bytes], dict[str, bytes]]) -> None:
    """One search document per stamped page: its location, title and search text."""
    stamped, _ = both
    docs = json.loads(stamped["search/search_docs.json"])["docs"]
    found = {d["location"]: d for d in docs if d["location"].startswith("companies/")}
    assert found["companies/script-title/"] == {
        "location": "companies/script-title/",
        "title": "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
        "text": "search text of &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
    }
    assert not any("ccr_shell" in d["location"] for d in docs)
    index = json.loads(stamped["search/search_index.json"])
    assert index["docs"] == []


@pytest.mark.parametrize(
    "path",
    [
        "companies/acme.md",
        "acme.md",
        "index.md",
        "reports/2026/index.md",
        "a/b/c.tar.gz",
        "a//b.md",
        "./a.md",
        "a/./b.md",
        "/abs/x.md",
        "a/",
        ".hidden",
        "a/.md",
        "a/x.",
        "x..md",
        "a/../b.md",
    ],
)
def test_folders_and_order_as_purepath_gives_them(path: str) -> None:
    """stamp.folder and stamp's page order split paths as text, as PurePosixPath would."""
    pure = PurePosixPath(path)
    assert stamp.folder(path) == str(pure.parent)
    assert stamp._order(path) == (pure.parts[:-1], pure.stem != "index", pure.parts[-1])
