"""The company page as a stamped body: pure HTML that Markdown leaves alone, toc ids, outputs."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from benchmark.pipeline import run
from benchmark.render import Output, as_markdown_page, render
from benchmark.render.common import Context
from benchmark.render.company import NO_EFFECT, company_bodies
from benchmark.render.text import text
from tests.company_helpers import HOSTILE, NOW, SETTINGS, _Text, pages, site_markdown
from tests.helpers import add_later_edition

ROOT = Path(__file__).resolve().parents[1]


class _Headings(HTMLParser):
    """Heading ids and text, and the "On this page" links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str, str]] = []  # tag, id, text
        self.toc: list[str] = []
        self._open: list[str] | None = None
        self._in_toc = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("h1", "h2"):
            self.headings.append((tag, a.get("id") or "", ""))
            self._open = []
        if tag == "nav" and a.get("class") == "ccr-toc":
            self._in_toc = True
        if tag == "a" and self._in_toc:
            self.toc.append(str(a.get("href")))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2") and self._open is not None:
            t, i, _ = self.headings[-1]
            self.headings[-1] = (t, i, "".join(self._open))
            self._open = None
        if tag == "nav":
            self._in_toc = False

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)


def headings(body: str) -> _Headings:
    """The body's headings and its "On this page" links."""
    parsed = _Headings()
    parsed.feed(body)
    return parsed


MARKDOWN = re.compile(r"\*\*|__|^#+ |\{[#:.]|\]\(|^!!! |^\s*[-*] |^\|", re.M)
FIXED = {"subscores", "how-calculated", "corrections", "changes", "badge", "statement"}


def toc_ids(found: list[tuple[str, str, str]]) -> list[str]:
    """The ids MkDocs' toc gives the same headings written as Markdown, as the page was."""
    lines = []
    for tag, hid, title in found:
        mark = "#" if tag == "h1" else "##"
        lines.append(f"{mark} {text(title)}" + (f" {{#{hid}}}" if hid in FIXED else ""))
    html = site_markdown("\n\n".join(lines))
    return re.findall(r'<h[12][^>]* id="([^"]*)"', html)


@pytest.mark.slow
def test_demo_bodies_pass_through_markdown_unchanged() -> None:
    """Every company body of the demo data: Markdown returns it byte for byte; ids as toc's."""
    found = pages(ROOT)
    assert len(found) > 100
    for path, page in found.items():
        assert site_markdown(page.body) == page.body, path
        assert page.body.startswith('<div class="ccr-company">\n<h1 id="')
        assert not MARKDOWN.search(page.body), path  # the body never relies on Markdown
        assert "\n\n" not in re.sub(r"<pre>.*?</pre>", "", page.body, flags=re.S), path
        heads = headings(page.body)
        assert [i for _, i, _ in heads.headings] == toc_ids(heads.headings), path


@pytest.mark.parametrize("hostile", HOSTILE[:-1], ids=range(len(HOSTILE) - 1))
def test_hostile_text_passes_through_and_shows_literally(site_tree: Path, hostile: str) -> None:
    """A hostile name, statement, correction and note: Markdown leaves the body unchanged.

    Its h1 id is the one toc gives, and a browser's parser reads each string as text.
    """
    company = site_tree / "data" / "companies" / "valid.yaml"
    doc = yaml.safe_load(company.read_text())
    doc["name"] = f"Valid {hostile}"
    doc["statement"] = {"date": "2019-03-01", "text": f"We {hostile} reply."}
    doc["corrections"] = [
        {"date": "2019-03-02", "kind": "correction", "summary": f"Fixed {hostile}."}
    ]
    doc["audits"][0]["notes"] = f"Note {hostile}"
    company.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    page = pages(site_tree)["companies/valid.md"]
    assert site_markdown(page.body) == page.body
    heads = headings(page.body)
    assert [i for _, i, _ in heads.headings] == toc_ids(heads.headings)
    assert heads.headings[0][2] == " ".join(f"Valid {hostile}".split())
    assert page.title == f"Valid {hostile}"
    shown = _Text()
    shown.feed(page.body)
    words = re.sub(r"\s+", " ", "".join(shown.data))
    for literal in (f"We {hostile} reply.", f"Fixed {hostile}.", f"Note {hostile}"):
        assert re.sub(r"\s+", " ", literal) in words
    assert not {"script", "img", "b", "em", "code"} & shown.unexpected


def test_on_this_page_lists_every_section_in_order(site_tree: Path) -> None:
    """The "On this page" list links each h2 by its id, in page order."""
    add_later_edition(site_tree)
    page = pages(site_tree)["companies/valid.md"]
    heads = headings(page.body)
    h2 = [i for t, i, _ in heads.headings if t == "h2"]
    assert heads.toc == [f"#{i}" for i in h2]
    assert "channels-and-promises-later-edition" in h2
    assert "evidence-every-probe-fixture-edition" in h2
    assert "editions" in h2


@pytest.mark.slow
def test_render_yields_stamped_pages_or_markdown_pages(site_tree: Path) -> None:
    """A company page is a stamped output; as_markdown_page makes it a Markdown page.

    The stamped output has body, title, description and search text; the Markdown page is
    the same body after front matter, as MkDocs builds it.
    """
    result = run(site_tree, NOW)
    stamped = {o.path: o for o in render(result.dataset, result.scores, SETTINGS)}
    plain = {o.path: as_markdown_page(o) for o in stamped.values()}
    out = stamped["companies/valid.md"]
    assert out.kind == "stamped"
    assert out.title == "Valid Soft"
    assert out.description.startswith("How Valid Soft answers its customers")
    assert out.search.startswith("Valid Soft ")
    body = out.content.decode()
    assert body.startswith('<div class="ccr-company">')
    assert body.endswith("</div>")
    page = plain["companies/valid.md"]
    assert page.kind == "page"
    assert page == as_markdown_page(out)
    md = page.content.decode()
    assert md.startswith('---\ntitle: "Valid Soft"\n')
    assert 'hide: ["navigation"]\n---\n' in md
    assert md.split("\n---\n", 1)[1] == body + "\n"
    assert as_markdown_page(Output("x.md", b"x", "page")) == Output("x.md", b"x", "page")
    assert set(stamped) == set(plain)


def test_search_text_is_the_top_of_the_page(site_tree: Path) -> None:
    """The search text: name, domain, sector, country and languages, plain."""
    result = run(site_tree, NOW)
    ctx = Context.make(result.dataset, result.scores, SETTINGS)
    page = next(p for p in company_bodies(ctx) if p.path == "companies/valid.md")
    doc = ctx.docs["valid"]
    row = result.scores.companies.set_index("slug").loc["valid"]
    assert page.search.startswith(f"{doc['name']} {row['domain']} ")
    assert "site in " in page.search
    assert "<" not in page.search
    assert "&#" not in page.search


@pytest.mark.slow
def test_score_trend_only_for_a_company_in_several_editions(site_tree: Path) -> None:
    """Two editions: a trend chart spec (oldest first) and its figure; one edition: none."""
    result = run(site_tree, NOW)
    once = {o.path for o in render(result.dataset, result.scores, SETTINGS)}
    company_trends = ("charts/companies/", "-trend.json")
    assert not [p for p in once if p.startswith(company_trends[0]) and p.endswith("-trend.json")]
    add_later_edition(site_tree)
    result = run(site_tree, NOW)
    files = {o.path: o.content for o in render(result.dataset, result.scores, SETTINGS)}
    assert [
        p for p in files if p.startswith(company_trends[0]) and p.endswith(company_trends[1])
    ] == ["charts/companies/valid-trend.json"]
    spec = json.loads(files["charts/companies/valid-trend.json"])
    assert [v["edition"] for v in spec["data"]["values"]] == ["fixture-edition", "later-edition"]
    scores = result.scores.companies.set_index(["slug", "edition"])["score_display"]
    assert [v["score"] for v in spec["data"]["values"]] == [
        round(float(scores[("valid", e)]), 1) for e in ("fixture-edition", "later-edition")
    ]
    page = files["companies/valid.md"].decode()
    assert 'data-spec="../../charts/companies/valid-trend.json"' in page
    trend_at = page.index('data-spec="../../charts/companies/valid-trend.json"')
    assert trend_at < page.index('<table class="ccr-history">')
    neighbour = files["companies/neighbour.md"].decode()
    assert "-trend.json" not in neighbour


def test_each_correction_says_its_effect(site_tree: Path) -> None:
    """Each correction is listed with its effect on score and rank, or that it is unrecorded."""
    company = site_tree / "data" / "companies" / "valid.yaml"
    doc = yaml.safe_load(company.read_text())
    doc["corrections"] = [
        {"date": "2019-03-02", "kind": "correction", "summary": "One."},
        {"date": "2019-04-02", "kind": "re-audit", "summary": "Two."},
    ]
    company.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    body = pages(site_tree)["companies/valid.md"].body
    items = re.findall(r"<li><time>.*?</li>", body[body.index('class="ccr-corrections"') :])
    assert len(items) == 2
    said = "Effect not recorded (recorded before CCR kept effects)."  # HTML-only body: as is
    assert NO_EFFECT == "Effect not recorded (recorded before CCR kept effects)"
    assert all(f"{said}</span>" in item for item in items)


def test_probe_cells_carry_their_column_for_the_phone_layout(site_tree: Path) -> None:
    """Each probe cell names its column (the phone shows each probe as a labelled card)."""
    body = pages(site_tree)["companies/valid.md"].body
    table = re.search(r'<table class="ccr-probes">.*?</table>', body)
    assert table
    heads = re.findall(r"<th [^>]*>([^<]*)</th>", table.group(0))
    css = (ROOT / "docs" / "stylesheets" / "ccr.css").read_text(encoding="utf-8")
    labels = dict(
        re.findall(r'\.ccr-probes td:nth-child\((\d+)\):before \{ content: "([^"]*)"', css)
    )
    assert [labels.get(str(i)) for i in range(1, len(heads) + 1)] == ["Probe", *heads[1:]]
    for row in re.findall(r"<tr><td.*?</tr>", table.group(0)):
        assert row.count("<td") == len(heads)
