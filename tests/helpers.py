"""Helpers shared by the test modules: paths, fixture trees, git, the demo data as tables.

Test modules import from here, never from each other or from a conftest.py (conftest.py only
declares fixtures, built from these helpers).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import strategies as st

from benchmark.cli import cli
from benchmark.load import Document, parse_document
from benchmark.pipeline import run
from benchmark.record import cli as record_cli
from benchmark.render.common import Context, Settings

from . import make_mailbox as box

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WORKFLOWS = REPO / ".github" / "workflows"
NOW = datetime(2026, 11, 23, tzinfo=UTC)  # the fixed "now" of the scoring and render tests
SETTINGS = Settings(
    repo_url="https://github.com/customer-care-review/ccr",
    site_url="https://customer-care-review.example/",
)
SH = "2019-q1-software-houses"  # the demo editions
EC = "2016-e-commerce"
# A company name that tries GitHub mentions, links, images, raw HTML and an open code fence.
REPORT_HOSTILE_NAME = (
    "@octocat approved [click](https://evil.example) "
    "![t](https://evil.example/t.png) "
    "<img src=x> www.evil.example #1 ```<!-- the rest is hidden"
)


def render_context(root: Path) -> Context:
    """Score the tree (at :data:`NOW`) and make the page writers' context."""
    result = run(root, NOW)
    return Context.make(result.dataset, result.scores, SETTINGS)


SITE_FILES = ("mkdocs.yml", "docs", "overrides")


def fill_tree(root: Path) -> Path:
    """Make ``root`` the fixture tree: the fixture edition, methodology v1, one company."""
    shutil.copytree(FIXTURES / "tree", root, dirs_exist_ok=True)
    shutil.copytree(REPO / "data" / "methodology", root / "data" / "methodology")
    return root


def fill_site_tree(root: Path) -> Path:
    """Make ``root`` the fixture tree with a second company (valid.yaml) and the site files."""
    fill_tree(root)
    shutil.copyfile(FIXTURES / "valid.yaml", root / "data" / "companies" / "valid.yaml")
    return add_site_files(root)


def add_site_files(root: Path) -> Path:
    """Copy what a site build needs beside the data (mkdocs.yml, docs/, overrides/)."""
    for name in SITE_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, dirs_exist_ok=True)
        else:
            shutil.copyfile(src, root / name)
    return root


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a fixed identity; its stdout."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "CCR test",
        "GIT_AUTHOR_EMAIL": "test@ccr.example",
        "GIT_COMMITTER_NAME": "CCR test",
        "GIT_COMMITTER_EMAIL": "test@ccr.example",
    }
    return subprocess.run(
        ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
    ).stdout


@dataclass(frozen=True)
class DemoRepo:
    """A clean clone of the repository's tracked files, built once with `ccr build`."""

    root: Path
    stdout: str
    stderr: str

    @property
    def site(self) -> Path:
        """The built site."""
        return self.root / "site"


class DrawnCharts:
    """Chart drawings kept in memory for a test session (a ``charts.ExportStore``).

    Each distinct spec is drawn once by vl-convert, as the build's export cache does on disk:
    for the tests that read the pages a render makes, not its chart images.
    """

    def __init__(self) -> None:
        self.drawn: dict[tuple[str, bytes], bytes] = {}

    def render(self, kind: str, data: bytes, make: Callable[[], bytes]) -> bytes:
        """The drawing of ``data`` as ``kind``: the one made before, or a new one."""
        key = (kind, data)
        if key not in self.drawn:
            self.drawn[key] = make()
        return self.drawn[key]


def add_later_edition(root: Path) -> None:
    """A second edition (2020) in which the fixture company is audited again."""
    editions = root / "data" / "editions"
    first = (editions / "fixture-edition.yaml").read_text()
    (editions / "later-edition.yaml").write_text(
        first.replace("id: fixture-edition", "id: later-edition")
        .replace("title: Fixture edition", "title: Later edition")
        .replace("'2019-01-01'", "'2020-01-01'")
        .replace("'2019-03-31'", "'2020-03-31'")
    )
    company = root / "data" / "companies" / "valid.yaml"
    raw = company.read_text()
    audit = raw[raw.index("  - edition: fixture-edition") : raw.index("corrections:")]
    company.write_text(
        raw.replace(
            "corrections:",
            audit.replace("fixture-edition", "later-edition").replace("2019-02", "2020-02")
            + "corrections:",
        )
    )


FIXTURE_EDITION = "fixture-edition"
CHAT_MARKS = """        human_response:
          at: '2019-02-12T11:03:00+01:00'
        quality:
          answered_question: true
          complete_correct: false
          personal: false
          polite_literate: true
          next_step: true
          no_needless_redirect: true
          data_request_explained: n/a
          went_beyond: false
"""
THIRD_PROBE = """      - channel: email
        script: quote
        sent_at: '2019-02-13T09:00:00+01:00'
        first_response:
          at: '2019-02-13T09:20:00+01:00'
          by: human
        quality:
          answered_question: true
          complete_correct: true
          personal: true
          polite_literate: true
          next_step: true
          no_needless_redirect: true
          data_request_explained: n/a
          went_beyond: true
"""
UNANSWERED = """      - channel: email
        script: quote
        sent_at: '2019-02-{day}T10:15:00+01:00'
        first_response: null
"""


def use_v2(root: Path) -> None:
    """The fixture tree scored with methodology v2, with a third company below the threshold.

    ``valid`` gets a third probe (3 probes, 2 families: ranked), ``neighbour`` two more
    unanswered ones (3 probes: ranked), and ``thin`` (Thin Support) has one probe, answered
    well: unranked, though its score is not the lowest.
    """
    editions = root / "data" / "editions" / f"{FIXTURE_EDITION}.yaml"
    editions.write_text(editions.read_text().replace("methodology: v1", "methodology: v2"))
    valid = root / "data" / "companies" / "valid.yaml"
    raw = valid.read_text()
    chat = "        human_response:\n          at: '2019-02-12T11:03:00+01:00'\n"
    assert chat in raw
    valid.write_text(raw.replace(chat, CHAT_MARKS + THIRD_PROBE))
    neighbour = root / "data" / "companies" / "neighbour.yaml"
    raw = neighbour.read_text()
    neighbour.write_text(raw + UNANSWERED.format(day=14) + UNANSWERED.format(day=15))
    thin = (
        raw.replace("slug: neighbour", "slug: thin")
        .replace("name: Neighbour Works", "name: Thin Support")
        .replace("https://neighbour.example", "https://thin-support.example")
        .replace(
            "    probes:\n" + UNANSWERED.format(day=11),
            "    probes:\n" + THIRD_PROBE.replace("2019-02-13", "2019-02-11"),
        )
    )
    assert "thin-support" in thin
    assert "went_beyond: true" in thin
    (root / "data" / "companies" / "thin.yaml").write_text(thin)


class Frames(NamedTuple):
    """The demo data as flat tables."""

    editions: dict[str, dict[str, Any]]
    companies: pd.DataFrame
    channels: pd.DataFrame
    probes: pd.DataFrame


def load_yaml(path: Path) -> Any:
    """One YAML file, read with plain PyYAML (never the benchmark package)."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=yaml.CSafeLoader)


def read_data(root: Path) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """The editions and company documents below a data directory, by file stem."""
    editions = {p.stem: load_yaml(p) for p in sorted((root / "editions").glob("*.yaml"))}
    companies = {p.stem: load_yaml(p) for p in sorted((root / "companies").glob("*.yaml"))}
    return editions, companies


def quality_points(quality: dict[str, Any] | None) -> float | None:
    """Quality points 0-5: 5 × items met / items applicable ("n/a" left out)."""
    if quality is None:
        return None
    marks = [v for v in quality.values() if v != "n/a"]
    return 5 * sum(v is True for v in marks) / len(marks) if marks else None


def human_at(probe: dict[str, Any]) -> str | None:
    """When a human first answered the probe (None: never)."""
    first = probe["first_response"]
    if first is not None and first["by"] == "human":
        return str(first["at"])
    human = probe.get("human_response")
    return None if human is None else str(human["at"])


def frames_of(root: Path) -> Frames:
    """The data directory ``root`` as flat tables."""
    editions, docs = read_data(root)
    companies, channels, probes = [], [], []
    for stem, doc in docs.items():
        audit = doc["audits"][0]
        helpdesk = doc.get("helpdesk")
        companies.append(
            {
                "file": stem,
                "slug": doc["slug"],
                "edition": audit["edition"],
                "sector": doc["sector"],
                "helpdesk": None if helpdesk is None else helpdesk["used"],
                "support_hours": audit["support_hours"] is not None,
                "types": frozenset(c["type"] for c in audit["channels"]),
            }
        )
        for ch in audit["channels"]:
            declared = ch.get("declared_response_time")
            channels.append(
                {
                    "slug": doc["slug"],
                    "edition": audit["edition"],
                    "type": ch["type"],
                    "proactive": ch.get("proactive"),
                    "handoff": ch.get("handoff"),
                    "follows_up": ch.get("follows_up"),
                    "declared": None if declared is None else pd.Timedelta(declared["duration"]),
                    "declared_where": None if declared is None else declared["where"],
                }
            )
        for p in audit["probes"]:
            first = p["first_response"]
            ack = p.get("acknowledgement")
            probes.append(
                {
                    "slug": doc["slug"],
                    "edition": audit["edition"],
                    "sector": doc["sector"],
                    "helpdesk": None if helpdesk is None else helpdesk["used"],
                    "channel": p["channel"],
                    "sent": p["sent_at"],
                    "first_by": None if first is None else first["by"],
                    "human": human_at(p),
                    "acknowledged": ack is not None,
                    "promised": None if ack is None else ack.get("promised"),
                    "redirected": "redirected_to" in p,
                    "points": quality_points(p.get("quality")),
                    "aq": (p.get("quality") or {}).get("answered_question"),
                    "quality": p.get("quality") or {},
                    "marketing": p.get("marketing_after_no_answer", 0),
                }
            )
    probe_frame = pd.DataFrame(probes)
    probe_frame["sent_utc"] = pd.to_datetime(probe_frame["sent"], utc=True)
    probe_frame["human_utc"] = pd.to_datetime(probe_frame["human"], utc=True)
    probe_frame["answered"] = probe_frame["human"].notna()
    probe_frame["delay"] = probe_frame["human_utc"] - probe_frame["sent_utc"]
    return Frames(editions, pd.DataFrame(companies), pd.DataFrame(channels), probe_frame)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as plain dicts by column name (its columns are names)."""
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def row_at(frame: pd.DataFrame, label: Hashable) -> pd.Series[Any]:
    """The one row of ``frame`` at index ``label`` (a tuple for a MultiIndex), as a Series."""
    return frame.loc[[label]].iloc[0]


def number_at(frame: pd.DataFrame, label: str, column: str) -> float:
    """``frame.loc[label, column]`` as a number."""
    return float(frame[column].loc[label])


@cache
def demo_frames() -> Frames:
    """The committed demo data as flat tables (read once)."""
    return frames_of(REPO / "data")


def tree_digest(root: Path) -> str:
    """One digest of every file's path and bytes below ``root``."""
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


HOSTILE_NAME = "<script>alert(1)</script> [x](javascript:alert(1)) {{ 7*7 }} </script>"
HOSTILE_NOTE = (
    "</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) {{ 7*7 }} "
    "{% if 1 %}x{% endif %} <!-- "
)


def hostile_yaml(raw: str) -> str:
    """valid.yaml with the hostile name, and the hostile note on the audit, channel and probe."""
    raw = raw.replace("name: Valid Soft", f"name: {json.dumps(HOSTILE_NAME)}")
    note = json.dumps(HOSTILE_NOTE)  # a JSON string is a YAML double-quoted scalar
    raw = raw.replace("      - type: email\n", f"      - type: email\n        notes: {note}\n", 1)
    raw = raw.replace(
        "        script: quote\n", f"        script: quote\n        notes: {note}\n", 1
    )
    raw = raw.replace(
        "    started: '2019-02-01'\n", f"    started: '2019-02-01'\n    notes: {note}\n", 1
    )
    raw = raw.replace(
        "  text: We have since added a phone line.", f"  text: {json.dumps(HOSTILE_NAME)}"
    )
    return raw


def publish(root: Path, *args: str) -> str:
    """Run `ccr publish` (the author identity comes from the environment); its output."""
    result = CliRunner(
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@ccr.example",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@ccr.example",
        }
    ).invoke(cli, ["publish", *args, "--root", str(root)])
    assert result.exit_code == 0, result.output
    return result.stdout


def commit_all(root: Path, message: str) -> str:
    """Commit everything; the new commit's id."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def run_ccr(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-c", "from benchmark.cli import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# Texts that would be markup, a link, a template or a table if a page writer let them be.
HOSTILE = (
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "{{ 7*7 }}",
    "</script>",
    "{% raw %}",
    "<!--",
    "![img](https://evil.example/x.png)",
    "&lt;b&gt;",
    "| a | b |",
)


# Scoring: documents built in code (fixture edition, methodology v1).
EDITION_DOC = parse_document(
    "data/editions/fixture-edition.yaml",
    (FIXTURES / "tree/data/editions/fixture-edition.yaml").read_bytes(),
)
METHODOLOGY = parse_document(
    "data/methodology/v1.yaml", (REPO / "data/methodology/v1.yaml").read_bytes()
)
RUBRIC = [item["id"] for item in METHODOLOGY.data["rubric"]]
TOP = dict.fromkeys(RUBRIC, True)
START = datetime.fromisoformat("2019-02-04T10:00:00+01:00")  # a Monday, in business hours


def probe(
    channel: str,
    sent: datetime,
    after: float | None,
    quality: dict[str, Any] | None = None,
    by: str = "human",
) -> dict[str, Any]:
    """A probe sent at ``sent``, answered ``after`` seconds later (None: never)."""
    out: dict[str, Any] = {
        "channel": channel,
        "script": "quote",
        "sent_at": sent.isoformat(),
        "first_response": None,
    }
    if after is not None:
        out["first_response"] = {"at": (sent + timedelta(seconds=after)).isoformat(), "by": by}
        if quality:
            out["quality"] = quality
    return out


def company(
    slug: str, channels: list[str], probes: list[dict[str, Any]], hours: bool = False
) -> Document:
    """A company document (already parsed) with one audit in the fixture edition."""
    data = {
        "slug": slug,
        "name": slug.title(),
        "website": f"https://{slug}.example",
        "sector": "software-house",
        "country": "PL",
        "languages": ["pl"],
        "fictional": True,
        "audits": [
            {
                "edition": "fixture-edition",
                "started": "2019-02-01",
                "ended": "2019-02-28",
                "support_hours": (
                    {
                        "timezone": "Europe/Warsaw",
                        "schedule": [
                            {
                                "days": ["mon", "tue", "wed", "thu", "fri"],
                                "open": "09:00",
                                "close": "17:00",
                            }
                        ],
                    }
                    if hours
                    else None
                ),
                "channels": [{"type": t} for t in channels],
                "probes": probes,
            }
        ],
    }
    return Document(file=f"data/companies/{slug}.yaml", data=data)


PROBED = ["email", "live_chat", "web_callback", "facebook"]

outcome = st.one_of(
    st.none(),
    st.tuples(
        st.floats(1, 6 * 86400),
        st.lists(st.sampled_from([True, False, "n/a"]), min_size=len(RUBRIC), max_size=len(RUBRIC)),
    ),
)


def build(outcomes: list[Any], channels: list[str] = PROBED) -> Document:
    """A company whose probes, spread over ``channels``, have the given outcomes."""
    probes = []
    for i, o in enumerate(outcomes):
        sent = START + timedelta(days=i % 20, hours=i % 5)
        ch = channels[i % len(channels)]
        if o is None:
            probes.append(probe(ch, sent, None))
        else:
            probes.append(probe(ch, sent, o[0], dict(zip(RUBRIC, o[1], strict=True))))
    return company("subject", sorted(set(channels)), probes)


def improve(o: Any, how: int, item: int, reply: Any) -> Any:
    """One better outcome: any answer instead of none, faster, or one rubric mark raised."""
    if o is None:
        return reply
    seconds, marks = o
    if how == 0:
        return (seconds / 3, marks)
    better = list(marks)
    better[item] = True
    return (seconds, better)


# The valid fixture document and arbitrary JSON values to put anywhere in it.
VALID = yaml.safe_load((FIXTURES / "valid.yaml").read_text())

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "human",
            "bot",
            "email",
            "PT5M",
            "2019-02-11T10:15:00+01:00",
            "n/a",
            "https://x.example",
            "",
            "2019-02-30",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["at", "by", "type", "slug", "x", "quality", "channel", "days"]),
            children,
            max_size=3,
        )
    ),
    max_leaves=8,
)


def mutate(doc: Any, path: list[int], value: Any) -> Any:
    """Replace the node reached by following ``path`` (indices into sorted keys) with value."""
    if not path or not isinstance(doc, (dict, list)) or not doc:
        return value
    if isinstance(doc, dict):
        keys = sorted(doc)
        key = keys[path[0] % len(keys)]
        return {**doc, key: mutate(doc[key], path[1:], value)}
    i = path[0] % len(doc)
    return [*doc[:i], mutate(doc[i], path[1:], value), *doc[i + 1 :]]


# `ccr import mail`: the mailbox scenario (tests/make_mailbox.py).
MAIL_NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)


def setup_edition(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The scenario's draft edition with its five re-audited and two new companies."""
    from .recording import ccr, small_tree  # recording.py imports this module

    monkeypatch.setattr(record_cli, "_now", lambda: MAIL_NOW)
    small_tree(root, *box.EXISTING, "aldercrest-store")
    assert (
        ccr(
            root,
            "edition",
            "new",
            box.EDITION,
            "--title",
            "Software houses, autumn 2026",
            "--sector",
            "software-house",
            "--market",
            "PL",
            "--period",
            "2026-09-01..2026-10-30",
            "--language",
            "pl",
            "--script",
            f"sh-quote={box.QUOTE}",
            "--script",
            f"sh-chat={box.CHAT}",
            "--auditor-address",
            box.AUDIT,
        )[0]
        == 0
    )
    assert (
        ccr(
            root,
            "audit",
            "add",
            *box.EXISTING,
            "--edition",
            box.EDITION,
            "--fictional",
            *(a for n in box.NEW.values() for a in ("--new", n)),
        )[0]
        == 0
    )
    return root


def sources(root: Path) -> list[str]:
    """The scenario's mailbox, written next to the data tree."""
    return [str(p) for p in box.write(root.parent / "mail")]


def probes(root: Path, slug: str) -> list[dict[str, Any]]:
    """The probes of the scenario's edition in a company file."""
    data = yaml.safe_load((root / f"data/companies/{slug}.yaml").read_text("utf-8"))
    audit = next(a for a in data["audits"] if a["edition"] == box.EDITION)
    return list(audit["probes"])


# The chart-spec lint (docs/charts.md); test_charts.py tests it, test_figures.py uses it.
UNITS = ("share of", "hours", "points", "companies", "probes", "ratio", "score", "replies")


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The spec, its layers, and a facet's inner spec with its layers."""
    inner = [spec["spec"], *spec["spec"].get("layer", [])] if "spec" in spec else []
    return [spec, *spec.get("layer", []), *inner]


def _facets(spec: dict[str, Any]) -> list[str]:
    """The fields a faceted spec splits its panels by (a bar per panel is no duplicate)."""
    facet = spec.get("facet", {})
    return [
        str(f["field"])
        for f in (facet.get("row"), facet.get("column"), facet)
        if isinstance(f, dict) and "field" in f
    ]


def _marks(spec: dict[str, Any]) -> list[str]:
    out = []
    for layer in _layers(spec):
        mark = layer.get("mark")
        if mark is not None:
            out.append(mark["type"] if isinstance(mark, dict) else str(mark))
    return out


def _rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = spec.get("data", {}).get("values", [])
    return rows


def lint(path: str, spec: dict[str, Any], *, travels: bool) -> list[str]:
    """The problems of one chart spec (empty when it passes)."""
    rows = _rows(spec)
    problems = [
        problem
        for layer in _layers(spec)
        for channel in ("x", "y")
        for problem in _axis_problems(channel, layer.get("encoding", {}).get(channel), rows)
    ]
    problems += _bar_problems(spec, rows)
    labels = " ".join(str(r.get("label", "")) for r in rows).lower()
    if "mean" in labels and "median" in labels:
        problems.append("means and medians on one axis")
    problems += _duplicates(spec, rows)
    if travels:
        problems += _source_problems(spec)
    return [f"{path}: {p}" for p in problems]


def _axis_problems(
    channel: str, enc: dict[str, Any] | None, rows: list[dict[str, Any]]
) -> list[str]:
    """A quantitative axis without its unit or denominator, or counts on a decimal axis."""
    if not enc or enc.get("type") != "quantitative" or "field" not in enc:
        return []
    problems = []
    title = str(enc.get("title") or "")
    axis = enc.get("axis") or {}
    values = [r[enc["field"]] for r in rows if enc["field"] in r]
    if not any(u in title for u in UNITS):
        problems.append(f"{channel} axis title {title!r} names no unit")
    if "share" in title and " of " not in title:
        problems.append(f"{channel} axis {title!r}: a share without its denominator")
    counts = (
        values
        and all(float(v).is_integer() for v in values)
        and max(values) > 1
        and not any(u in title for u in ("share", "points", "hours"))
    )
    if (counts or title in ("companies", "probes", "replies")) and not (
        axis.get("tickMinStep") == 1 and axis.get("format") == "d"
    ):
        problems.append(f"{channel} axis {title!r}: counts on a decimal axis")
    return problems


def _bar_problems(spec: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    """Bars where a sentence would do, or a cumulative share drawn as separate bars."""
    if "bar" not in _marks(spec):
        return []
    problems = []
    value_field = _value_field(spec)
    if len(rows) < 2:
        problems.append(f"a single bar ({len(rows)} row): write a sentence instead")
    if value_field and rows and all(float(r[value_field]) == 0 for r in rows):
        problems.append("all bars are zero: write a sentence instead")
    if len({str(r.get("label")) for r in rows if re.search(r"within \d", str(r.get("label")))}) > 1:
        problems.append("a cumulative share (answered within t) drawn as separate bars")
    return problems


def _source_problems(spec: dict[str, Any]) -> list[str]:
    """A chart that travels without CCR's name, the edition or the licence in its title."""
    title = spec.get("title") or {}
    words = " ".join([str(title.get("text", "")), str(title.get("subtitle", ""))])
    return [
        f"no {needed!r} inside the chart (title or subtitle)"
        for needed in ("Customer Care Review", "edition", "licence")
        if needed.lower() not in words.lower()
    ]


def _value_field(spec: dict[str, Any]) -> str | None:
    for layer in _layers(spec):
        for channel in ("x", "y"):
            enc = layer.get("encoding", {}).get(channel, {})
            if enc.get("type") == "quantitative" and "field" in enc:
                return str(enc["field"])
    return None


def _duplicates(spec: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    """Two series with the same values under two names, or one bar drawn twice."""
    value = _value_field(spec)
    if not value:
        return []
    color = next(
        (
            str(layer["encoding"]["color"]["field"])
            for layer in _layers(spec)
            if "field" in layer.get("encoding", {}).get("color", {})
        ),
        None,
    )
    keys = [
        k
        for k in ("label", "band", "t", "bucket", "subscore", *_facets(spec))
        if rows and k in rows[0]
    ]
    series: dict[str, list[tuple[str, Any]]] = {}
    for r in rows:
        name = str(r[color]) if color else ""
        series.setdefault(name, []).append((" ".join(str(r[k]) for k in keys), r[value]))
    out = []
    for name, points in series.items():
        seen = [p[0] for p in points]
        if keys and len(set(seen)) < len(seen):
            out.append(f"series {name!r} draws a bar or point twice")
    names = sorted(series)
    for a in names:
        for b in names:
            if a < b and series[b] == series[a] and any(v for _, v in series[b]):
                out.append(f"series {b!r} repeats series {a!r} under another name")
    return out


def make_project(root: Path, companies: int = 14) -> Path:
    """A project of ``companies`` synthetic companies, the methodologies and the site files."""
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts/generate_demo.py"),
            "--count",
            str(companies),
            "--out",
            str(root / "data"),
        ],
        check=True,
        capture_output=True,
    )
    shutil.copytree(REPO / "data/methodology", root / "data/methodology")
    add_site_files(root)
    return root


def files(site: Path) -> dict[str, bytes]:
    """Every file of a site, by path; links are not allowed there."""
    out = {}
    for path in sorted(site.rglob("*")):
        assert not path.is_symlink(), path
        if path.is_file():
            out[path.relative_to(site).as_posix()] = path.read_bytes()
    return out


def script(name: str) -> ModuleType:
    """The module of ``scripts/<name>.py``, loaded from its file (scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
