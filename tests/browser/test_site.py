"""What readers see, in Debian's Chromium.

The four main pages load cleanly, charts draw, search finds companies, leaderboards sort,
evidence is complete, and nothing leaves the origin.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import Page, expect

from benchmark.cli import cli
from tests.browser.helpers import OpenPage, PageWatch, axe_violations, serve_directory, settle
from tests.helpers import (
    FIXTURES,
    HOSTILE_NAME,
    HOSTILE_NOTE,
    REPO,
    DemoRepo,
    add_site_files,
    hostile_yaml,
)

pytestmark = pytest.mark.browser

COMPANY = "alderbyte-goods"
PAGES = {
    "home": "",
    "edition report": "editions/2019-q1-software-houses/",
    "leaderboard": "leaderboards/2016-e-commerce/",
    "company page": f"companies/{COMPANY}/",
    "changelog": "changelog/",
    "data reference": "data-reference/",
}
NO_CHARTS = {"leaderboard", "changelog", "data reference"}


@pytest.fixture(scope="module")
def base_url(demo_repo: DemoRepo) -> Iterator[str]:
    """The demo site, served on localhost."""
    with serve_directory(demo_repo.site) as url:
        yield url


def assert_clean(watch: PageWatch) -> None:
    """No console error, no uncaught exception, no dialog, no request off the origin."""
    assert watch.console_errors == []
    assert watch.page_errors == []
    assert watch.dialogs == []
    assert watch.foreign_requests == []


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_cleanly_with_charts_and_accessibility(
    base_url: str, open_page: OpenPage, name: str
) -> None:
    """The page loads with no console error or foreign request; charts render; axe is clean."""
    page, watch = open_page(base_url + PAGES[name])
    settle(page)
    boxes = page.locator(".ccr-chart")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        assert box.locator("svg, canvas").count() >= 1, f"chart {i} not drawn"
        reserved = float(box.get_attribute("data-height") or "nan")
        drawn = box.bounding_box()
        assert drawn is not None
        assert drawn["height"] == reserved, f"chart {i} changed height: layout shift"
    if name not in NO_CHARTS:
        assert boxes.count() >= 1
    assert_clean(watch)
    assert axe_violations(page) == []


def test_no_cookie_is_ever_set(base_url: str, open_page: OpenPage) -> None:
    """Reading every main page, sorting a board and switching the palette set no cookie."""
    page, watch = open_page(base_url)
    context = page.context
    for path in PAGES.values():
        page.goto(base_url + path, wait_until="load")
        settle(page)
        assert page.evaluate("document.cookie") == "", path
    page.goto(base_url + PAGES["leaderboard"], wait_until="load")
    settle(page)
    page.locator("th", has_text="Score").first.click()
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert context.cookies() == []
    assert page.evaluate("document.cookie") == ""
    assert_clean(watch)


def test_feed_link_in_the_head_resolves(base_url: str, open_page: OpenPage) -> None:
    """The head's Atom link, resolved by the browser, serves the feed with its editions."""
    page, watch = open_page(base_url + PAGES["changelog"])
    href = page.evaluate("document.querySelector('link[type=\"application/atom+xml\"]').href")
    assert href == base_url + "feed.xml"
    response = page.request.get(href)
    assert response.status == 200
    assert "<title>New edition: " in response.text()
    visible = page.locator("a[type='application/atom+xml']")
    expect(visible).to_have_attribute("href", "../feed.xml")
    expect(page.locator("#commits + ul.ccr-commits li").first).to_contain_text("demo")
    assert_clean(watch)


def test_charts_and_rows_wait_for_the_reader(base_url: str, open_page: OpenPage) -> None:
    """Charts far below the fold wait to be scrolled near; board rows wait to be pointed at."""
    page, watch = open_page(base_url + PAGES["edition report"])
    page.wait_for_load_state("networkidle")
    last = page.locator(".ccr-chart").last
    assert last.get_attribute("data-rendered") is None
    assert last.locator("svg").count() == 0
    last.scroll_into_view_if_needed()
    expect(last).to_have_attribute("data-rendered", "true", timeout=15_000)
    page, watch = open_page(base_url + PAGES["leaderboard"])
    page.wait_for_load_state("networkidle")
    assert not any("/api/v1/leaderboards/" in u for u in watch.requests)
    page.locator(".ccr-board").first.hover()
    expect(page.locator(".ccr-board").first).to_have_attribute("data-ready", "true")
    assert any("/api/v1/leaderboards/" in u for u in watch.requests)
    assert_clean(watch)


def test_vega_bundle_only_where_charts_are(base_url: str, open_page: OpenPage) -> None:
    """A page without charts never loads the Vega bundle; a page with charts loads it once."""
    _, watch = open_page(base_url + "companies/")
    assert not any(u.endswith("/vega.js") for u in watch.requests)
    page, watch = open_page(base_url)
    settle(page)
    assert sum(u.endswith("/vega.js") for u in watch.requests) == 1


@pytest.mark.parametrize("name", ["home", "company page"])
def test_pages_fetch_neither_sitemap_nor_search_documents(
    base_url: str, open_page: OpenPage, name: str
) -> None:
    """A page loads the search config only: no sitemap.xml, and the documents go to the worker."""
    page, watch = open_page(base_url + PAGES[name])
    settle(page)
    assert any(u.endswith("/search/search_index.json") for u in watch.requests)
    assert not any(u.endswith("/sitemap.xml") for u in watch.requests)
    fetched = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not any(u.endswith("/search/search_docs.json") for u in fetched)
    assert not any(u.endswith("/sitemap.xml") for u in fetched)


@pytest.mark.parametrize("query", ["Alderbyte Goods", "alderbyte-goods.example"])
def test_search_finds_a_company(base_url: str, open_page: OpenPage, query: str) -> None:
    """The offline search finds a company by its name and by its domain."""
    page, watch = open_page(base_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # Typed once the worker holds the index (Material then shows its placeholder), key by key,
    # as a reader types: a value filled in before that could be missed (it was, once, on CI).
    expect(page.locator(".md-search-result__meta")).to_have_text(
        "Type to start searching", timeout=15_000
    )
    page.locator(".md-search__input").press_sequentially(query)
    result = page.locator(".md-search-result__item a[href*='companies/alderbyte-goods/']")
    expect(result.first).to_be_visible(timeout=15_000)
    assert_clean(watch)


def _column(page: Page, part: str, key: str) -> list[str]:
    """The texts of one column (by its data-key) of a board part, as drawn (hidden ones skipped)."""
    table = page.locator(f".ccr-{part}")
    keys = table.locator("thead th").evaluate_all(
        "ths => ths.filter(th => !th.hidden).map(th => th.dataset.key)"
    )
    n = keys.index(key) + 1
    return table.locator(f"tbody tr td:nth-child({n})").all_inner_texts()


def _scores(page: Page, part: str = "ranked") -> list[float]:
    """The point scores (the number before the bracketed interval)."""
    return [float(t.split()[0]) for t in _column(page, part, "score")]


def test_sorting_the_leaderboard_by_score(base_url: str, open_page: OpenPage) -> None:
    """Clicking Score sorts rows by score, high first; again, low first; rows reorder."""
    page, watch = open_page(base_url + PAGES["leaderboard"])
    settle(page)
    first = page.locator(".ccr-ranked tbody tr").first.inner_text()
    header = page.locator(".ccr-ranked th[data-key='score'] button")
    header.click()
    expect(page.locator(".ccr-ranked th[data-key='score']")).to_have_attribute(
        "aria-sort", "descending"
    )
    high = _scores(page)
    assert high == sorted(high, reverse=True)
    assert len(high) == 100
    header.click()
    low = _scores(page)
    assert low == sorted(low)
    assert low[0] < high[0]
    assert page.locator(".ccr-ranked tbody tr").first.inner_text() != first
    assert "sort=score.asc" in page.url
    page.reload(wait_until="load")
    expect(page.locator(".ccr-ranked th[data-key='score']")).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert _scores(page) == low
    assert_clean(watch)


def test_leaderboard_filters_are_field_aware_and_kept_in_the_address(
    base_url: str, open_page: OpenPage, demo_repo: DemoRepo
) -> None:
    """Sector, country, grade and evidence filter their own field; reload restores them."""
    board = json.loads((demo_repo.site / "api/v1/leaderboards/2016-e-commerce.json").read_text())
    ranked = [r for r in board["rows"] if r["ranked"]]
    page, watch = open_page(base_url + PAGES["leaderboard"])
    settle(page)
    controls = page.locator(".ccr-board-controls")
    expect(controls).to_be_visible()
    controls.get_by_label("Sector").select_option("online-shop")
    expect(page.locator(".ccr-ranked .ccr-board-status, .ccr-board-status").first).to_contain_text(
        "matching the filters"
    )
    shops = [r for r in ranked if r["sector"] == "online-shop"]
    assert set(_column(page, "ranked", "sector")) == {"Online shop"}
    assert len(_column(page, "ranked", "sector")) == min(100, len(shops))
    expect(page.locator(".ccr-board-status").first).to_contain_text(f"of {len(shops)} companies")
    grade = shops[0]["grade"]
    controls.get_by_label("Grade").select_option(grade)
    wanted = [r["name"] for r in shops if r["grade"] == grade]
    assert sorted(_column(page, "ranked", "name")) == sorted(wanted[:100])
    assert "sector=online-shop" in page.url
    assert f"grade={grade}" in page.url
    controls.get_by_label("Evidence").select_option("unranked")
    expect(page.locator("#ccr-table-ranked")).to_be_hidden()
    expect(page.locator("#ccr-table-unranked")).to_be_visible()
    page.reload(wait_until="load")
    expect(page.locator(".ccr-board").first).to_have_attribute("data-ready", "true")
    expect(controls.get_by_label("Sector")).to_have_value("online-shop")
    expect(controls.get_by_label("Grade")).to_have_value(grade)
    expect(page.locator("#ccr-table-ranked")).to_be_hidden()
    controls.get_by_label("Evidence").select_option("")
    assert sorted(_column(page, "ranked", "name")) == sorted(wanted[:100])
    assert_clean(watch)


def test_readers_weights_reorder_the_board_and_survive_a_reload(
    base_url: str, open_page: OpenPage, demo_repo: DemoRepo
) -> None:
    """Sliders re-rank from the published sub-scores, kept in the URL; reset restores CCR's."""
    board = json.loads((demo_repo.site / "api/v1/leaderboards/2016-e-commerce.json").read_text())
    ranked = [r for r in board["rows"] if r["ranked"]]
    ccr_order = [r["name"] for r in ranked][:100]
    page, watch = open_page(base_url + PAGES["leaderboard"])
    settle(page)
    assert _column(page, "ranked", "name") == ccr_order
    controls = page.locator(".ccr-board-controls")
    controls.locator("summary").click()
    for key in ("reachability", "quality", "transparency", "respect"):
        slider = controls.locator(f"input[name='{key}']")
        slider.fill("0")
    expect(page.locator(".ccr-ranked th[data-key='yours']")).to_be_visible()
    note = page.locator(".ccr-board-tools").first
    expect(note).to_contain_text("your own weights")
    expect(note).to_contain_text("not CCR's")
    speed_order = sorted(ranked, key=lambda r: (-r["speed"], r["rank_overall"], r["name"]))
    names = _column(page, "ranked", "name")
    assert names == [r["name"] for r in speed_order][:100]
    assert names != ccr_order
    yours = [float(t) for t in _column(page, "ranked", "yours")]
    assert yours == sorted(yours, reverse=True)
    assert "w=0.25.0.0.0" in page.url
    page.reload(wait_until="load")
    expect(page.locator(".ccr-board").first).to_have_attribute("data-ready", "true")
    assert _column(page, "ranked", "name") == names
    expect(controls.locator("input[name='speed']")).to_have_value("25")
    expect(controls.locator("input[name='quality']")).to_have_value("0")
    controls.get_by_role("button", name="Reset to CCR's weights").click()
    assert _column(page, "ranked", "name") == ccr_order
    expect(page.locator(".ccr-ranked th[data-key='yours']")).to_be_hidden()
    expect(note).to_be_hidden()
    assert "w=" not in page.url
    expect(controls.locator("input[name='quality']")).to_have_value("25")
    assert_clean(watch)
    assert axe_violations(page) == []


def test_skip_link_reaches_the_table(base_url: str, open_page: OpenPage) -> None:
    """The skip link moves keyboard focus to the board; the next Tab is a sort button."""
    page, watch = open_page(base_url + PAGES["leaderboard"])
    page.get_by_role("link", name="Skip to the table").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#ccr-table-ranked")).to_be_focused()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('th').dataset.key")
    assert focused == "rank"
    assert_clean(watch)


def test_leaderboard_keeps_unranked_companies_apart(
    base_url: str, open_page: OpenPage, demo_repo: DemoRepo
) -> None:
    """Ranked rows show rank ranges and intervals; the unranked part stays apart.

    Sorted and redrawn by the script, it holds only unranked companies, with no rank or grade
    and the reason.
    """
    board = json.loads((demo_repo.site / "api/v1/leaderboards/2016-e-commerce.json").read_text())
    unranked = {r["name"] for r in board["rows"] if not r["ranked"]}
    page, watch = open_page(base_url + PAGES["leaderboard"])
    settle(page)
    ranks = _column(page, "ranked", "rank")
    assert all(re.fullmatch(r"\d+(–\d+\s*places \d+ to \d+)?", r) for r in ranks), ranks[:3]
    assert "–" in ranks[0]  # the demo's intervals allow several places
    assert re.fullmatch(
        r"\d+ \[\d+–\d+\]\s*, 90\s% interval \d+ to \d+", _column(page, "ranked", "score")[0]
    )
    assert not unranked & set(_column(page, "ranked", "name"))
    page.locator(".ccr-unranked th[data-key='score'] button").click()
    expect(page.locator(".ccr-unranked th[data-key='score']")).to_have_attribute(
        "aria-sort", "descending"
    )
    names = _column(page, "unranked", "name")
    assert len(names) == 100
    assert set(names) <= unranked
    assert _scores(page, "unranked") == sorted(_scores(page, "unranked"), reverse=True)
    assert page.locator(".ccr-unranked .ccr-grade").count() == 0
    assert all(re.fullmatch(r"[12] of 3 probes", w) for w in _column(page, "unranked", "why"))
    assert_clean(watch)


def test_home_top_10_is_ranked_companies_only(
    base_url: str, open_page: OpenPage, demo_repo: DemoRepo
) -> None:
    """The home page's top 10: ten ranked companies of the latest edition, rank ranges."""
    board = json.loads(
        (demo_repo.site / "api/v1/leaderboards/2019-q1-software-houses.json").read_text()
    )
    ranked = [r["name"] for r in board["rows"] if r["ranked"]]
    page, watch = open_page(base_url)
    names = page.locator(".ccr-top tbody td:nth-child(2)").all_inner_texts()
    assert names == ranked[:10]
    assert any(
        not r["ranked"] and r["score"] > board["rows"][9]["score"] for r in board["rows"]
    )  # an unranked company outscores the tenth
    assert_clean(watch)


def test_company_page_lists_every_probe(
    base_url: str, open_page: OpenPage, demo_repo: DemoRepo
) -> None:
    """The company page shows exactly as many probes as its data file holds."""
    doc = yaml.safe_load((demo_repo.root / "data" / "companies" / f"{COMPANY}.yaml").read_text())
    expected = sum(len(a["probes"]) for a in doc["audits"])
    page, _ = open_page(base_url + PAGES["company page"])
    assert page.locator("table.ccr-probes tbody tr").count() == expected
    edit = page.get_by_role("link", name="Suggest a correction")
    assert edit.get_attribute("href") == (
        f"https://github.com/customer-care-review/ccr/edit/main/data/companies/{COMPANY}.yaml"
    )
    form = page.get_by_role("link", name="Report an error without git")
    href = form.get_attribute("href") or ""
    assert href == (
        "https://github.com/customer-care-review/ccr/issues/new?"
        f"template=correction.yml&company={COMPANY}"
    )
    template = yaml.safe_load(
        (demo_repo.root / ".github" / "ISSUE_TEMPLATE" / "correction.yml").read_text()
    )
    ids = [field.get("id") for field in template["body"]]
    assert "company" in ids  # the query parameter prefills this field


def test_compare_two_companies(base_url: str, open_page: OpenPage, demo_repo: DemoRepo) -> None:
    """The compare page shows the chosen companies side by side, with their scores."""
    rows = json.loads((demo_repo.site / "api/v1/leaderboards/2016-e-commerce.json").read_text())
    a, b = rows["rows"][0], rows["rows"][1]
    page, watch = open_page(base_url + f"compare/?edition=2016-e-commerce&c={a['slug']}")
    expect(page.locator(".ccr-compare")).to_have_attribute("data-ready", "true")
    page.locator("input[name='company']").fill(b["name"])
    page.get_by_role("button", name="Add").click()
    heads = page.locator(".ccr-compare-table th[scope='col'] a").all_inner_texts()
    assert heads == [a["name"], b["name"]]
    score_row = page.locator(".ccr-compare-table tr", has_text="Score").first.inner_text()
    for r in (a, b):
        assert (
            f"{r['score']:.0f} (90\u00a0% interval {r['score_low']:.0f}–{r['score_high']:.0f})"
        ) in score_row
    assert f"c={a['slug']}%2C{b['slug']}" in page.url
    rank_row = page.locator(".ccr-compare-table tr", has_text="Rank overall").first
    assert (
        f"{a['rank_overall_low']}–{a['rank_overall_high']} of {a['of_overall']}"
        in rank_row.inner_text()
    )
    assert page.locator(".ccr-compare-table tr", has_text="Why unranked").count() == 0
    c = next(r for r in rows["rows"] if not r["ranked"])
    page.locator("input[name='company']").fill(c["name"])
    page.get_by_role("button", name="Add").click()
    assert "unranked — limited evidence" in rank_row.inner_text()
    why = page.locator(".ccr-compare-table tr", has_text="Why unranked").inner_text()
    assert c["why_unranked"] in why
    grades = page.locator(".ccr-compare-table tr", has_text="Grade").first.inner_text()
    assert grades.split("\t")[-1] == "—"
    assert_clean(watch)
    assert axe_violations(page) == []


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site built from the fixture tree with the hostile company, served."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURES / "tree", root, dirs_exist_ok=True)
    shutil.copytree(REPO / "data" / "methodology", root / "data" / "methodology")
    (root / "data" / "companies" / "valid.yaml").write_text(
        hostile_yaml((FIXTURES / "valid.yaml").read_text())
    )
    add_site_files(root)
    result = CliRunner().invoke(cli, ["build", "--root", str(root)])
    assert result.exit_code == 0, result.output
    with serve_directory(root / "site") as url:
        yield url


@pytest.mark.parametrize(
    "path",
    [
        "companies/valid/",
        "",
        "leaderboards/fixture-edition/",
        "editions/fixture-edition/",
        "companies/",
    ],
)
def test_hostile_strings_show_literally_and_run_nothing(
    hostile_url: str, open_page: OpenPage, path: str
) -> None:
    """Markup in data shows as text; no dialog opens; no data-made script, handler or link."""
    page, watch = open_page(hostile_url + path)
    settle(page)
    page.wait_for_timeout(300)
    body = page.locator("body").inner_text()
    assert re.sub(r"\s+", " ", HOSTILE_NAME) in re.sub(r"\s+", " ", body)
    if path == "companies/valid/":
        assert "{{ 7*7 }}" in body
        assert "onerror=alert(2)" in body
        assert page.locator("h1").inner_text() == HOSTILE_NAME
        assert HOSTILE_NOTE.strip() in re.sub(r"[ \t]+", " ", body)
    assert watch.dialogs == []
    assert watch.page_errors == []
    handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(
        e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => a.name))""")
    assert handlers == []
    schemes = page.evaluate("""() => [...document.querySelectorAll('a[href]')].map(
        a => new URL(a.href, location.href).protocol)""")
    assert set(schemes) <= {"http:", "https:"}
    assert page.locator("img[src='x']").count() == 0


def _luminance(css: str) -> float:
    """Relative luminance (0 dark … 1 light) of an rgb()/rgba() colour."""
    parts = [float(x) for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]
    return (0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]) / 255


def test_palette_switch_redraws_charts_with_readable_labels(
    base_url: str, open_page: OpenPage
) -> None:
    """After a palette switch every drawn chart is drawn again: light labels on dark."""
    page, watch = open_page(base_url + PAGES["edition report"])
    settle(page)
    boxes = page.locator(".ccr-chart").all()
    heights = [b.get_attribute("data-height") for b in boxes]
    for _ in range(2):  # whichever scheme the page opened in, switch to the other and back
        dark = page.locator("body").get_attribute("data-md-color-scheme") != "slate"
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        scheme = "slate" if dark else "default"
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
        for box in boxes:
            expect(box).to_have_attribute("data-scheme", scheme, timeout=15_000)
            expect(box).to_have_attribute("data-rendered", "true", timeout=15_000)
        label = page.locator(".ccr-chart svg .role-axis-label text").first
        light = _luminance(label.evaluate("e => getComputedStyle(e).fill")) > 0.5
        assert light == dark, f"labels {'light' if light else 'dark'} in scheme {scheme}"
    for box, height in zip(boxes, heights, strict=True):
        drawn = box.bounding_box()
        assert drawn is not None
        assert str(int(drawn["height"])) == height
    assert_clean(watch)


def test_chart_downloads_and_embed_page(base_url: str, open_page: OpenPage) -> None:
    """A report chart's PNG, SVG and CSV links return those formats; its embed page shows it."""
    page, watch = open_page(base_url + PAGES["edition report"])
    figure = page.locator("figure[id^='chart-']").first
    links = {
        a.inner_text(): a.evaluate("a => a.href")
        for a in figure.locator(".ccr-chart-links a").all()
    }
    png = page.request.get(links["PNG"])
    assert png.ok
    assert png.body().startswith(b"\x89PNG\r\n\x1a\n")
    svg = page.request.get(links["SVG"])
    assert svg.ok
    assert svg.text().startswith("<svg")
    assert "Customer Care Review" in svg.text()
    csv_text = page.request.get(links["CSV"]).text()
    assert csv_text.splitlines()[0].startswith("label,")
    assert links["Permalink"].endswith("#" + str(figure.get_attribute("id")))
    page.goto(links["Embed page"])
    image = page.locator("img")
    expect(image).to_have_count(1)
    assert page.evaluate("document.querySelector('img').naturalWidth") > 0
    assert_clean(watch)


RANKED_COMPANY = "marrowfold-hosting"  # ranked first in 2016-e-commerce
PAGE_KINDS = {
    "home": "",
    "report": "editions/2016-e-commerce/",
    "leaderboard": "leaderboards/2016-e-commerce/",
    "sector board": "leaderboards/2016-e-commerce/sector/online-shop/",
    "company ranked": f"companies/{RANKED_COMPANY}/",
    "company unranked": f"companies/{COMPANY}/",
    "compare": (
        f"compare/?edition=2016-e-commerce&c={COMPANY}%2C{RANKED_COMPANY}%2Caldercrest-store"
    ),
    "companies": "companies/",
    "methodology": "methodology/",
    "data": "data/",
    "boards index": "leaderboards/",
    "data reference": "data-reference/",
    "changelog": "changelog/",
}


@pytest.mark.parametrize("width", [360, 390])
def test_no_page_scrolls_sideways_on_a_phone(
    base_url: str, open_page: OpenPage, width: int
) -> None:
    """At phone widths every page kind fits: wide tables scroll in their box, not the page."""
    # Not is_mobile: a mobile viewport widens itself to overflowing content and hides it.
    page, watch = open_page(base_url, viewport={"width": width, "height": 800})
    wide = {}
    for name, path in PAGE_KINDS.items():
        page.goto(base_url + path, wait_until="load")
        settle(page)
        if name == "compare":
            expect(page.locator(".ccr-compare")).to_have_attribute("data-ready", "true")
            assert page.locator(".ccr-compare-table th[scope='col']").count() == 3
        page.evaluate("window.scrollTo(0, 0)")
        sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert sizes[1] == width
        if sizes[0] > sizes[1]:
            wide[name] = sizes
    assert wide == {}
    assert_clean(watch)


@pytest.mark.parametrize("name", ["home", "leaderboard", "company page", "compare"])
def test_dark_mode_passes_axe(base_url: str, open_page: OpenPage, name: str) -> None:
    """After switching to the dark palette, axe finds no serious or critical violation.

    The leaderboard's weights panel is opened, so its outline Reset button is checked too.
    """
    path = {**PAGES, "compare": PAGE_KINDS["compare"]}[name]
    page, watch = open_page(base_url + path)
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    settle(page)
    if name == "leaderboard":
        page.locator(".ccr-weights summary").click()
        expect(page.locator(".ccr-reset")).to_be_visible()
    if name == "compare":
        expect(page.locator(".ccr-compare")).to_have_attribute("data-ready", "true")
    page.wait_for_timeout(300)  # the palette's colour transitions end
    assert axe_violations(page) == []
    assert_clean(watch)


@pytest.mark.parametrize("width", [360, 390])
def test_phone_board_rows_show_rank_name_score_and_grade_first(
    base_url: str, open_page: OpenPage, width: int
) -> None:
    """On a phone a ranked row's rank, company, score with interval and grade are in view."""
    page, watch = open_page(
        base_url + PAGES["leaderboard"], viewport={"width": width, "height": 800}
    )
    table = page.locator(".ccr-ranked")
    keys = table.locator("thead th").evaluate_all(
        "ths => ths.filter(th => !th.hidden).map(th => th.dataset.key)"
    )
    row = table.locator("tbody tr").first
    for key in ("rank", "name", "score", "grade"):
        box = row.locator("td").nth(keys.index(key)).bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= width, key
    heights = {
        round(b["height"])
        for b in (r.bounding_box() for r in table.locator("tbody tr").all()[:10])
        if b
    }
    assert max(heights) < 45, heights  # one line per row, not wrapped cells
    assert_clean(watch)


@pytest.mark.parametrize("width", [390, 1280])
def test_company_probes_are_cards_on_a_phone_and_a_table_on_a_desktop(
    base_url: str, open_page: OpenPage, width: int
) -> None:
    """At 390 px each probe is a card of labelled lines in the column; wider, a table row."""
    page, watch = open_page(
        base_url + PAGE_KINDS["company ranked"], viewport={"width": width, "height": 800}
    )
    box = page.locator(".ccr-probe-cards").first
    rows = box.locator("table.ccr-probes tbody tr")
    assert rows.count() > 1
    shown = rows.first.evaluate("tr => getComputedStyle(tr).display")
    overflow = box.evaluate("el => el.scrollWidth - el.clientWidth")
    if width == 390:
        assert shown == "block"
        assert overflow <= 0  # nothing to scroll sideways: the cards fit the column
        cells = rows.first.locator("td")
        labels = cells.evaluate_all(
            "tds => tds.map(td => getComputedStyle(td, '::before').content)"
        )
        heads = box.locator("thead th").all_inner_texts()
        assert labels == ['"Probe"', *(f'"{h}"' for h in heads[1:])]
        for row in rows.all():
            b = row.bounding_box()
            assert b is not None
            assert b["x"] >= 0
            assert b["x"] + b["width"] <= width
    else:
        assert shown == "table-row"
        assert box.locator("thead").first.evaluate("el => el.offsetHeight") > 0
    assert_clean(watch)
