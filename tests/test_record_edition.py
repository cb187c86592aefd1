"""`ccr edition new` and `ccr audit add`: a draft edition and audit blocks, no hand-written YAML."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchmark.errors import DataError
from benchmark.record import yamltext
from benchmark.record.audit import add_audit

from .recording import DEMO_COMPANIES, ccr, only_added, small_tree, snapshot

EDITION = "2026-q3-software-houses"
NEW_EDITION = (
    "edition",
    "new",
    EDITION,
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
    "sh-quote=Could you estimate the cost of a booking app?",
    "--script",
    "sh-chat=Do you build mobile apps as well?",
    "--auditor-address",
    "audit@ccr.example",
)
HOUSES = ("alderloom-devhouse", "aldertack-digital")  # the first holds a statement


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Bundled editions and methodologies, two software houses and one online shop."""
    return small_tree(tmp_path, *HOUSES, "alderbyte-goods")


def test_edition_new_writes_a_valid_draft(root: Path) -> None:
    """The file is a draft on methodology v2, in the market's zone, and validates clean."""
    code, out, err = ccr(root, *NEW_EDITION)
    assert (code, err) == (0, "")
    assert out == (
        f"Wrote data/editions/{EDITION}.yaml (status: draft). Next: ccr audit add "
        f"SLUG… --edition {EDITION}\n"
    )
    data = yaml.safe_load((root / f"data/editions/{EDITION}.yaml").read_text("utf-8"))
    assert {k: data[k] for k in ("status", "methodology", "timezone", "demo", "period")} == {
        "status": "draft",
        "methodology": "v2",
        "timezone": "Europe/Warsaw",
        "demo": False,
        "period": {"start": "2026-09-01", "end": "2026-10-30"},
    }
    assert data["business_hours"] == {
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "open": "09:00",
        "close": "17:00",
    }
    assert data["scripts"][0] == {
        "id": "sh-quote",
        "sector": "software-house",
        "language": "pl",
        "text": "Could you estimate the cost of a booking app?",
    }
    assert data["auditor_addresses"] == ["audit@ccr.example"]
    code, out, _ = ccr(root, "validate", str(root / f"data/editions/{EDITION}.yaml"))
    assert (code, out) == (0, "Checked 0 company files and 1 edition: no problems.\n")


def test_edition_new_copies_scripts_and_refuses_what_is_unusable(root: Path) -> None:
    """--copy-scripts takes scripts; a bad period, zone or methodology writes nothing.

    A draft may start in the future: editions are created before their probes are sent.
    """
    before = snapshot(root)
    assert ccr(
        root,
        "edition",
        "new",
        "x",
        "--title",
        "T",
        "--sector",
        "software-house",
        "--market",
        "PL",
        "--period",
        "2026-10-30..2026-09-01",
        "--copy-scripts",
        "2019-q1-software-houses",
    ) == (
        2,
        "",
        "Error: --period '2026-10-30..2026-09-01' ends before it starts — hint: swap the "
        "two dates\n",
    )
    assert ccr(
        root,
        "edition",
        "new",
        "x",
        "--title",
        "T",
        "--sector",
        "online-shop",
        "--market",
        "RU",
        "--period",
        "2026-09-01..2026-09-30",
        "--copy-scripts",
        "2016-e-commerce",
    )[2].startswith("Error: --timezone is needed — hint: the market RU has no single time zone (")
    assert ccr(
        root,
        "edition",
        "new",
        "x",
        "--title",
        "T",
        "--sector",
        "software-house",
        "--market",
        "PL",
        "--period",
        "2026-09-01..2026-09-30",
    ) == (
        2,
        "",
        "Error: an edition needs at least one question script — hint: give --script "
        "ID=TEXT (repeatable) or --copy-scripts EDITION\n",
    )
    assert ccr(
        root,
        "edition",
        "new",
        "x",
        "--title",
        "T",
        "--sector",
        "software-house",
        "--market",
        "PL",
        "--period",
        "2026-09-01..2026-09-30",
        "--script",
        "q=?",
        "--methodology",
        "v9",
    ) == (
        1,
        "",
        (
            "data/editions/x.yaml:23:1: methodology: methodology v9 does not exist — hint: add "
            "data/methodology/v9.yaml or use one of: v1, v2\n"
            "Error: the result would not be valid, so nothing was written — hint: the lines above "
            "point into the files as they would have been; correct the input they name and run the "
            "command again\n"
        ),
    )
    assert snapshot(root) == before
    assert (
        ccr(
            root,
            "edition",
            "new",
            "next-year",
            "--title",
            "T",
            "--sector",
            "software-house",
            "--market",
            "PL",
            "--period",
            "2099-09-01..2099-09-30",
            "--script",
            "q=?",
        )[0]
        == 0
    )
    code, _, err = ccr(
        root,
        "edition",
        "new",
        "x",
        "--title",
        "T",
        "--sector",
        "software-house",
        "--market",
        "PL",
        "--period",
        "2026-09-01..2026-09-30",
        "--copy-scripts",
        "2019-q1-software-houses",
    )
    assert (code, err) == (0, "")
    copied = yaml.safe_load((root / "data/editions/x.yaml").read_text("utf-8"))["scripts"]
    assert [s["id"] for s in copied] == ["sh-project-quote", "sh-chat-question"]


def test_audit_add_inserts_before_a_statement_and_creates_new_companies(root: Path) -> None:
    """Existing files only gain the audit's lines; a --new company gets a commented file."""
    assert ccr(root, *NEW_EDITION)[0] == 0
    old = {slug: (DEMO_COMPANIES / f"{slug}.yaml").read_text("utf-8") for slug in HOUSES}
    code, out, err = ccr(
        root,
        "audit",
        "add",
        *HOUSES,
        "--edition",
        EDITION,
        "--new",
        "Nowa Firma=https://nowa-firma.example",
        "--fictional",
        "--channel",
        "email",
        "--channel",
        "live_chat",
    )
    assert (code, err) == (0, "")
    assert out == (
        f"Added the audit of {EDITION} to 3 company files: "
        "data/companies/alderloom-devhouse.yaml, data/companies/aldertack-digital.yaml, "
        "data/companies/nowa-firma.yaml\n"
    )
    for slug in HOUSES:
        new = (root / f"data/companies/{slug}.yaml").read_text("utf-8")
        assert only_added(old[slug], new)
        audit = yaml.safe_load(new)["audits"][-1]
        assert audit == {
            "edition": EDITION,
            "started": "2026-09-01",
            "ended": "2026-10-30",
            "channels": [{"type": "email"}, {"type": "live_chat"}],
            "support_hours": None,
            "probes": [],
        }
    text = (root / "data/companies/alderloom-devhouse.yaml").read_text("utf-8")
    assert text.index(f"  - edition: '{EDITION}'") < text.index("statement:")
    made = yaml.safe_load((root / "data/companies/nowa-firma.yaml").read_text("utf-8"))
    assert (made["name"], made["languages"], made["audits"][0]["channels"]) == (
        "Nowa Firma",
        ["pl"],
        [{"type": "email"}, {"type": "live_chat"}],
    )
    assert ccr(root, "validate")[0] == 0


def test_audit_add_writes_nothing_when_one_company_cannot_take_it(root: Path) -> None:
    """An online shop in a software-house edition: its problem is shown, no file changes."""
    assert ccr(root, *NEW_EDITION)[0] == 0
    before = snapshot(root)
    code, out, err = ccr(
        root, "audit", "add", "alderloom-devhouse", "alderbyte-goods", "--edition", EDITION
    )
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "data/companies/alderbyte-goods.yaml:5:1: sector: 'online-shop' is not a sector of "
        f"edition '{EDITION}' — hint: known: software-house (the sectors an edition reviews "
        f"are listed in data/editions/{EDITION}.yaml)",
        "Error: the result would not be valid, so nothing was written — hint: the lines above "
        "point into the files as they would have been; correct the input they name and run the "
        "command again",
    ]
    assert snapshot(root) == before
    assert ccr(
        root, "audit", "add", "alderloom-devhouse", "--edition", "2019-q1-software-houses"
    ) == (
        1,
        "",
        "Error: data/companies/alderloom-devhouse.yaml already has an audit "
        "of 2019-q1-software-houses — hint: record its probes with ccr probe, ccr "
        "import log or ccr import mail\n",
    )
    assert ccr(root, "audit", "add", "no-such-house", "--edition", EDITION) == (
        1,
        "",
        "Error: there is no data/companies/no-such-house.yaml — hint: add a new company "
        f"with --new 'Name=https://…' (ccr audit add --edition {EDITION} --new …)\n",
    )
    assert snapshot(root) == before


@pytest.mark.slow
def test_audit_add_only_inserts_lines_in_every_bundled_company_file() -> None:
    """On each of the 546 bundled files the audit block is inserted and no byte changes."""
    edition = {"id": "2026-q3-any", "period": {"start": "2026-09-01", "end": "2026-10-30"}}
    files = sorted(DEMO_COMPANIES.glob("*.yaml"))
    assert len(files) > 500
    changed = []
    for path in files:
        text = path.read_text("utf-8")
        data = yaml.safe_load(text)
        new = yamltext.apply(text, add_audit(data, path.name, edition, ["email"]), path.name)
        if not only_added(text, new) or yaml.safe_load(new)["audits"][:-1] != data["audits"]:
            changed.append(path.name)
    assert changed == []


def test_insertion_keeps_comments_crlf_and_a_bom() -> None:
    """Windows line ends, a BOM, an indentless list and trailing comments stay as they were."""
    text = (
        "\ufeff# top\r\nslug: x\r\naudits:\r\n- edition: a  # first\r\n  probes: []\r\n"
        "# a comment between\r\nstatement:\r\n  date: '2019-01-01'\r\n"
    )
    new = yamltext.apply(
        text,
        add_audit(
            yaml.safe_load(text[1:]),
            "x.yaml",
            {"id": "b", "period": {"start": "2026-01-01", "end": "2026-01-31"}},
            [],
        ),
    )
    assert new == (
        "\ufeff# top\r\nslug: x\r\naudits:\r\n- edition: a  # first\r\n  probes: []\r\n"
        "- edition: b\r\n  started: '2026-01-01'\r\n  ended: '2026-01-31'\r\n"
        "  channels: []\r\n  support_hours: null\r\n  probes: []\r\n"
        "# a comment between\r\nstatement:\r\n  date: '2019-01-01'\r\n"
    )


def test_a_rewrite_that_would_change_other_data_is_refused() -> None:
    """The read-back check: an insertion that the parser would read differently raises."""
    text = "slug: x\naudits:\n  - edition: a\n    probes: [1]\n"
    with pytest.raises(DataError, match="is not a block list"):
        yamltext.apply(text, [yamltext.Append(("audits", 0, "probes"), (2,))])
    with pytest.raises(DataError, match="would change more than the new entries"):
        yamltext.apply(text, [yamltext.AddKey(("audits", 0), "edition", "twice")])
