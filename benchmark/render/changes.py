"""What changed: each company's commits, the site-wide changelog and the Atom feed.

Two sources: the data's own record (edition publication dates, each company's corrections),
which dates the feed so that the same data always gives the same feed; and the commits that
touched the data files, read from git at the load edge (``benchmark.history``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from markupsafe import Markup

from ..history import Commit
from .common import Context, PageContext, company_url, report_url
from .jinja import environment, render_template
from .text import front_matter, safe_url

FEED_PATH = "feed.xml"
CHANGELOG_URL = "changelog/"
COMPANY_COMMITS = 20  # newest commits listed on a company page
CHANGELOG_COMMITS = 100  # newest commits listed on the changelog
FILES_NAMED = 8  # files named per commit on the changelog, then "and N more"
FEED_ENTRIES = 200  # newest entries in the feed
ATOM = "http://www.w3.org/2005/Atom"
KIND_TITLES = {"edition": "New edition", "correction": "Correction", "re-audit": "Re-audit"}


@dataclass(frozen=True, slots=True, order=True)
class Change:
    """A dated change the data records: a new edition, a correction or a re-audit."""

    date: str  # YYYY-MM-DD
    kind: str  # edition, correction, re-audit
    subject: str  # the edition's title or the company's name
    path: str  # the site page that shows it
    summary: str
    key: str  # stable identity, for the feed entry id
    related: str | None = None  # where it was discussed (a pull request, an issue)


def changes(ctx: Context) -> list[Change]:
    """Every recorded change, newest first (ties in a fixed order)."""
    found: list[Change] = []
    scored_editions = set(ctx.published_order())  # a draft is news once it is published
    companies = ctx.scores.companies
    scored = set(companies.loc[companies["edition"].isin(scored_editions), "slug"])
    for eid, ed in ctx.editions.items():
        if eid not in scored_editions:
            continue
        date = str(ed.get("published") or ed["period"]["end"])
        found.append(
            Change(
                date,
                "edition",
                str(ed["title"]),
                report_url(eid),
                str(ed.get("summary") or ed["title"]),
                f"edition/{eid}",
            )
        )
    for slug, doc in ctx.docs.items():
        if slug not in scored:
            continue
        seen: dict[str, int] = {}
        for c in doc.get("corrections", []):
            n = seen[str(c["date"])] = seen.get(str(c["date"]), 0) + 1
            found.append(
                Change(
                    str(c["date"]),
                    str(c["kind"]),
                    str(doc["name"]),
                    company_url(slug) + "#corrections",
                    str(c["summary"]),
                    f"{c['kind']}/{slug}/{c['date']}/{n}",
                    c.get("link"),
                )
            )
    return sorted(found, key=lambda c: (c.date, c.kind, c.subject, c.key), reverse=True)


def _commits() -> Any:
    """The commit macros (``_common_commits.html``)."""
    return environment().get_template("_common_commits.html").module


def history_notice(ctx: PageContext) -> Markup:
    """Why the commit history shown is missing or incomplete (empty when it is whole)."""
    return Markup(_commits().history_notice(ctx.history.state))


def _commit(ctx: PageContext, commit: Commit) -> dict[str, Any]:
    """What a commit item shows: date, summary, pull request and commit links."""
    return {
        "date": commit.date,
        "summary": commit.summary,
        "sha": commit.sha,
        "pr": commit.pr,
        "pull": None if commit.pr is None else ctx.pull_url(commit.pr),
        "url": ctx.commit_url(commit.sha),
    }


def commit_item(ctx: PageContext, commit: Commit) -> Markup:
    """One commit: date, summary, pull request and commit links (summary as plain text)."""
    return Markup(_commits().commit_item(_commit(ctx, commit)))


def company_changes(ctx: Context, file: str) -> Markup:
    """The company page section: the commits that touched its data file."""
    commits = ctx.history.for_file(file)
    return Markup(
        _commits().company_changes(
            ctx.history.state,
            [_commit(ctx, c) for c in commits[:COMPANY_COMMITS]],
            len(commits) - COMPANY_COMMITS,
            ctx.log_url(file),
        )
    )


def _file(ctx: Context, path: str) -> dict[str, str]:
    """A changed file as the changelog names it: its company, its edition, or its path."""
    slug = ctx.files.get(path)
    if slug is not None and slug in ctx.docs:
        return {"kind": "company", "slug": slug, "name": ctx.docs[slug]["name"]}
    stem = path.rsplit("/", 1)[-1].removesuffix(".yaml")
    if path.startswith("data/editions/") and stem in ctx.editions:
        return {"kind": "edition", "id": stem, "name": ctx.editions[stem]["title"]}
    return {"kind": "file", "path": path}


def changelog_page(ctx: Context) -> str:
    """The site-wide changelog: recorded changes, then the newest commits to the data."""
    commits = ctx.history.commits
    shown = [
        {
            **_commit(ctx, c),
            "files": [_file(ctx, f) for f in c.files[:FILES_NAMED]],
            "more": len(c.files) - FILES_NAMED,
        }
        for c in commits[:CHANGELOG_COMMITS]
    ]
    return render_template(
        "changelog.html",
        url=CHANGELOG_URL,
        feed=FEED_PATH,
        recorded=changes(ctx),
        kinds={k: Markup(v) for k, v in KIND_TITLES.items()},
        state=ctx.history.state,
        commits=shown,
        older=len(commits) - CHANGELOG_COMMITS,
        front=Markup(
            front_matter(
                title="Changelog",
                description="New editions, corrections and every change "
                "to the data behind Customer Care Review.",
            )
        ),
    )


def _stamp(date: str) -> str:
    """A data date as an Atom (RFC 3339) timestamp: midnight UTC."""
    return f"{date}T00:00:00Z"


def _entry_id(ctx: Context, key: str) -> str:
    """A stable IRI for a feed entry: the same change keeps it from build to build."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, ctx.absolute(key)))


def atom_feed(ctx: Context) -> bytes:
    """The Atom 1.0 feed of new editions and corrections, dated from the data alone.

    Written with ElementTree: feedgen 1.0.0 drops ``rel`` from entry links, which would turn
    an entry's "related" link into a second "alternate" one (invalid Atom).
    """
    recorded = changes(ctx)[:FEED_ENTRIES]
    feed = ElementTree.Element("feed", {"xmlns": ATOM, "xml:lang": "en"})

    def add(
        parent: ElementTree.Element, tag: str, value: str | None = None, **attrs: str
    ) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, tag, attrs)
        element.text = value
        return element

    add(feed, "id", _entry_id(ctx, FEED_PATH))
    add(feed, "title", f"{ctx.settings.site_name}: new editions and corrections")
    add(
        feed,
        "subtitle",
        "Every new edition of the benchmark and every correction to a company's results.",
    )
    add(feed, "updated", _stamp(recorded[0].date if recorded else "1970-01-01"))
    add(add(feed, "author"), "name", ctx.settings.site_name)
    add(feed, "link", href=ctx.absolute(FEED_PATH), rel="self", type="application/atom+xml")
    add(feed, "link", href=ctx.absolute(CHANGELOG_URL), rel="alternate", type="text/html")
    add(feed, "generator", "ccr")
    for c in recorded:
        entry = add(feed, "entry")
        add(entry, "id", _entry_id(ctx, c.key))
        add(entry, "title", f"{KIND_TITLES[c.kind]}: {c.subject}")
        add(entry, "updated", _stamp(c.date))
        add(entry, "published", _stamp(c.date))
        add(entry, "link", href=ctx.absolute(c.path), rel="alternate", type="text/html")
        related = safe_url(c.related)
        if related:
            add(entry, "link", href=related, rel="related")
        add(entry, "summary", c.summary)
    ElementTree.indent(feed)
    return (
        b"<?xml version='1.0' encoding='utf-8'?>\n"
        + bytes(ElementTree.tostring(feed, encoding="utf-8", xml_declaration=False))
        + b"\n"
    )
