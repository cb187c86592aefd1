"""What every page writer shares: the site settings, page addresses and display names."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any, Protocol, TypeVar

import numpy as np
import pandas as pd
from babel import Locale
from markupsafe import Markup
from pandas.api.types import is_bool, is_float, is_integer

from ..history import History
from ..load import Dataset
from ..methodology import Methodology
from ..score import Scores
from ..score.tables import edition_ends
from ..values import edition_order, is_missing, plural
from .jinja import environment, register_filter, register_global
from .text import signed

T = TypeVar("T")
ENGLISH = Locale("en")
# The sub-scores' display names, in the methodology's order (score.subscores.SUBSCORES).
SUBSCORE_NAMES = {
    "reachability": "Reachability",
    "speed": "Speed",
    "quality": "Quality",
    "transparency": "Transparency",
    "respect": "Respect",
}
SCOPE_KEYS: dict[str, tuple[str, ...]] = {
    "overall": (),
    "sector": ("sector",),
    "country": ("country",),
}


def _native(value: Any) -> Any:
    """A value of an object or extension column as ``to_dict`` gives it (pandas' boxing)."""
    if is_float(value):
        return float(value)
    if is_integer(value):
        return int(value)
    if is_bool(value):
        return bool(value)
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value)
    if isinstance(value, np.timedelta64):
        return pd.Timedelta(value)
    return None if value is pd.NA else value


def _column(column: pd.Series) -> list[Any]:
    """A column's values as ``itertuples`` yields them (then boxed as ``to_dict`` does)."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind not in "mMO":
        return column.to_numpy().tolist()  # what iterating it gives, in one call
    if isinstance(dtype, pd.StringDtype):  # str, or its missing value (NaN or NA)
        return [v if type(v) is str else _native(v) for v in column.to_numpy(object).tolist()]
    return [_native(v) for v in column]


def records(frame: pd.DataFrame, only: Iterable[Any] | None = None) -> list[dict[Any, Any]]:
    """``frame.to_dict("records")``, the same values, built column by column.

    ``only``: the columns the caller reads (those of them the frame has), the rows' other
    values left out: a page that reads three of the scores' eighty columns boxes three.

    A numeric column is boxed by one ``tolist`` (the Python objects pandas' ``itertuples``
    gives), several times faster than ``to_dict``'s row by row walk; object and extension
    columns are boxed value by value as ``to_dict`` does. tests/test_render_cache.py compares
    the two on the demo's every table.
    """
    if only is not None:
        frame = frame[[c for c in only if c in frame.columns]]
    columns = frame.columns.tolist()
    if not columns:
        return [{} for _ in range(len(frame))]
    values = [_column(column) for _, column in frame.items()]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


@dataclass(frozen=True, slots=True)
class Settings:
    """Site settings the pages need, read from mkdocs.yml at the edge."""

    site_name: str = "Customer Care Review"
    repo_url: str | None = None
    edit_uri: str = "edit/main/"
    site_url: str | None = None

    def edit_url(self, file: str) -> str | None:
        """Where a repository file is edited on the forge, when repo_url is set."""
        if not self.repo_url:
            return None
        return self.repo_url.rstrip("/") + "/" + self.edit_uri.strip("/") + "/" + file

    def issue_url(self, slug: str) -> str | None:
        """The correction issue form, with the company filled in."""
        if not self.repo_url:
            return None
        return self.repo_url.rstrip("/") + f"/issues/new?template=correction.yml&company={slug}"

    def blob_url(self, file: str) -> str | None:
        """Where a repository file is shown on the forge."""
        if not self.repo_url:
            return None
        return self.repo_url.rstrip("/") + f"/blob/{self._branch()}/{file}"

    def _branch(self) -> str:
        """The branch edit_uri names (``edit/main/`` → ``main``)."""
        return self.edit_uri.strip("/").split("/", 1)[-1] or "main"

    def commit_url(self, sha: str) -> str | None:
        """A commit on the forge."""
        return self.repo_url.rstrip("/") + f"/commit/{sha}" if self.repo_url else None

    def pull_url(self, number: int) -> str | None:
        """A pull request on the forge."""
        return self.repo_url.rstrip("/") + f"/pull/{number}" if self.repo_url else None

    def log_url(self, file: str) -> str | None:
        """The forge's full commit history of a repository file."""
        if not self.repo_url:
            return None
        return self.repo_url.rstrip("/") + f"/commits/{self._branch()}/{file}"

    def absolute(self, url: str) -> str:
        """An absolute URL of a site path (for embed snippets), or the path itself."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + url
        return "/" + url


def is_draft(editions: dict[str, dict[str, Any]], edition: str) -> bool:
    """True for an edition marked ``status: draft`` in ``editions`` (documents by id)."""
    return editions.get(edition, {}).get("status") == "draft"


Groups = dict[str, dict[tuple[Any, ...], tuple[int, int, int]]]  # scope → group key → span


def find_group(groups: Groups | None, row: Any, scope: str) -> tuple[int, int, int] | None:
    """A ranked row's group in ``scope`` from ``groups`` (see :meth:`Context.group`)."""
    if (
        groups is None
        or is_missing(row.get("score_low"))
        or is_missing(row[f"rank_{scope}"])
        or is_missing(row.get(f"group_{scope}"))
    ):
        return None
    key = (row["edition"], *(row[k] for k in SCOPE_KEYS[scope]), int(row[f"group_{scope}"]))
    return groups[scope].get(key)


class PageContext(Protocol):
    """What one company's page may read of the site: :class:`Context`, or a view of it.

    The company page is rendered from this much and no more, so the render stage can key a
    stored page by all of it (``company.CompanyContext``): the site's settings and editions,
    its methodologies, edition order and rank groups, and the company's own document and
    history.
    """

    @property
    def docs(self) -> dict[str, dict[str, Any]]:
        """Company documents by slug."""

    @property
    def editions(self) -> dict[str, dict[str, Any]]:
        """Edition documents by id."""

    @property
    def history(self) -> History:
        """The data's commits."""

    @property
    def settings(self) -> Settings:
        """The site settings."""

    def edition_order(self) -> list[str]:
        """Editions that have scores, newest first."""

    def is_draft(self, edition: str) -> bool:
        """True for a draft edition."""

    def method(self, edition: str) -> Methodology:
        """The methodology an edition is scored with."""

    def group(self, row: Any, scope: str = "overall") -> tuple[int, int, int] | None:
        """A ranked row's group in ``scope``."""

    def edit_url(self, file: str) -> str | None:
        """Where a repository file is edited."""

    def issue_url(self, slug: str) -> str | None:
        """The correction issue form."""

    def blob_url(self, file: str) -> str | None:
        """Where a repository file is shown."""

    def commit_url(self, sha: str) -> str | None:
        """A commit on the forge."""

    def pull_url(self, number: int) -> str | None:
        """A pull request on the forge."""

    def log_url(self, file: str) -> str | None:
        """A file's commit history on the forge."""

    def absolute(self, url: str) -> str:
        """An absolute URL of a site path."""


class SiteLinks:
    """The forge and site addresses of the settings (their one home), for every page writer.

    A context that has ``settings`` gets them as its own methods.
    """

    __slots__ = ()
    settings: Settings

    def edit_url(self, file: str) -> str | None:
        """Where a repository file is edited on the forge, when repo_url is set."""
        return self.settings.edit_url(file)

    def issue_url(self, slug: str) -> str | None:
        """The correction issue form, with the company filled in."""
        return self.settings.issue_url(slug)

    def blob_url(self, file: str) -> str | None:
        """Where a repository file is shown on the forge."""
        return self.settings.blob_url(file)

    def commit_url(self, sha: str) -> str | None:
        """A commit on the forge."""
        return self.settings.commit_url(sha)

    def pull_url(self, number: int) -> str | None:
        """A pull request on the forge."""
        return self.settings.pull_url(number)

    def log_url(self, file: str) -> str | None:
        """The forge's full commit history of a repository file."""
        return self.settings.log_url(file)

    def absolute(self, url: str) -> str:
        """An absolute URL of a site path (for embed snippets), or the path itself."""
        return self.settings.absolute(url)


@dataclass(frozen=True)
class Context(SiteLinks):
    """Everything a page writer reads: data, scores, settings and lookups made once."""

    dataset: Dataset
    scores: Scores
    settings: Settings
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)  # slug → company document
    editions: dict[str, dict[str, Any]] = field(default_factory=dict)  # id → edition document
    history: History = field(default_factory=History)  # the data's commits, from git
    files: dict[str, str] = field(default_factory=dict)  # company data file → slug
    # What several page writers make of the same data, made once (:meth:`once`).
    _made: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def make(
        cls, dataset: Dataset, scores: Scores, settings: Settings, history: History | None = None
    ) -> Context:
        """Build the lookups once."""
        docs = {d.data["slug"]: d.data for d in dataset.companies}
        editions = {d.data["id"]: d.data for d in dataset.editions}
        files = {d.file: d.data["slug"] for d in dataset.companies}
        return cls(dataset, scores, settings, docs, editions, history or History(), files)

    def edition_order(self) -> list[str]:
        """Editions that have scores, newest first (by period end, then id)."""
        return list(self._edition_order)

    def once(self, key: str, make: Callable[[], T]) -> T:
        """``make()``, made once for ``key`` and kept until :meth:`forget`.

        For what several page writers read: an edition's board rows are the JSON of its
        boards and every board page.
        """
        if key not in self._made:
            self._made[key] = make()
        made: T = self._made[key]
        return made

    def forget(self, key: str) -> None:
        """Let go of what :meth:`once` kept for ``key`` (its last reader is done)."""
        self._made.pop(key, None)

    @cached_property
    def _edition_order(self) -> tuple[str, ...]:
        # Once per context: every company page asks, and the scan is over every company row.
        scored = {str(e) for e in self.scores.companies["edition"].unique()}
        ends = {
            e: end for e, end in edition_ends(self.scores.tables.editions).items() if e in scored
        }
        return tuple(reversed(edition_order(ends)))

    def is_draft(self, edition: str) -> bool:
        """True for an edition marked ``status: draft`` (shown only in a --drafts build)."""
        return is_draft(self.editions, edition)

    def published_order(self) -> list[str]:
        """Scored editions that are not drafts, newest first: the home page, changelog, feed."""
        return [e for e in self.edition_order() if not self.is_draft(e)]

    def group(self, row: Any, scope: str = "overall") -> tuple[int, int, int] | None:
        """The statistically indistinguishable group of a ranked company in ``scope``.

        Its first and last place (point ranks) and its number of companies; None when the
        company is unranked or its edition's scores carry no interval (v1).
        """
        return find_group(self.groups(), row, scope)

    def groups(self) -> Groups | None:
        """Every group's span, by scope and key (None when no edition has intervals)."""
        return self._groups if "score_low" in self.scores.companies else None

    @cached_property
    def _groups(self) -> Groups:
        # Once per context: every company page asks, and each answer spans a scope's rows.
        found: dict[str, dict[tuple[Any, ...], tuple[int, int, int]]] = {}
        companies = self.scores.companies
        for scope, extra in SCOPE_KEYS.items():
            rows = companies[companies[f"rank_{scope}"].notna()]
            keys = ["edition", *extra, f"group_{scope}"]
            spans = rows.groupby(keys)[f"rank_{scope}"].agg(["min", "max", "size"])
            found[scope] = {
                (*k[:-1], int(k[-1])): (int(low), int(high), int(size))
                for k, low, high, size in zip(
                    spans.index, spans["min"], spans["max"], spans["size"], strict=True
                )
            }
        return found

    def method(self, edition: str) -> Methodology:
        """The methodology an edition is scored with."""
        version = self.editions[edition]["methodology"]
        return self.scores.methodologies[version]


# Page addresses: the Markdown file and the URL it gets (use_directory_urls).
def company_url(slug: str) -> str:
    """The company page."""
    return f"companies/{slug}/"


def report_url(edition: str) -> str:
    """The edition report."""
    return f"editions/{edition}/"


def board_url(edition: str, scope: str = "overall", value: str | None = None) -> str:
    """A leaderboard page."""
    if scope == "overall":
        return f"leaderboards/{edition}/"
    return f"leaderboards/{edition}/{scope}/{value}/"


def _segments(path: str) -> list[str] | None:
    """A relative path's names (``.`` has none); None unless each is a plain name."""
    if path == ".":
        return []
    names = path.split("/")
    return names if all(n and n not in {".", ".."} for n in names) else None


def _relpath(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)``, without its two ``getcwd`` calls for plain paths.

    Between two relative paths of plain names it is the ``..`` out of ``start`` past their
    common names, then the rest of ``path``; any other pair goes to ``posixpath``.
    tests/test_rel.py compares the two.
    """
    to, base = _segments(path), _segments(start)
    if to is None or base is None:
        return posixpath.relpath(path, start)
    common = 0
    for a, b in zip(to, base, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


def rel(from_url: str, to: str) -> str:
    """A relative link from the page at ``from_url`` to a site path ``to``."""
    base = from_url.rstrip("/") or "."
    target = _relpath(to.rstrip("/") or ".", base)
    if to.endswith("/") and not target.endswith("/"):
        target = "./" if target == "." else target + "/"
    return target


@cache
def sector_name(sector: str) -> str:
    """``online-shop`` → ``Online shop``."""
    return sector.replace("-", " ").capitalize()


@cache
def country_name(code: str) -> str:
    """``PL`` → ``Poland`` (the code when unknown)."""
    return str(ENGLISH.territories.get(code, code))


@cache
def language_name(code: str) -> str:
    """``pl`` → ``Polish`` (the code when unknown)."""
    return str(ENGLISH.languages.get(code, code))


CHANNEL_NAMES = {
    "email": "E-mail",
    "contact_form": "Contact form",
    "phone": "Phone",
    "live_chat": "Live chat",
    "chatbot": "Chatbot",
    "web_callback": "Web callback",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "x": "X",
    "linkedin": "LinkedIn",
    "vkontakte": "VKontakte",
    "telegram": "Telegram",
    "whatsapp": "WhatsApp",
    "faq": "FAQ",
    "knowledge_base": "Knowledge base",
    "community": "Community",
    "mobile_app": "Mobile app",
}


def channel_name(channel: str) -> str:
    """Display name of a channel type."""
    return CHANNEL_NAMES.get(channel, channel.replace("_", " ").capitalize())


def macros() -> Any:
    """The shared template macros (``_common_macros.html``) as a module Python can call."""
    return environment().get_template("_common_macros.html").module


def html_table(
    headers: list[str],
    rows: list[list[str]],
    cls: str = "",
    caption: str = "",
    numeric: set[int] | None = None,
) -> Markup:
    """An HTML table; cells, headers and caption are already escaped HTML."""
    return Markup(
        macros().table(
            [Markup(h) for h in headers],
            [[Markup(c) for c in r] for r in rows],
            cls,
            Markup(caption),
            numeric or set(),
        )
    )


def scroll_box(inner: str, label: str, extra: str = "") -> Markup:
    """A wide table in a horizontally scrollable region that keyboards can reach.

    ``inner`` is HTML; ``extra`` is HTML attributes (`` id="…"``) for the region.
    """
    return Markup(macros().scroll(label, Markup(inner), Markup(extra)))


def admonition(kind: str, title: str, body: str) -> Markup:
    """A Material admonition as HTML, left out of the search index (``body`` is HTML)."""
    return Markup(macros().admonition(kind, title, Markup(body)))


def demo_banner(ctx: PageContext, editions: list[str] | None = None) -> Markup:
    """The demo-data warning, when any of the editions shown is flagged demo."""
    shown = editions if editions is not None else list(ctx.editions)
    if not any(ctx.editions[e].get("demo") for e in shown if e in ctx.editions):
        return Markup("")
    return Markup(macros().demo_banner())


def draft_banner(ctx: PageContext, editions: list[str]) -> Markup:
    """The "draft" warning, when any of the editions shown is a draft (a --drafts build)."""
    drafts = [e for e in dict.fromkeys(editions) if ctx.is_draft(e)]
    if not drafts:
        return Markup("")
    return Markup(macros().draft_banner([ctx.editions[e]["title"] for e in drafts]))


def grade_badge(grade: str) -> Markup:
    """A grade as a small coloured label."""
    return Markup(macros().grade_badge(grade))


@register_filter("fixed")
def fixed(value: float | int, decimals: int = 1) -> Markup:
    """A number with ``decimals`` decimals (``72.3``): CCR's own digits, printed as they are."""
    return Markup(f"{float(value):.{decimals}f}")


@register_filter("signed")
def signed_markup(value: float | int, decimals: int = 1) -> Markup:
    """``+2``, ``−1``, ``0`` (:func:`~benchmark.render.text.signed`), printed as it is."""
    return Markup(signed(value, decimals))


for _name, _fn in (
    ("plural", plural),
    ("rel", rel),
    ("company_url", company_url),
    ("board_url", board_url),
    ("report_url", report_url),
):
    register_global(_name, _fn)
