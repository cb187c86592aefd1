"""The post-build pass (benchmark/postbuild.py): compaction and the search worker's documents.

These were MkDocs hooks in overrides/; the pass now runs over the finished site whatever
engine built it, and overrides/ holds templates only.
"""

from __future__ import annotations

import json
import re
from types import ModuleType

import pytest

from benchmark import postbuild
from benchmark.postbuild import PostBuildError
from tests.helpers import REPO, DemoRepo


def hooks() -> ModuleType:
    """The post-build pass."""
    return postbuild


def test_overrides_hold_no_python() -> None:
    """No MkDocs hook remains: overrides/ holds templates only, mkdocs.yml names no hook."""
    assert not list((REPO / "overrides").rglob("*.py"))
    assert "\nhooks:" not in (REPO / "mkdocs.yml").read_text()


def test_indentation_goes_preformatted_text_stays() -> None:
    """Whitespace runs with a line break become one; <pre>, <script>, <textarea> are kept."""
    page = (
        "<div>\n      <p>a  b</p>\n\n    </div>\n<pre>  x\n\n    y</pre>\n   "
        "<script>\n  var s = 'a\n   b';\n</script>\n  <textarea>\n t</textarea>  \n<p>end"
    )
    assert hooks().compact(page) == (
        "<div>\n<p>a  b</p>\n</div>\n<pre>  x\n\n    y</pre>\n"
        "<script>\n  var s = 'a\n   b';\n</script>\n<textarea>\n t</textarea>\n<p>end"
    )


def test_built_pages_carry_no_indentation(demo_repo: DemoRepo) -> None:
    """No line of a built company page starts with spaces outside its <pre> blocks."""
    html = (demo_repo.site / "companies" / "alderbyte-goods" / "index.html").read_text()
    outside = re.sub(r"<pre\b.*?</pre>", "", html, flags=re.DOTALL)
    assert not re.search(r"\n[ \t]+<", outside)
    assert "<pre>" in html or "<pre " in html


def test_every_page_is_finished_but_404(demo_repo: DemoRepo) -> None:
    """Each page names CCR's search worker and is compacted; 404.html (a template) is not."""
    site = demo_repo.site
    for name in ("index.html", "methodology/index.html", "leaderboards/index.html"):
        html = (site / name).read_text()
        assert "javascripts/search-worker.js?material=search." in html, name
        assert not re.search(r"\n[ \t]+<", re.sub(r"<pre\b.*?</pre>", "", html, flags=re.DOTALL)), (
            name
        )
    assert "search-worker.js" not in (site / "404.html").read_text()
    index = json.loads((site / "search" / "search_index.json").read_text())
    assert index["docs"] == []
    docs = json.loads((site / "search" / "search_docs.json").read_text())["docs"]
    assert any(d["location"] == "companies/alderbyte-goods/" for d in docs)


def search_hook() -> ModuleType:
    """The post-build pass."""
    return postbuild


def _page(search: str) -> str:
    config = json.dumps({"base": "../..", "search": search, "x": "<&'>"})
    return f'<p>a</p><script id="__config" type="application/json">{config}</script><p>b</p>'


def test_pages_name_the_ccr_search_worker() -> None:
    """__config's worker becomes CCR's, carrying Material's name; the rest stays, HTML-safe."""
    out = search_hook().point_at_worker(
        _page("../../assets/javascripts/workers/search.a7633da7.min.js")
    )
    body = re.search(r'type="application/json">(.*)</script>', out)
    assert body
    assert "<&'>" not in body.group(1)
    app = json.loads(body.group(1))
    assert app == {
        "base": "../..",
        "x": "<&'>",
        "search": "../../javascripts/search-worker.js?material=search.a7633da7.min.js",
    }
    assert out.startswith("<p>a</p>")
    assert out.endswith("<p>b</p>")
    top = search_hook().point_at_worker(_page("assets/javascripts/workers/search.0f.min.js"))
    assert '"search":"javascripts/search-worker.js?material=search.0f.min.js"' in top
    assert search_hook().point_at_worker("<p>no config</p>") == "<p>no config</p>"


def test_an_unknown_search_worker_stops_the_build() -> None:
    """A worker path the hook does not recognise is a build error, not a silent search outage."""
    with pytest.raises(PostBuildError, match="unexpected search worker"):
        search_hook().point_at_worker(_page("https://cdn.example/search.js"))


def test_the_page_index_keeps_config_and_the_worker_gets_the_documents() -> None:
    """split_index: the page's file has the config and no document; the worker's has them all."""
    index = {"config": {"lang": ["en"]}, "docs": [{"location": "", "title": "T", "text": "x"}]}
    page, worker = search_hook().split_index(index)
    assert page == {"config": {"lang": ["en"]}, "docs": []}
    assert worker == {"docs": index["docs"]}
