"""ccr explain reproduces every demo score; exports are valid, stable and match the seeds."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from benchmark.cli import cli
from benchmark.export import csv_cell, export_files
from benchmark.pipeline import Result, run
from benchmark.score.explain import explain

from .helpers import FIXTURES, REPO
from .hostile import CASES, FORMULA

TERM = re.compile(
    r"^  (reachability|speed|quality|transparency|respect) +"
    r"([0-9.]+) × +([0-9.]+) = ([0-9.]+)$"
)
HEADER = re.compile(
    r"^Score ([0-9]+) \(90% interval ([0-9]+)–([0-9]+)\): "
    r"(grade ([A-E]), |unranked — limited evidence)"
)
NUMBER = r"(-?[0-9]+\.[0-9]{4})"


@pytest.fixture(scope="module")
def demo() -> Result:
    """The committed demo data, loaded, validated and scored once for this module."""
    return run(REPO)


@pytest.mark.slow
def test_explain_reproduces_every_demo_score(demo: Result) -> None:
    """For every demo company, the listed terms add up to the displayed score."""
    companies = demo.scores.companies
    assert len(companies) == 546
    for slug, edition in zip(companies["slug"], companies["edition"], strict=True):
        lines = explain(demo.scores, slug, edition).splitlines()
        shown = HEADER.match(lines[1])
        assert shown, lines[1]
        terms = [TERM.match(line) for line in lines]
        found = [m for m in terms if m]
        assert [m.group(1) for m in found] == [
            "reachability",
            "speed",
            "quality",
            "transparency",
            "respect",
        ]
        for m in found:  # each term is weight × sub-score, as printed
            product = Decimal(m.group(2)) * Decimal(m.group(3))
            assert abs(product - Decimal(m.group(4))) <= Decimal("0.0001"), m.group(0)
        total = sum(Decimal(m.group(4)) for m in found)
        text = "\n".join(lines)
        assert f"raw score     sum of terms = {total:.4f}" in text, slug
        assert_shrinkage_reproduces(text, shown, slug)


def _number(pattern: str, text: str) -> Decimal:
    found = re.search(pattern.replace("N", NUMBER), text)
    assert found, pattern
    return Decimal(found.group(1))


def assert_shrinkage_reproduces(text: str, shown: re.Match[str], slug: str) -> None:
    """The printed prior, B and parts give the printed score and its rounding."""
    fixed = _number(r"hours published\) = N", text)
    ybar = _number(r"probe part ȳ = mean probe value over [0-9]+ probes = N", text)
    m = _number(r"mean m = N", text)
    found = re.search(r"B = \(σ²/n\) / \(σ²/n \+ τ²\) = ([0-9]\.[0-9]{6})", text)
    assert found, slug
    b = Decimal(found.group(1))
    shrunk = _number(r"shrunk probe part = m \+ \(1 − B\) × \(ȳ − m\) = N", text)
    assert abs(m + (1 - b) * (ybar - m) - shrunk) <= Decimal("0.001"), slug
    score = _number(r"fixed part \+ shrunk probe part = N", text)
    assert abs(fixed + shrunk - score) <= Decimal("0.0002"), slug
    assert str(score.quantize(Decimal(1), rounding=ROUND_HALF_UP)) == shown.group(1), slug


@pytest.mark.slow
def test_explain_cli_text(demo: Result) -> None:
    """`ccr explain` prints the same text as the library, and errors are one line."""
    slug = demo.scores.companies["slug"].iloc[0]
    result = CliRunner().invoke(cli, ["explain", slug, "--root", str(REPO)])
    assert result.exit_code == 0
    assert result.output == explain(demo.scores, slug)
    missing = CliRunner().invoke(cli, ["explain", "no-such-co", "--root", str(REPO)])
    assert missing.exit_code == 2
    assert missing.output == (
        "Error: no scored company 'no-such-co' — hint: give the slug, i.e. "
        "the file name in data/companies/ without .yaml\n"
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`ccr export` of the demo data into a temporary folder."""
    out = tmp_path_factory.mktemp("export")
    result = CliRunner().invoke(cli, ["export", "--out", str(out), "--root", str(REPO)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote 15 files to {out}.\n"
    return out


@pytest.mark.parametrize("name", ["companies", "probes", "scores", "channels", "statistics"])
def test_export_validates_against_its_schema(exported: Path, name: str) -> None:
    """Each JSON export validates against the schema exported beside it; CSV has the same rows."""
    schema = json.loads((exported / f"{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads((exported / f"{name}.json").read_text())
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    csv_lines = (exported / f"{name}.csv").read_text().splitlines()
    assert len(csv_lines) == len(data["rows"]) + 1
    assert csv_lines[0].split(",") == list(schema["properties"]["rows"]["items"]["properties"])


def test_export_twice_is_byte_identical(exported: Path, tmp_path: Path) -> None:
    """A second export writes exactly the same bytes."""
    result = CliRunner().invoke(cli, ["export", "--out", str(tmp_path), "--root", str(REPO)])
    assert result.exit_code == 0
    for path in sorted(exported.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


# Seed figures (shared/indicators.md): (edition, id, segment) → (low, high), from the exports.
A, B = "2019-q1-software-houses", "2016-e-commerce"
SEED = {
    (A, "all_contact_families", "all"): (0.0, 0.2499),  # under 1/4
    (A, "email_only", "all"): (0.14, 0.16),  # 15%
    (A, "chat_only", "all"): (1, 1),  # one company …
    (A, "chat_only_bot_only", "all"): (1, 1),  # … with a bot
    (A, "hours_published", "all"): (0.34, 0.37),  # a little over 1/3
    (A, "callback_offered", "all"): (0.0, 0.2499),  # a small share
    (A, "callback_declared", "all"): (0.0, 0.4999),  # under half
    (A, "callback_max_undeclared", "all"): (0, 5400),  # within 1.5 h
    (A, "callback_never", "all"): (0.3233, 0.3433),  # 1/3
    (A, "proactive_chat", "all"): (0.28, 0.30),  # 29%
    (A, "chat_promise_kept", "all"): (0.0, 0.4999),  # under 50%
    (A, "chat_tail_5min", "all"): (0.50, 0.52),  # 51% in the tail
    (A, "chatbot_share", "all"): (0.1567, 0.1767),  # 1 in 6
    (A, "bot_only", "all"): (0.5001, 1.0),  # most of them
    (A, "email_declared", "all"): (0.0, 0.0),  # none found
    (A, "email_within_6h", "all"): (0.55, 0.57),  # over half within 6 h, 44% tail
    (A, "marketing_after_no_answer", "all"): (3, 1000),  # several times
    (B, "response_rate_email", "online-shop"): (0.49, 0.51),  # about 50% …
    (B, "response_rate_email", "online-service"): (0.49, 0.51),  # … equal within 1 point
    (B, "response_rate_social", "online-service"): (0.19, 0.21),  # ~20% of services
    (B, "median_reply_email", "all"): (3600, 7200),  # 1-2 h
    (B, "median_reply_vkontakte", "all"): (3600, 7200),  # 1-2 h
    (B, "next_day_facebook", "all"): (0.3233, 0.3433),  # Facebook: 1/3 next day
    (B, "fast_good_email", "online-shop"): (0.05, 0.07),  # shops 6%
    (B, "fast_good_email", "online-service"): (0.13, 0.15),  # services 14%
    (B, "companies_redirecting", "all"): (0.09, 0.11),  # 10%
    (B, "not_answered_at_once_vkontakte", "all"): (0.3233, 0.3433),  # VK: 1/3
    (B, "not_answered_at_once_facebook", "all"): (0.095, 0.125),  # Facebook: 3× fewer
    (B, "email_quality_mean", "online-shop"): (1.75, 1.85),  # shops 1.8 points
    (B, "email_quality_ratio", "all"): (1.45, 1.55),  # shops 1.5× worse
    (B, "helpdesk", "all"): (0.3233, 0.3433),  # 1/3
    (B, "helpdesk_speed_ratio", "all"): (0.9, 1.1),  # no difference
    (B, "helpdesk_quality_ratio", "online-shop"): (1.4, 1.6),  # shops without: 1.5× worse
}


def test_statistics_from_exports_match_the_seed_figures(exported: Path) -> None:
    """Every seed figure, read from statistics.json, lies within its tolerance."""
    rows = json.loads((exported / "statistics.json").read_text())["rows"]
    stats = {(r["edition"], r["id"], r["segment"]): r for r in rows}
    misses = []
    for key, (low, high) in SEED.items():
        value = stats[key]["value"]
        if not low <= value <= high:
            misses.append(f"{key}: {value} not in [{low}, {high}]")
    assert misses == []
    shops_vk = stats[(B, "response_rate_vkontakte", "online-shop")]["value"]
    services_vk = stats[(B, "response_rate_vkontakte", "online-service")]["value"]
    assert 2.8 <= shops_vk / services_vk <= 3.2  # shops answer on VK 3× more often
    assert stats[(A, "email_declared", "all")]["denominator"] > 100  # each figure has its base


def test_leaderboard_cli_lists_ranks_subscores_and_movement() -> None:
    """`ccr leaderboard --sector` prints a Markdown table, ranked rows first, then unranked.

    Ranked companies best first, with rank ranges within the sector; then the unranked ones,
    A to Z, with no rank, grade or tier.
    """
    result = CliRunner().invoke(
        cli, ["leaderboard", "--edition", B, "--sector", "online-shop", "--root", str(REPO)]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "| rank | company | score | 90% interval | grade | tier | reach | speed |"
    )
    rows = [line.split(" | ") for line in lines[2:] if line.startswith("|")]
    assert len(rows) == 100
    ranks = [r[0].strip("| ") for r in rows]
    ranked = [r for r, rank in zip(rows, ranks, strict=True) if rank != "unranked"]
    unranked = rows[len(ranked) :]
    assert ranked
    assert unranked
    assert all(rank == "unranked" for rank in ranks[len(ranked) :])  # unranked come last
    places = [tuple(int(p) for p in rank.split("–")) for rank in ranks[: len(ranked)]]
    assert places[0][0] == 1
    assert all(p[0] <= p[-1] for p in places)
    scores = [float(r[2]) for r in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(r[4] == "—" and r[5] == "—" for r in unranked)  # no grade, no tier
    assert [r[1] for r in unranked] == sorted(r[1] for r in unranked)
    assert all(r[-1] == "new |" for r in rows)  # no company has an earlier edition
    assert lines[-1].startswith(
        f"Unranked — limited evidence: {len(unranked)} companies, "
        "scored on fewer than 3 probes, are listed after the ranked"
    )


def test_formula_cells_are_text_in_csv_and_exact_in_json(tree: Path) -> None:
    """A company named =HYPERLINK(…) is a quoted text cell in the CSV files, exact in JSON."""
    case = next(c for c in CASES if c.name == "formula-in-name")
    valid = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    (tree / "data" / "companies" / "valid.yaml").write_bytes(case.make(valid))
    files = export_files(run(tree).scores)
    for name in ("companies", "scores"):
        rows = list(csv.DictReader(io.StringIO(files[f"{name}.csv"].decode())))
        names = {row["slug"]: row["name"] for row in rows}
        assert names["valid"] == "'" + FORMULA, name
        assert names["neighbour"] == "Neighbour Works"
        exact = {row["slug"]: row["name"] for row in json.loads(files[f"{name}.json"])["rows"]}
        assert exact["valid"] == FORMULA


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_quoted_in_text_cells_only(start: str) -> None:
    """Text beginning with = + - @ tab or CR gets a leading '; numbers and other text do not."""
    assert csv_cell(f"{start}1+2", "string") == f"'{start}1+2"
    assert csv_cell("a=1", "string") == "a=1"
    assert csv_cell(-2.5, "number") == -2.5
    assert csv_cell(None, "string") == ""
