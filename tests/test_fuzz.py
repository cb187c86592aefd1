"""Fuzzing past the validator: generated valid companies through scorer and page writers.

tests/test_properties.py throws arbitrary bytes and documents at the loader and validator.
Here hypothesis builds companies the validator accepts, in every shape the schema allows
(channels, promises, support hours, bots, hand-overs, redirects, marketing, quality marks,
any text), and the scorer and the Markdown writer must take them without an exception:
scores stay within 0–100, and no text from the data becomes markup on any page.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import Any

import markdown
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from benchmark import edit, privacy
from benchmark.errors import DataError
from benchmark.load import Dataset, Document, parse_document
from benchmark.render import render
from benchmark.render.common import Settings
from benchmark.score import score
from benchmark.validate import validate

from .helpers import FIXTURES, METHODOLOGY, NOW, REPO, RUBRIC

# The fixture edition, reviewing both sectors the generated companies are drawn from.
EDITION = parse_document(
    "data/editions/fixture-edition.yaml",
    (FIXTURES / "tree/data/editions/fixture-edition.yaml")
    .read_bytes()
    .replace(b"sectors: [software-house]", b"sectors: [software-house, online-shop]"),
)

CHANNELS = [
    "email",
    "contact_form",
    "phone",
    "live_chat",
    "chatbot",
    "web_callback",
    "facebook",
    "instagram",
    "x",
    "whatsapp",
    "faq",
]
ZONES = ["Europe/Warsaw", "UTC", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"]
OFFSETS = [timedelta(hours=h) for h in (-11, -5, 0, 1, 2, 5.5, 13)]
DURATIONS = ["PT5M", "PT1H", "PT24H", "P2D", "PT90S", "P1DT12H"]
START = datetime.fromisoformat("2019-02-03T00:00:00+00:00")

# Any text a contributor might type: markup, Markdown, Jinja, every script; but none of the
# characters the loader refuses (controls, surrogates, noncharacters, direction overrides).
FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=60).map(
    lambda s: FORBIDDEN.sub("", s)
)
markup = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "[x](javascript:alert(3))",
        "{{ 7*7 }}",
        "{% raw %}",
        "<!--",
        "*a*",
        "| a |",
        "# h",
        "&amp;",
        "</div>",
        "\\",
        "`",
        "javascript:",
    ]
)
text = (
    st.lists(st.one_of(words, markup), min_size=1, max_size=4)
    .map(" ".join)
    .filter(lambda s: s.strip() != "")
)


@st.composite
def moment(draw: st.DrawFn, after: datetime, most: float) -> datetime:
    """A moment up to ``most`` seconds after ``after``, written with some UTC offset."""
    when = after + timedelta(seconds=draw(st.floats(1, most)))
    return when.astimezone(timezone(draw(st.sampled_from(OFFSETS))))


def stamp(when: datetime) -> str:
    """ISO 8601 with the offset, whole seconds."""
    return when.replace(microsecond=0).isoformat()


@st.composite
def probe(draw: st.DrawFn, offered: list[str]) -> dict[str, Any]:
    """A probe on an offered channel, sent in the audit, with any outcome the rules allow."""
    sent = draw(moment(START, 20 * 86400))
    out: dict[str, Any] = {
        "channel": draw(st.sampled_from(offered)),
        "script": "quote",
        "sent_at": stamp(sent),
        "first_response": None,
    }
    if draw(st.booleans()):
        ack: dict[str, Any] = {"at": stamp(draw(moment(sent, 60)))}
        if draw(st.booleans()):
            ack["promised"] = draw(st.sampled_from(DURATIONS))
        if draw(st.booleans()):
            ack["quote"] = draw(text)
        out["acknowledgement"] = ack
    reply = draw(st.sampled_from(["none", "human", "bot", "auto_reply"]))
    if reply != "none":
        first = draw(moment(sent, 7 * 86400))
        out["first_response"] = {"at": stamp(first), "by": reply}
        human = reply == "human"
        if reply != "human" and draw(st.booleans()):
            out["human_response"] = {"at": stamp(draw(moment(first, 86400)))}
            human = True
        if human and draw(st.booleans()):
            out["quality"] = {
                item: draw(st.sampled_from([True, False, "n/a"]))
                for item in RUBRIC
                if draw(st.booleans())
            }
        if draw(st.booleans()):
            out["redirected_to"] = draw(st.sampled_from(CHANNELS))
    elif draw(st.booleans()):
        out["marketing_after_no_answer"] = draw(st.integers(0, 5))
    if draw(st.booleans()):
        out["notes"] = draw(text)
    return out


def _probe_key(p: dict[str, Any]) -> tuple[str, datetime]:
    """What makes two probes the same one (the edition allows no repeats)."""
    return p["channel"], datetime.fromisoformat(p["sent_at"])


@st.composite
def company(draw: st.DrawFn, slug: str) -> Document:
    """A company the validator accepts, in one audit of the fixture edition."""
    offered = draw(st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=6, unique=True))
    channels = []
    for kind in offered:
        entry: dict[str, Any] = {"type": kind}
        if kind == "live_chat" and draw(st.booleans()):
            entry["proactive"] = draw(st.booleans())
        if kind == "chatbot" and draw(st.booleans()):
            entry["handoff"] = draw(st.booleans())
        if draw(st.booleans()):
            entry["declared_response_time"] = {
                "duration": draw(st.sampled_from(DURATIONS)),
                "where": draw(
                    st.sampled_from(["site", "form_confirmation", "auto_reply", "chat_widget"])
                ),
            }
        if draw(st.booleans()):
            entry["notes"] = draw(text)
        channels.append(entry)
    hours = None
    if draw(st.booleans()):
        hours = {
            "timezone": draw(st.sampled_from(ZONES)),
            "schedule": [
                {
                    "days": draw(
                        st.lists(
                            st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
                            min_size=1,
                            unique=True,
                        )
                    ),
                    "open": f"{draw(st.integers(0, 11)):02d}:{draw(st.sampled_from([0, 30])):02d}",
                    "close": draw(st.sampled_from(["12:00", "17:30", "24:00"])),
                }
                for _ in range(draw(st.integers(1, 3)))
            ],
        }
    data: dict[str, Any] = {
        "slug": slug,
        "name": draw(text),
        "website": f"https://{slug}.example",
        "sector": draw(st.sampled_from(["software-house", "online-shop"])),
        "country": draw(st.sampled_from(["PL", "DE", "US"])),
        "languages": ["en"],
        "fictional": True,
        "audits": [
            {
                "edition": "fixture-edition",
                "started": "2019-02-01",
                "ended": "2019-02-28",
                "support_hours": hours,
                "channels": channels,
                "probes": draw(
                    st.lists(probe([c["type"] for c in channels]), max_size=8, unique_by=_probe_key)
                ),
            }
        ],
    }
    if draw(st.booleans()):
        data["audits"][0]["notes"] = draw(text)
    if draw(st.booleans()):
        data["corrections"] = [{"date": "2019-05-02", "kind": "correction", "summary": draw(text)}]
    if draw(st.booleans()):
        data["statement"] = {"date": "2019-05-03", "text": draw(text)}
    return Document(file=f"data/companies/{slug}.yaml", data=data)


companies = st.integers(1, 3).flatmap(
    lambda n: st.tuples(*(company(f"fuzz-{i}") for i in range(n)))
)


class _Tags(HTMLParser):
    """The tags and attributes of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


CONFIG = load_config(str(REPO / "mkdocs.yml"), docs_dir=str(FIXTURES))
MARKDOWN = markdown.Markdown(
    extensions=CONFIG["markdown_extensions"], extension_configs=CONFIG["mdx_configs"]
)


def _errors(docs: tuple[Document, ...]) -> list[str]:
    problems = validate(Dataset(list(docs), [EDITION], [METHODOLOGY]), NOW)
    return [p.format() for p in problems if p.severity == "error"]


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(docs=companies)
def test_scorer_takes_any_valid_company(docs: tuple[Document, ...]) -> None:
    """Every generated company validates; scoring it raises nothing and stays within 0–100."""
    assert _errors(docs) == []
    dataset = Dataset(list(docs), [EDITION], [METHODOLOGY])
    if not any(d.data["audits"][0]["probes"] for d in docs):
        with pytest.raises(DataError, match="no audit records a probe"):
            score(dataset)
        return
    scores = score(dataset)
    assert set(scores.companies["slug"]) == {d.data["slug"] for d in docs}
    assert scores.companies["score"].between(0, 100).all()


@pytest.mark.slow
@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(docs=companies)
def test_page_writer_takes_any_valid_company(docs: tuple[Document, ...]) -> None:
    """Rendering raises nothing; no page gets a script, handler or odd link from the data."""
    assume(any(d.data["audits"][0]["probes"] for d in docs))
    dataset = Dataset(list(docs), [EDITION], [METHODOLOGY])
    pages = [o for o in render(dataset, score(dataset), Settings()) if o.path.endswith(".md")]
    assert {f"companies/{d.data['slug']}.md" for d in docs} <= {o.path for o in pages}
    for output in pages:
        source = output.content.decode()
        body = source.split("\n---\n", 1)[1] if source.startswith("---\n") else source
        MARKDOWN.reset()
        parsed = _Tags()
        parsed.feed(MARKDOWN.convert(body))
        for tag, attrs in parsed.tags:
            assert tag not in {"script", "iframe", "object", "embed"}, (output.path, tag)
            assert not [a for a in attrs if a.startswith("on")], (output.path, tag, attrs)
            href = str(attrs.get("href") or "")
            assert not href.lower().lstrip().startswith(("javascript:", "data:")), href


@settings(max_examples=1000, deadline=None)
@given(value=st.text(max_size=120), region=st.sampled_from([None, "PL", "US", "GB", "ZZ"]))
def test_personal_data_finder_takes_any_text(value: str, region: str | None) -> None:
    """The personal-data check returns findings (or none) for any text; each is in the text."""
    for found in privacy.findings(value, region):
        assert found.found in value


@settings(max_examples=500, deadline=None)
@given(summary=st.text(max_size=200))
def test_correction_writer_takes_any_summary(summary: str) -> None:
    """Any summary is added exactly, read back equal, or refused with DataError: never lost."""
    valid = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    entry = {"date": "2026-11-20", "kind": "correction", "summary": summary}
    try:
        new = edit.add_correction(valid, entry, "valid.yaml")
    except DataError:
        return
    assert new.startswith(valid[: valid.index("statement:")])
    assert new.endswith(valid[valid.index("statement:") :])
