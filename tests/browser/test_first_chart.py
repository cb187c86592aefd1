"""The first chart on a phone: its build-time SVG shows before the Vega bundle is asked for.

A report or home chart's box holds its static SVG (``img.ccr-static``), shown at once; the
interactive Vega view replaces it once the bundle has loaded. Bundle requests are held (or
failed) by a route, so each test sees the page at a known point; no timings are asserted
(scripts/bench.py --first-chart-only measures them).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.helpers import OpenPage, PageWatch, axe_violations, serve_directory
from tests.helpers import DemoRepo

pytestmark = pytest.mark.browser

REPORT = "editions/2019-q1-software-houses/"
COMPANY = "companies/alderbyte-goods/"
BUNDLE = "**/assets/vendor/vega.js"
PHONE = {"viewport": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def base_url(demo_repo: DemoRepo) -> Iterator[str]:
    """The demo site, served on localhost."""
    with serve_directory(demo_repo.site) as url:
        yield url


def open_held(
    open_page: OpenPage, url: str, **options: object
) -> tuple[Page, PageWatch, list[Route]]:
    """Open ``url`` with every request for the Vega bundle held until the test lets it go."""
    page, watch = open_page(url.rsplit("/editions/", 1)[0] + "/companies/", **options)
    held: list[Route] = []
    page.route(BUNDLE, lambda route: held.append(route))
    page.goto(url, wait_until="domcontentloaded")
    return page, watch, held


def reserved(page: Page, index: int = 0) -> bool:
    """Whether chart box ``index`` has exactly the height it reserved (no layout shift)."""
    box = page.locator(".ccr-chart").nth(index)
    drawn = box.bounding_box()
    assert drawn is not None
    return drawn["height"] == float(box.get_attribute("data-height") or "nan")


def static_drawn(page: Page, index: int = 0) -> None:
    """The chart box ``index`` shows its static SVG, loaded and at the box's full width."""
    box = page.locator(".ccr-chart").nth(index)
    box.scroll_into_view_if_needed()
    image = box.locator("img.ccr-static")
    expect(image).to_be_visible()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("i => i.naturalWidth") > 0, "the static SVG did not load"
    shown, held_box = image.bounding_box(), box.bounding_box()
    assert shown is not None
    assert held_box is not None
    assert shown["width"] == held_box["width"]


def test_first_chart_is_drawn_before_the_bundle(base_url: str, open_page: OpenPage) -> None:
    """The static SVG shows with the bundle held; the interactive view then replaces it."""
    page, watch, held = open_held(open_page, base_url + REPORT, **PHONE)
    box = page.locator(".ccr-chart").first
    static_drawn(page)
    assert box.get_attribute("data-rendered") is None
    assert box.locator("svg, canvas").count() == 0, "drawn by Vega with the bundle held"
    assert reserved(page)
    spec = json.loads(
        page.request.get(
            page.evaluate("u => new URL(u, location.href).href", box.get_attribute("data-spec"))
        ).text()
    )
    image = box.locator("img.ccr-static")
    expect(image).to_have_attribute("alt", spec["description"])
    assert image.get_attribute("height") == box.get_attribute("data-height")
    last = page.locator(".ccr-chart").last  # far below the fold: its SVG, never its view
    expect(last.locator("img.ccr-static")).to_have_js_property("complete", True)
    assert last.get_attribute("data-rendered") is None
    assert len(held) == 1, f"the bundle was asked for {len(held)} times"
    held[0].continue_()
    expect(box).to_have_attribute("data-rendered", "true", timeout=30_000)
    assert box.locator(".ccr-live svg").count() == 1
    assert box.locator("img.ccr-static").count() == 0, "the static SVG stayed under the view"
    assert reserved(page)
    assert watch.console_errors == []
    assert watch.page_errors == []
    assert watch.foreign_requests == []


def test_bundle_waits_for_the_static_chart(base_url: str, open_page: OpenPage) -> None:
    """With the SVG held, the bundle is not asked for; once the SVG is shown, it is."""
    page, _ = open_page(base_url + "companies/", **PHONE)
    images: list[Route] = []
    bundle: list[Route] = []
    page.route("**/charts/editions/**/*.svg", lambda route: images.append(route))
    page.route(BUNDLE, lambda route: bundle.append(route))
    page.goto(base_url + REPORT, wait_until="domcontentloaded")  # held images delay "load"
    page.locator(".ccr-chart").first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # time for a wrong implementation to ask for the bundle
    assert images, "the first chart's SVG was never asked for"
    assert bundle == [], "the bundle was asked for before the chart's SVG had loaded"
    for route in images:
        route.continue_()
    static_drawn(page)
    page.wait_for_timeout(500)
    assert len(bundle) == 1
    bundle[0].continue_()
    expect(page.locator(".ccr-chart").first).to_have_attribute(
        "data-rendered", "true", timeout=30_000
    )


def test_static_chart_stays_when_the_bundle_fails(base_url: str, open_page: OpenPage) -> None:
    """A bundle that cannot load leaves the static chart in place, not an error message."""
    page, watch = open_page(base_url + "companies/", **PHONE)
    failed: list[str] = []

    def fail(route: Route) -> None:
        failed.append(route.request.url)
        route.abort("failed")

    page.route(BUNDLE, fail)
    page.goto(base_url + REPORT, wait_until="load")
    static_drawn(page)
    page.wait_for_timeout(500)
    assert failed, "the bundle was never asked for"
    box = page.locator(".ccr-chart").first
    expect(box.locator("img.ccr-static")).to_be_visible()
    assert "could not be drawn" not in (box.text_content() or "")
    assert watch.page_errors == []  # the failure is handled, not an unhandled rejection


def test_charts_without_a_static_rendering_keep_the_vega_path(
    base_url: str, open_page: OpenPage
) -> None:
    """A company's sub-score chart has no static SVG and is drawn by Vega as before."""
    page, watch = open_page(base_url + COMPANY, **PHONE)
    box = page.locator(".ccr-chart").first
    box.scroll_into_view_if_needed()
    expect(box).to_have_attribute("data-rendered", "true", timeout=30_000)
    assert box.locator("img").count() == 0
    assert box.locator("svg").count() >= 1
    assert watch.console_errors == []
    assert watch.page_errors == []


def test_palette_switch_before_and_after_the_bundle(base_url: str, open_page: OpenPage) -> None:
    """Dark palette: the static SVG is shown inverted; the Vega view is drawn dark."""
    page, watch, held = open_held(open_page, base_url + REPORT)
    static_drawn(page)
    box = page.locator(".ccr-chart").first
    image = box.locator("img.ccr-static")
    if page.locator("body").get_attribute("data-md-color-scheme") == "slate":
        page.locator("form[data-md-component='palette'] label:visible").first.click()
    assert image.evaluate("i => getComputedStyle(i).filter") == "none"
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert "invert" in image.evaluate("i => getComputedStyle(i).filter")
    for route in held:
        route.continue_()
    expect(box).to_have_attribute("data-rendered", "true", timeout=30_000)
    expect(box).to_have_attribute("data-scheme", "slate")
    page.locator("form[data-md-component='palette'] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    expect(box).to_have_attribute("data-scheme", "default", timeout=30_000)
    expect(box).to_have_attribute("data-rendered", "true", timeout=30_000)
    assert box.locator(".ccr-live svg").count() == 1
    assert watch.console_errors == []
    assert watch.page_errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_report_with_static_charts_is_accessible(
    base_url: str, open_page: OpenPage, width: int
) -> None:
    """Every chart shown as its static SVG (bundle held): axe finds nothing serious."""
    page, _, _held = open_held(
        open_page, base_url + REPORT, viewport={"width": width, "height": 900}
    )
    for i in range(page.locator(".ccr-chart").count()):
        static_drawn(page, i)
    assert page.locator(".ccr-chart[data-rendered]").count() == 0
    page.mouse.move(0, 0)
    assert axe_violations(page) == []
