"""Answer defects and correspondence culture (seed 004 #8, #9): the rubric shares.

Each share is over the probes a person answered (within the never-answered cut-off) whose
rubric item is marked true or false; "n/a" is left out of the denominator. Checked on a small
hand-made edition with known counts, and on the demo data against a plain recount of the YAML.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from benchmark.load import Dataset, Document, parse_document
from benchmark.pipeline import run
from benchmark.render.common import Context, Settings
from benchmark.render.report import section
from benchmark.render.sentences import SECTIONS, section_of, sentence, short_label
from benchmark.render.text import text
from benchmark.score import score
from benchmark.score.statistics import RUBRIC_SHARES
from benchmark.validate import validate

from .helpers import EC, FIXTURES, REPO, SH, records
from .helpers import demo_frames as _demo

NOW = datetime.fromisoformat("2026-11-23T00:00:00+00:00")
_fixture = parse_document(
    "data/editions/fixture-edition.yaml",
    (FIXTURES / "tree/data/editions/fixture-edition.yaml").read_bytes(),
)
EDITION = Document(
    file=_fixture.file,
    data={**copy.deepcopy(_fixture.data), "sectors": ["online-shop", "online-service"]},
)
METHODOLOGY = parse_document(
    "data/methodology/v1.yaml", (REPO / "data/methodology/v1.yaml").read_bytes()
)
RUBRIC = [item["id"] for item in METHODOLOGY.data["rubric"]]
START = datetime.fromisoformat("2019-02-04T10:00:00+01:00")  # a Monday, in business hours
IDS = tuple(sid for sid, *_ in RUBRIC_SHARES)
# The definitions as docs/methodology.md states them, written out here, not read from the code:
# statistic → (rubric item, the mark counted).
DEFINITIONS = {
    "no_solution": ("next_step", False),
    "data_unexplained": ("data_request_explained", False),
    "polite_literate": ("polite_literate", True),
    "personal": ("personal", True),
}
T, F, NA = True, False, "n/a"


def probe(channel: str, day: int, after: float | None, **marks: Any) -> dict[str, Any]:
    """A probe sent on ``day`` of the audit, answered by a person ``after`` seconds later.

    Every rubric item is marked (true unless given), as the methodology asks.
    """
    sent = START + timedelta(days=day)
    out: dict[str, Any] = {
        "channel": channel,
        "script": "quote",
        "sent_at": sent.isoformat(),
        "first_response": None,
    }
    if after is not None:
        out["first_response"] = {"at": (sent + timedelta(seconds=after)).isoformat(), "by": "human"}
        out["quality"] = dict.fromkeys(RUBRIC, True) | marks
    return out


def company(slug: str, sector: str, channels: list[str], probes: list[dict[str, Any]]) -> Document:
    """A company with one audit in the (two-sector) fixture edition."""
    return Document(
        file=f"data/companies/{slug}.yaml",
        data={
            "slug": slug,
            "name": slug.title(),
            "website": f"https://{slug}.example",
            "sector": sector,
            "country": "PL",
            "languages": ["pl"],
            "fictional": True,
            "audits": [
                {
                    "edition": "fixture-edition",
                    "started": "2019-02-01",
                    "ended": "2019-02-28",
                    "support_hours": None,
                    "channels": [{"type": t} for t in channels],
                    "probes": probes,
                }
            ],
        },
    )


def hand_made() -> list[Document]:
    """Two companies in two sectors; the marks each probe carries are listed in the test."""
    shop = company(
        "shop-a",
        "online-shop",
        ["email", "live_chat"],
        [
            probe(
                "email",
                0,
                3600,
                next_step=F,
                data_request_explained=F,
                polite_literate=T,
                personal=F,
            ),
            probe(
                "email",
                1,
                7200,
                next_step=T,
                data_request_explained=NA,
                polite_literate=F,
                personal=T,
            ),
            probe(
                "live_chat",
                2,
                60,
                next_step=F,
                data_request_explained=T,
                polite_literate=T,
                personal=T,
            ),
            probe("live_chat", 3, None),  # never answered: no marks, in no denominator
        ],
    )
    service = company(
        "service-b",
        "online-service",
        ["email"],
        [
            probe(
                "email",
                0,
                1800,
                next_step=NA,
                data_request_explained=F,
                polite_literate=T,
                personal=NA,
            ),
            # a person replied after 8 days: past the never-answered cut-off (7 days), so its
            # marks count nowhere, as in the quality points
            probe(
                "email",
                1,
                8 * 86400,
                next_step=F,
                data_request_explained=F,
                polite_literate=F,
                personal=F,
            ),
        ],
    )
    return [shop, service]


# (id, segment) → (numerator, denominator), counted by hand from hand_made() above.
EXPECTED = {
    # all companies: answered probes p1, p2 (shop e-mail), p3 (shop chat), p5 (service e-mail)
    ("no_solution", "all"): (2, 3),  # next_step F, T, F, n/a
    ("no_solution_email", "all"): (1, 2),
    ("no_solution_live_chat", "all"): (1, 1),
    ("data_unexplained", "all"): (2, 3),  # data_request_explained F, n/a, T, F
    ("data_unexplained_email", "all"): (2, 2),
    ("data_unexplained_live_chat", "all"): (0, 1),
    ("polite_literate", "all"): (3, 4),  # T, F, T, T
    ("polite_literate_email", "all"): (2, 3),
    ("polite_literate_live_chat", "all"): (1, 1),
    ("personal", "all"): (2, 3),  # F, T, T, n/a
    ("personal_email", "all"): (1, 2),
    ("personal_live_chat", "all"): (1, 1),
    # the shop: p1, p2, p3
    ("no_solution", "online-shop"): (2, 3),
    ("no_solution_email", "online-shop"): (1, 2),
    ("no_solution_live_chat", "online-shop"): (1, 1),
    ("data_unexplained", "online-shop"): (1, 2),
    ("data_unexplained_email", "online-shop"): (1, 1),
    ("data_unexplained_live_chat", "online-shop"): (0, 1),
    ("polite_literate", "online-shop"): (2, 3),
    ("polite_literate_email", "online-shop"): (1, 2),
    ("polite_literate_live_chat", "online-shop"): (1, 1),
    ("personal", "online-shop"): (2, 3),
    ("personal_email", "online-shop"): (1, 2),
    ("personal_live_chat", "online-shop"): (1, 1),
    # the service: p5 only; next_step and personal are n/a there, so those figures are absent
    ("data_unexplained", "online-service"): (1, 1),
    ("data_unexplained_email", "online-service"): (1, 1),
    ("polite_literate", "online-service"): (1, 1),
    ("polite_literate_email", "online-service"): (1, 1),
}


def rubric_rows(stats: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """The rubric-share rows of a statistics table, by (id, segment)."""
    mine = stats[stats["id"].map(lambda s: any(s == i or s.startswith(f"{i}_") for i in IDS))]
    return {(str(r["id"]), str(r["segment"])): r for r in records(mine)}


def test_rubric_shares_on_a_hand_made_edition() -> None:
    """Numerator and denominator of every share, per channel and sector, are exactly known."""
    dataset = Dataset(hand_made(), [EDITION], [METHODOLOGY])
    assert validate(dataset, NOW) == []
    rows = rubric_rows(score(dataset).statistics)
    got = {key: (r["numerator"], r["denominator"]) for key, r in rows.items()}
    assert got == EXPECTED
    for key, r in rows.items():
        assert r["unit"] == "share"
        assert r["value"] == pytest.approx(r["numerator"] / r["denominator"]), key
    assert rows[("data_unexplained_email", "all")]["label"] == (
        "answered email probes that asked for data: did not say why"
    )
    assert rows[("no_solution", "all")]["label"] == (
        "answered probes: offered no solution (no next step)"
    )


def test_na_is_left_out_not_counted_as_met() -> None:
    """Turning an "n/a" into a mark moves the denominator; an unmarked item is left out too."""
    docs = hand_made()
    service = docs[1].data["audits"][0]["probes"][0]["quality"]
    service["next_step"] = False
    rows = rubric_rows(score(Dataset(docs, [EDITION], [METHODOLOGY])).statistics)
    assert (
        rows[("no_solution", "all")]["numerator"],
        rows[("no_solution", "all")]["denominator"],
    ) == (3, 4)
    assert rows[("no_solution", "online-service")]["denominator"] == 1
    del service["next_step"]  # not marked at all (v1 allows it): the same as n/a here
    rows = rubric_rows(score(Dataset(docs, [EDITION], [METHODOLOGY])).statistics)
    assert (
        rows[("no_solution", "all")]["numerator"],
        rows[("no_solution", "all")]["denominator"],
    ) == (2, 3)
    assert ("no_solution", "online-service") not in rows


def test_report_sections_show_each_share_with_its_chart_and_sentences() -> None:
    """Answer defects and correspondence culture: a heading, chart and sentences per share."""
    dataset = Dataset(hand_made(), [EDITION], [METHODOLOGY])
    scores = score(dataset)
    ctx = Context.make(
        dataset,
        scores,
        Settings(repo_url="https://example.org/ccr", site_url="https://ccr.example/"),
    )
    url = "editions/fixture-edition/"
    parts = {
        "answer-defects": ["no-solution", "data-unexplained"],
        "correspondence": ["polite-literate", "personal"],
    }
    for key, part_keys in parts.items():
        sec = next(s for s in SECTIONS if s.key == key)
        md, charts = section(ctx, "fixture-edition", sec, scores.statistics, url)
        assert md.startswith(f"## {sec.title} {{#{key}}}")
        assert [c.path for c in charts] == [
            f"charts/editions/fixture-edition/{key}-{p}-share.json" for p in part_keys
        ]
        for part, chart in zip(sec.parts, charts, strict=True):
            assert f"### {part.title} {{#{part.key}}}" in md
            values = chart.spec["data"]["values"]
            assert {v["label"] for v in values} == {"all channels", "E-mail", "Live chat"}
            assert {v["segment"] for v in values} == {
                "all companies",
                "Online shop",
                "Online service",
            } - ({"Online service"} if part.key in ("no-solution", "personal") else set())
    shown = "".join(
        section(ctx, "fixture-edition", sec, scores.statistics, url)[0]
        for sec in SECTIONS
        if sec.key in parts
    )
    # Every rubric share is a row of its chart's data table (not a bullet repeating the
    # chart), with its value and the counts it rests on: 67% (2 of 3).
    for (sid, segment), r in rubric_rows(scores.statistics).items():
        row = re.search(
            rf'<tr data-stat="{re.escape(sid)}" data-segment="{re.escape(segment)}">'
            r"(.*?)</tr>",
            shown,
        )
        assert row, (sid, segment)
        assert text(f"{100 * r['value']:.0f}%") in row.group(1), (sid, segment)
        assert f"{int(r['numerator'])} of {int(r['denominator'])}" in row.group(1), (sid, segment)
        assert text(sentence(r)) not in shown, "a charted share is also repeated as a bullet"


def plain_counts(edition: str) -> dict[tuple[str, str], tuple[int, int]]:
    """The rubric shares of a demo edition recounted from the YAML with plain pandas.

    Answered: a human reply (first response by a human, or a human response) within 7 days;
    a probe counts for an item when that item is marked true or false.
    """
    pr = _demo().probes
    pr = pr[(pr.edition == edition) & pr.answered & (pr.delay <= pd.Timedelta(days=7))]
    sectors = sorted(pr.sector.unique())
    segments = [("all", pr)] + (
        [(s, pr[pr.sector == s]) for s in sectors] if len(sectors) > 1 else []
    )
    out = {}
    for sid, (item, mark) in DEFINITIONS.items():
        for seg, sp in segments:
            for suffix, cp in [("", sp)] + [
                (f"_{c}", sp[sp.channel == c]) for c in sorted(sp.channel.unique())
            ]:
                marks = [q[item] for q in cp.quality if q.get(item) in (True, False)]
                if marks:
                    out[(sid + suffix, seg)] = (sum(m is mark for m in marks), len(marks))
    return out


@pytest.fixture(scope="module")
def demo_stats() -> pd.DataFrame:
    """The statistics of the bundled demo data, as CCR computes them."""
    return run(Path(REPO)).scores.statistics


@pytest.mark.parametrize("edition", [SH, EC])
def test_rubric_shares_on_the_demo_data(demo_stats: pd.DataFrame, edition: str) -> None:
    """Every share is there with a denominator above 0, and equals a plain recount."""
    rows = rubric_rows(demo_stats[demo_stats["edition"] == edition])
    for sid in IDS:
        assert rows[(sid, "all")]["denominator"] > 0, sid
    if edition == EC:
        for sector in ("online-shop", "online-service"):
            for sid in IDS:
                for channel in ("email", "facebook", "vkontakte"):
                    assert rows[(f"{sid}_{channel}", sector)]["denominator"] > 0
    got = {key: (int(r["numerator"]), int(r["denominator"])) for key, r in rows.items()}
    assert got == plain_counts(edition)


def test_demo_data_page_lists_the_recounted_figures() -> None:
    """docs/demo-data.md shows each share of both demo editions as the YAML gives it."""
    page = (REPO / "docs" / "demo-data.md").read_text(encoding="utf-8")
    sh, ec = plain_counts(SH), plain_counts(EC)
    for sid in IDS:
        line = next(x for x in page.splitlines() if f"(`{sid}`)" in x)
        cells = [(sh, "all"), (ec, "online-shop"), (ec, "online-service"), (ec, "all")]
        shown = [
            f"{100 * k / n:.1f}% ({k} of {n})"
            for k, n in (counts[(sid, seg)] for counts, seg in cells)
        ]
        assert line.split(" | ")[2:] == [*shown[:-1], f"{shown[-1]} |"], line


def test_export_carries_each_share_with_its_counts() -> None:
    """`ccr export` statistics (JSON and CSV) hold every share with numerator and denominator."""
    from benchmark.export import export_files

    files = export_files(score(Dataset(hand_made(), [EDITION], [METHODOLOGY])))
    rows = json.loads(files["statistics.json"])["rows"]
    got = {
        (r["id"], r["segment"]): (r["numerator"], r["denominator"])
        for r in rows
        if any(r["id"] == i or r["id"].startswith(f"{i}_") for i in IDS)
    }
    assert got == EXPECTED
    assert b"data_unexplained_email,all," in files["statistics.csv"].replace(b'"', b"")


# A statistic's parameters as its id writes them, in this order (seconds as "…s"): written out
# here, not taken from the code, so a record whose fields disagree with its id fails.
ID_ORDER = ("channel", "family", "language", "country", "seconds")
EXPORTED = ["edition", "id", "segment", "label", "value", "numerator", "denominator", "unit"]


def _given(row: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statistics-table row carries (None and NaN are not given)."""
    return {k: row[k] for k in ID_ORDER if isinstance(row[k], str) or row[k] == row[k]}


def test_every_demo_statistic_carries_its_section_and_parameters(
    demo_stats: pd.DataFrame,
) -> None:
    """The id is the measure and the parameters; the label names them; the section exists."""
    sections = {s.key for s in SECTIONS}
    rows = records(demo_stats)
    assert len(rows) > 200
    seen = set()
    for row in rows:
        given = _given(row)
        words = [str(row["measure"])] + [
            f"{int(v)}s" if k == "seconds" else str(v) for k, v in given.items()
        ]
        assert row["id"] == "_".join(words), row
        assert row["section"] in sections, row
        for k, v in given.items():
            shown = f"{int(v)} s" if k == "seconds" else str(v)
            assert shown in row["label"] or shown.replace("_", " ") in row["label"], row
        seen.add((row["measure"], *given))
    # every kind of parameter occurs: the check above is not vacuous
    for key in [
        ("channel_offered", "channel"),
        ("response_rate", "family"),
        ("within", "family", "seconds"),
        ("chat_declared", "seconds"),
        ("language", "language"),
        ("country", "country"),
    ]:
        assert key in seen, key
    ratio = records(demo_stats[demo_stats["id"] == "email_quality_ratio"])
    assert ratio, "the demo compares two sectors"
    for row in ratio:
        assert row["label"].endswith(f": {row['ratio_of']} ÷ {row['ratio_to']}")


def test_sentences_read_fields_not_ids(demo_stats: pd.DataFrame) -> None:
    """A made-up id changes no sentence, label or section; the fields alone choose them."""
    for row in records(demo_stats):
        other = {**row, "id": "made_up_statistic_7s"}
        assert sentence(other) == sentence(row), row["id"]
        assert short_label(other) == short_label(row), row["id"]
        assert section_of(other) == section_of(row), row["id"]
    made_up = {
        "id": "hours_published",  # an id the fields contradict: the fields win
        "measure": "response_rate",
        "channel": "live_chat",
        "section": "response-rates",
        "segment": "online-shop",
        "label": "x",
        "value": 0.75,
        "numerator": 3.0,
        "denominator": 4,
        "unit": "share",
    }
    assert (
        sentence(made_up) == "Online shop: A person answered 75% of the live chat probes (3 of 4)."
    )
    assert short_label(made_up) == "Live chat"
    assert section_of(made_up) == next(s for s in SECTIONS if s.key == "response-rates")
    within = {**made_up, "measure": "within", "channel": None, "family": "written"}
    within |= {"seconds": 5400.0, "segment": "all"}
    assert sentence(within) == (
        "75% of the e-mail and form probes were answered by a person within 1 h 30 min (3 of 4)."
    )


def test_export_keeps_its_statistics_columns() -> None:
    """The section and parameters a statistic carries are not exported (the format is fixed)."""
    from benchmark.export import export_files

    files = export_files(score(Dataset(hand_made(), [EDITION], [METHODOLOGY])))
    rows = json.loads(files["statistics.json"])["rows"]
    assert rows
    assert all(list(r) == EXPORTED for r in rows)
    assert files["statistics.csv"].splitlines()[0].decode() == ",".join(EXPORTED)
