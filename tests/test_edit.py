"""Nothing lost on rewrite: CCR's edits keep comments, key order, quoting and layout."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from benchmark import edit
from benchmark.cli import cli
from benchmark.errors import DataError
from benchmark.new import CompanySpec, new_company

from .helpers import FIXTURES, REPO, git

DEMO = sorted((REPO / "data" / "companies").glob("*.yaml"))
CORRECTION = {
    "date": "2026-11-20",
    "kind": "correction",
    "summary": "The chat's first reply: a bot, not a person — see #12.",
    "link": "https://github.com/ccr/ccr/pull/12",
}


def _only_added(old: str, new: str) -> bool:
    """Whether ``new`` is ``old`` with lines inserted and nothing else changed."""
    matcher = difflib.SequenceMatcher(
        None, old.splitlines(keepends=True), new.splitlines(keepends=True), autojunk=False
    )
    return {op for op, *_ in matcher.get_opcodes()} == {"equal", "insert"}


@pytest.mark.slow
def test_every_demo_company_file_only_gains_lines() -> None:
    """On each bundled company file a correction inserts lines and changes no byte besides."""
    assert len(DEMO) > 500
    changed = []
    for path in DEMO:
        text = path.read_text(encoding="utf-8")
        new = edit.add_correction(text, CORRECTION, path.name)
        if not _only_added(text, new) or len(new) <= len(text):
            changed.append(path.name)
        assert yaml.safe_load(new)["corrections"][-1] == CORRECTION
    assert changed == []


def test_a_new_company_file_keeps_its_comments_through_an_edit() -> None:
    """A correction to a commented `ccr new` file keeps every comment line, in order."""
    made = new_company(
        CompanySpec(
            "Acme Shop",
            "https://acme.example",
            "online-shop",
            "PL",
            ["pl"],
            "2019-q1",
            "2019-01-01",
            "2019-03-31",
            True,
        )
    )
    new = edit.add_correction(made.text, CORRECTION)
    assert _only_added(made.text, new)
    comments = [line for line in made.text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 10
    assert [line for line in new.splitlines() if line.lstrip().startswith("#")] == comments


ENTRY = (
    "  - date: '2026-11-20'\n"
    "    kind: correction\n"
    "    summary: 'The chat''s first reply: a bot, not a person — see #12.'\n"
    "    link: https://github.com/ccr/ccr/pull/12\n"
)
SPELLED = (
    "slug: x  # the file name\n"
    'name: "X \\u00e9"\n'
    "languages: [pl, en]\n"
    "helpdesk: null\n"
    "audits:\n"
    "  - edition: e\n"
    "    started: '2019-02-01'\n"
    "    notes: >-\n"
    "      folded\n"
    "      text\n"
)


def test_escapes_quotes_flow_lists_and_nulls_stay_as_written() -> None:
    """Escapes, quotes, flow lists, null, a comment after a value: all as written."""
    assert edit.add_correction(SPELLED, CORRECTION) == SPELLED + "corrections:\n" + ENTRY


def test_the_entry_follows_the_last_correction_in_its_indentation() -> None:
    """An existing list (here indented by 4, commented) gains the entry after its last item."""
    text = (
        "slug: x\n"
        "corrections:\n"
        "    -   date: '2019-05-02'  # merged late\n"
        "        kind: re-audit\n"
        "        summary: |\n"
        "          Audited again.\n"
        "# the company's statement follows\n"
        "statement:\n"
        "  text: ok"
    )
    new = edit.add_correction(text, CORRECTION)
    assert new == text.replace(
        "# the company's",
        ENTRY.replace("  - ", "    -   ")
        .replace("    kind", "        kind")
        .replace("    summary", "        summary")
        .replace("    link", "        link")
        + "# the company's",
    )


def test_without_corrections_the_list_goes_before_the_statement() -> None:
    """A file without corrections gets the list just before its statement."""
    text = "slug: x\nstatement:\n  text: ok\n"
    assert edit.add_correction(text, CORRECTION) == (
        "slug: x\ncorrections:\n" + ENTRY + "statement:\n  text: ok\n"
    )


@pytest.mark.parametrize(
    ("name", "prefix", "newline"),
    [("crlf", "", "\r\n"), ("bom", "\ufeff", "\n"), ("bom-crlf", "\ufeff", "\r\n")],
)
def test_line_ends_and_byte_order_mark_are_kept(name: str, prefix: str, newline: str) -> None:
    """A file with CRLF line ends or a byte-order mark keeps them."""
    text = prefix + (FIXTURES / "valid.yaml").read_text(encoding="utf-8").replace("\n", newline)
    new = edit.add_correction(text, CORRECTION, name)
    assert new.startswith(prefix)
    assert new.count("\n") == new.count(newline)
    assert _only_added(text, new)


def test_a_rewrite_that_would_change_data_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Were the entry ever put in the wrong place, the read-back check refuses the result."""
    text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
    monkeypatch.setattr(edit, "line_after", lambda _text, index: index - 40)
    with pytest.raises(DataError, match="would change more than the correction"):
        edit.add_correction(text, CORRECTION, "valid.yaml")


def test_a_flow_or_empty_list_is_not_guessed_at() -> None:
    """`corrections: []` is refused with a hint rather than rewritten."""
    with pytest.raises(DataError, match="corrections is not a block list"):
        edit.add_correction("slug: x\ncorrections: []\n", CORRECTION)


FIXED = ("          complete_correct: false\n", "          complete_correct: true\n")
EFFECT = {"edition": "2016-e-commerce", "score": [39, 39], "rank": [None, None]}


def _demo(root: Path) -> Path:
    """A clone of the bundled data, committed, with the change a correction records.

    The change: alderbyte-goods' first email answer was complete after all (same lines).
    """
    shutil.copytree(REPO / "data", root / "data")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "demo")
    path = root / "data/companies/alderbyte-goods.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(FIXED[0]) == 1
    path.write_text(text.replace(*FIXED), encoding="utf-8")
    return root


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The committed demo data with the change a correction records (see :func:`_demo`)."""
    return _demo(tmp_path)


@pytest.fixture(scope="module")
def unchanged_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """:func:`_demo` made once for the module, for commands that must leave it as it is."""
    return _demo(tmp_path_factory.mktemp("demo"))


def _correct(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["correct", *args, "--root", str(root)])
    return result.exit_code, result.stdout, result.stderr


def test_correct_appends_and_says_so(demo: Path) -> None:
    """`ccr correct` adds the entry, prints one line, and the data still validates."""
    path = demo / "data/companies/alderbyte-goods.yaml"
    before = path.read_text(encoding="utf-8")
    code, out, err = _correct(
        demo,
        "alderbyte-goods",
        "--summary",
        CORRECTION["summary"],
        "--link",
        CORRECTION["link"],
        "--date",
        "2026-11-20",
    )
    assert (code, err) == (0, "")
    assert out == (
        "Recorded the correction of 2026-11-20 in data/companies/alderbyte-goods.yaml."
        " Review it with: git diff data/companies/alderbyte-goods.yaml\n"
        "Effect: score 39, unchanged; rank unranked, unchanged "
        "(edition 2016-e-commerce).\n"
    )
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert yaml.safe_load(after)["corrections"] == [{**CORRECTION, "effect": EFFECT}]
    assert not list(path.parent.glob(".*"))  # no temporary file left behind
    result = CliRunner().invoke(cli, ["validate", "--root", str(demo), str(path)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "code", "expected"),
    [
        (
            ["alderbyte-good", "--summary", "x"],
            1,
            "Error: there is no data/companies/alderbyte-good.yaml — hint: did you mean "
            "alderbyte-goods?\n",
        ),
        (
            ["../../etc/passwd", "--summary", "x"],
            2,
            "Error: '../../etc/passwd' is not a company slug — hint: give the file name without "
            ".yaml, e.g. acme-shop\n",
        ),
        (
            ["alderbyte-goods", "--summary", "x", "--date", "2026-02-30"],
            2,
            "Error: --date 2026-02-30: not a date — hint: give it as YYYY-MM-DD\n",
        ),
        (
            ["alderbyte-goods", "--summary", "x", "--link", "javascript:alert(1)"],
            1,
            'data/companies/alderbyte-goods.yaml:46:5: corrections[0].link: "javascript:alert(1)" '
            "is not in the expected format — hint: An http or https URL.\n"
            "Error: the correction is not valid, so nothing was written — hint: the lines above "
            "point into the file as it would have been; change the option they name and run the "
            "command again\n",
        ),
    ],
)
def test_correct_refuses_and_writes_nothing(
    unchanged_demo: Path, args: list[str], code: int, expected: str
) -> None:
    """A wrong slug, date or link gives one clear message and leaves every file as it was."""
    demo = unchanged_demo
    before = {p: p.read_bytes() for p in (demo / "data").rglob("*.*")}
    got = _correct(demo, *args)
    assert got == (code, "", expected)
    assert {p: p.read_bytes() for p in (demo / "data").rglob("*.*")} == before


def test_correct_leaves_a_broken_file_alone(demo: Path) -> None:
    """A file that does not validate is not touched: fix it first."""
    path = demo / "data/companies/alderbyte-goods.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "nonsense: 1\n", encoding="utf-8")
    before = path.read_bytes()
    got = _correct(demo, "alderbyte-goods", "--summary", "x")
    assert got == (
        1,
        "",
        "Error: data/companies/alderbyte-goods.yaml has errors, so it was "
        "left as it is — hint: run ccr validate "
        "data/companies/alderbyte-goods.yaml and fix them first\n",
    )
    assert path.read_bytes() == before
