"""What changed: each company's commits, the site-wide changelog and the Atom feed.

Two sources: the data's own record (edition publication dates, each company's corrections),
which dates the feed so that the same data always gives the same feed; and the commits that
touched the data files, read from git at the load edge (``benchmark.history``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from xml.etree import ElementTree

from ..history import Commit
from .common import Context, company_url, html_table, rel, report_url, scroll_box
from .text import attr, front_matter, link, safe_url, text

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
        found.append(Change(date, "edition", str(ed["title"]), report_url(eid),
                            str(ed.get("summary") or ed["title"]), f"edition/{eid}"))
    for slug, doc in ctx.docs.items():
        if slug not in scored:
            continue
        seen: dict[str, int] = {}
        for c in doc.get("corrections", []):
            n = seen[str(c["date"])] = seen.get(str(c["date"]), 0) + 1
            found.append(Change(str(c["date"]), str(c["kind"]), str(doc["name"]),
                                company_url(slug) + "#corrections", str(c["summary"]),
                                f"{c['kind']}/{slug}/{c['date']}/{n}", c.get("link")))
    return sorted(found, key=lambda c: (c.date, c.kind, c.subject, c.key), reverse=True)


def history_notice(ctx: Context) -> str:
    """Why the commit history shown is missing or incomplete (empty when it is whole)."""
    if ctx.history.state == "none":
        return ('<p class="ccr-history-note">No commit history: this site was built from a '
                "copy of the data outside a git repository.</p>\n\n")
    if ctx.history.state == "shallow":
        return ('<p class="ccr-history-note">Commit history incomplete: this site was built '
                "from a shallow clone, so older commits are missing here; the repository "
                "holds them all.</p>\n\n")
    return ""


def commit_item(ctx: Context, commit: Commit) -> str:
    """One commit: date, summary, pull request and commit links (summary as plain text)."""
    refs = []
    if commit.pr is not None:
        pull = ctx.pull_url(commit.pr)
        refs.append(f'<a href="{attr(pull)}">pull request #{commit.pr}</a>' if pull
                    else f"pull request #{commit.pr}")
    short = f"<code>{text(commit.sha[:7])}</code>"
    url = ctx.commit_url(commit.sha)
    refs.append(f'<a href="{attr(url)}">{short}</a>' if url else short)
    return (f'<time datetime="{attr(commit.date)}">{text(commit.date[:10])}</time> — '
            f"{text(commit.summary) or '(no summary)'} ({', '.join(refs)})")


def company_changes(ctx: Context, file: str) -> str:
    """The company page section: the commits that touched its data file."""
    commits = ctx.history.for_file(file)
    out = ["## Changes to this file {#changes}\n\n", history_notice(ctx)]
    if commits:
        items = "".join(f"<li>{commit_item(ctx, c)}</li>" for c in commits[:COMPANY_COMMITS])
        out.append(f'<ul class="ccr-commits">{items}</ul>\n\n')
        more = len(commits) - COMPANY_COMMITS
        log = ctx.log_url(file)
        if more > 0 or log:
            out.append("<p>" + (f"{more} older commit{'s' if more != 1 else ''} not listed. "
                                if more > 0 else "")
                       + (link(log, "Every commit to this file") + "." if log else "")
                       + "</p>\n\n")
    elif ctx.history.state != "none":
        out.append("No commit has changed this file yet.\n\n")
    return "".join(out)


def _file_label(ctx: Context, path: str, url: str) -> str:
    slug = ctx.files.get(path)
    if slug is not None and slug in ctx.docs:
        return f'<a href="{attr(rel(url, company_url(slug)))}">{text(ctx.docs[slug]["name"])}</a>'
    stem = path.rsplit("/", 1)[-1].removesuffix(".yaml")
    if path.startswith("data/editions/") and stem in ctx.editions:
        return (f'<a href="{attr(rel(url, report_url(stem)))}">edition '
                f"{text(ctx.editions[stem]['title'])}</a>")
    return f"<code>{text(path)}</code>"


def changelog_page(ctx: Context) -> str:
    """The site-wide changelog: recorded changes, then the newest commits to the data."""
    url = CHANGELOG_URL
    out = [front_matter(title="Changelog",
                        description="New editions, corrections and every change to the data "
                                    "behind Customer Care Review."),
           "# Changelog\n\n",
           "New editions, corrections and re-audits as the data records them, then the "
           "commits that changed the data. Follow them in a feed reader: "
           f'<a href="{attr(rel(url, FEED_PATH))}" type="application/atom+xml">Atom feed'
           "</a> (new editions and corrections).\n\n",
           "## Editions and corrections {#recorded}\n\n"]
    recorded = changes(ctx)
    rows = [[f'<time datetime="{attr(c.date)}">{text(c.date)}</time>',
             KIND_TITLES[c.kind],
             f'<a href="{attr(rel(url, c.path))}">{text(c.subject)}</a>',
             text(c.summary) + (" (" + link(c.related, "discussion") + ")"
                                if c.related else "")]
            for c in recorded]
    out.append(scroll_box(html_table(["Date", "Change", "Where", "What"], rows,
                                     "ccr-changes"), "Editions and corrections")
               + "\n\n" if rows else "Nothing recorded yet.\n\n")
    out.append("## Commits to the data {#commits}\n\n")
    out.append(history_notice(ctx))
    commits = ctx.history.commits
    items = []
    for c in commits[:CHANGELOG_COMMITS]:
        named = ", ".join(_file_label(ctx, f, url) for f in c.files[:FILES_NAMED])
        more = len(c.files) - FILES_NAMED
        if more > 0:
            named += f" and {more:,} more file{'s' if more != 1 else ''}"
        items.append(f"<li>{commit_item(ctx, c)}<br>Changed: {named}</li>")
    if items:
        out.append(f'<ul class="ccr-commits">{"".join(items)}</ul>\n\n')
        if len(commits) > CHANGELOG_COMMITS:
            out.append(f"<p>{len(commits) - CHANGELOG_COMMITS:,} older commits are in the "
                       "repository.</p>\n\n")
    elif ctx.history.state != "none":
        out.append("No commit has changed the data yet.\n\n")
    return "".join(out)


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

    def add(parent: ElementTree.Element, tag: str, value: str | None = None,
            **attrs: str) -> ElementTree.Element:
        element = ElementTree.SubElement(parent, tag, attrs)
        element.text = value
        return element

    add(feed, "id", _entry_id(ctx, FEED_PATH))
    add(feed, "title", f"{ctx.settings.site_name}: new editions and corrections")
    add(feed, "subtitle", "Every new edition of the benchmark and every correction to a "
                          "company's results.")
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
    return (b"<?xml version='1.0' encoding='utf-8'?>\n"
            + bytes(ElementTree.tostring(feed, encoding="utf-8", xml_declaration=False)) + b"\n")
