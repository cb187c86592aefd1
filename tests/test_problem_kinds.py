"""The catalogue of problem kinds, the problem reference page, and the probe rules' order."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path
from typing import get_args

import pytest

from benchmark import problem_kinds
from benchmark.problem_kinds import CATALOGUE, STAGES, ProblemKind
from benchmark.problems import Severity
from benchmark.render import problems_page
from benchmark.render.problems_page import problem_reference
from benchmark.render.text import text
from benchmark.schema import _DESCRIBE, load_schema

from .helpers import REPO
from .problem_order_case import problems as many_rules_problems

BENCHMARK = REPO / "benchmark"
ENTRIES = {
    name: kind for name, kind in vars(problem_kinds).items() if isinstance(kind, ProblemKind)
}
# Helpers that take a problem's kind as their argument and build the problem with it.
KIND_TAKERS = {"Problem", "stop", "reject", "refuse", "add", "problem"}


def _sources() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(BENCHMARK.rglob("*.py"))
        if path.name != "problem_kinds.py"
    }


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def test_every_entry_is_in_the_catalogue_once() -> None:
    """Each module-level entry is registered, and no two entries are the same finding."""
    assert len(ENTRIES) == len(CATALOGUE)
    assert {id(k) for k in ENTRIES.values()} == {id(k) for k in CATALOGUE}
    seen = {(k.id, k.message, k.hint, k.severity) for k in CATALOGUE}
    assert len(seen) == len(CATALOGUE)


@pytest.mark.parametrize("kind", CATALOGUE, ids=lambda k: k.id)
def test_entry_is_complete(kind: ProblemKind) -> None:
    """Id in kebab case, a known stage and severity, a meaning, and an example that fills in."""
    assert kind.id.replace("-", "").isalnum()
    assert kind.id == kind.id.lower()
    assert kind.stage in STAGES
    assert kind.severity in get_args(Severity)
    assert kind.meaning.endswith(".")
    message, hint = kind.example_text()  # a field without an example raises KeyError
    assert message
    assert hint
    assert "{" not in message + hint


def test_no_kind_is_a_bare_string_in_code() -> None:
    """No check passes a kind as a string: every call site names a catalogue entry."""
    ids = problem_kinds.ids()
    found = []
    for path, tree in _sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) in KIND_TAKERS:
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and arg.value in ids:
                        found.append(f"{path.relative_to(REPO)}:{node.lineno}: {arg.value}")
    assert found == []


def test_every_entry_is_used_and_every_used_kind_exists() -> None:
    """Each entry is referred to by some check; each reference names an entry."""
    used = set()
    for tree in _sources().values():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("kinds", "problem_kinds")
            ):
                used.add(node.attr)
    referred = {name for name in used if name.isupper()}
    assert referred - set(ENTRIES) == set()
    assert set(ENTRIES) - referred == set()


def _literal_parts(node: ast.expr) -> list[str] | None:
    """The fixed text of a message written as a literal or an f-string; None when computed."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if not isinstance(node, ast.JoinedStr):
        return None
    parts, current = [], ""
    for value in node.values:
        if isinstance(value, ast.Constant):
            current += str(value.value)
        else:
            parts.append(current)
            current = ""
    return [*parts, current]


def _template_parts(template: str) -> list[str]:
    """The fixed text of a catalogue template, between its fields."""
    parts = [literal for literal, field, _spec, _conv in string.Formatter().parse(template)]
    if template.endswith("}"):
        parts.append("")
    return parts


def test_messages_written_at_call_sites_match_the_catalogue() -> None:
    """Where a check still writes its message and hint itself, they read as its entry says.

    The fixed text around the fields must be the template's, so the reference page shows
    what the user will see. A template that is one field ({detail}) matches anything.
    """
    mismatched = []
    for path, tree in _sources().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for i, arg in enumerate(node.args):
                if not (
                    isinstance(arg, ast.Attribute)
                    and arg.attr == "id"
                    and isinstance(arg.value, ast.Attribute)
                    and arg.value.attr in ENTRIES
                ):
                    continue
                kind = ENTRIES[arg.value.attr]
                start = i + (5 if _called(node) == "Problem" else 1)  # after file, line, col, path
                written = node.args[start : start + 2]
                for given, template in zip(written, (kind.message, kind.hint), strict=False):
                    parts = _literal_parts(given)
                    if parts is None or _template_parts(template) == ["", ""]:
                        continue
                    if parts != _template_parts(template):
                        mismatched.append(f"{path.name}:{node.lineno}: {parts} vs {template!r}")
    assert mismatched == []


def test_every_schema_keyword_has_its_kind() -> None:
    """A keyword the shipped schemas use gets its own problem, not the catch-all one."""
    structural = {"$defs", "$id", "$ref", "$schema", "description", "title", "properties"}
    structural |= {"items", "if", "then", "else", "additionalProperties", "patternProperties"}
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                found.add(key)
                if key in ("properties", "$defs", "patternProperties"):
                    for sub in value.values():
                        walk(sub)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for name in ("company", "edition", "methodology"):
        walk(load_schema(name))
    assert found - structural - set(_DESCRIBE) == set()


def test_page_lists_every_kind_with_its_example() -> None:
    """Every id (as an anchor) and every entry's example message and hint is on the page."""
    page = problem_reference()
    for kind in CATALOGUE:
        message, hint = kind.example_text()
        assert "{#" + kind.id + "}" in page
        assert text(message) in page
        assert text(hint) in page
        assert text(kind.meaning) in page
    assert f": {len(problem_kinds.ids())} kinds," in page


def test_page_escapes_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text of the catalogue is printed inert: no tag of it reaches the page."""
    hostile = ProblemKind(
        "hostile-kind",
        STAGES[0],
        "Means <script>alert(1)</script>.",
        "value {value}",
        "<img src=x onerror=alert(2)>",
        {"value": "<b>bold</b>"},
    )
    monkeypatch.setattr(problems_page, "CATALOGUE", [*CATALOGUE, hostile])
    page = problem_reference()
    assert "<script>" not in page
    assert "<img" not in page
    assert "<b>" not in page
    assert "](" not in page.split("\n---\n", 1)[1]  # no Markdown link from text
    assert text("Means <script>alert(1)</script>.") in page
    assert text("value <b>bold</b>") in page


def test_data_reference_links_to_the_problem_page() -> None:
    """The data reference page points readers to the problem reference."""
    from benchmark.render.reference import data_reference

    assert '<a href="../problems/">problem reference</a>' in data_reference()


def test_problem_json_keeps_the_kind_id() -> None:
    """A problem made from an entry carries the plain id in its JSON form."""
    problem = problem_kinds.TAB_INDENT.problem("f.yaml", 3, 1, "")
    assert json.loads(json.dumps(problem.as_dict()))["kind"] == "tab-indent"
    assert problem.severity == "error"
    assert (
        problem_kinds.PERSONAL_DATA.problem(
            "f.yaml",
            1,
            1,
            "",
            **{"where": "this text", "what": "a phone number", "found": "+48 600 000 000"},
        ).severity
        == "warning"
    )


# What validate reported for tests/problem_order_case.py at tag pre-19, in its order.
MANY_RULES = [
    (
        "schema-required",
        "audits[0].probes[1]",
        "missing required property 'first_response'",
        "add `first_response:` — The first reply of any kind, or null when nothing came back.",
        "error",
    ),
    (
        "unknown-timezone",
        "audits[0].support_hours.timezone",
        "'Europe/Warsow' is not an IANA time zone",
        "use a name like Europe/Warsaw or America/New_York",
        "error",
    ),
    (
        "hours-order",
        "audits[0].support_hours.schedule[0].close",
        "closes (09:00) before it opens (17:00)",
        "give the closing time after the opening time; use 24:00 for midnight",
        "error",
    ),
    (
        "field-for-other-channel",
        "audits[0].channels[0].proactive",
        "'proactive' applies to live_chat, not email",
        "remove it from this channel",
        "error",
    ),
    (
        "field-for-other-channel",
        "audits[0].channels[0].handoff",
        "'handoff' applies to chatbot, not email",
        "remove it from this channel",
        "error",
    ),
    (
        "duplicate-channel",
        "audits[0].channels[1].type",
        "channel 'email' is listed twice (first in channels[0])",
        "list each channel once; put all its facts in one entry",
        "error",
    ),
    (
        "invalid-duration",
        "audits[0].channels[2].declared_response_time.duration",
        "PT0S is not a positive duration",
        "write an ISO 8601 duration such as PT15M, PT24H or P2D",
        "error",
    ),
    (
        "channel-not-offered",
        "audits[0].probes[0].channel",
        "channel 'phone' is not among the audit's channels",
        "add it to the audit's channels, or correct the probe's channel (email, live_chat)",
        "error",
    ),
    (
        "unknown-script",
        "audits[0].probes[0].script",
        "script 'quot' is not in edition 'fixture-edition'",
        "did you mean 'quote'?",
        "error",
    ),
    (
        "outside-period",
        "audits[0].probes[0].sent_at",
        "sent on 2019-04-12, outside the edition period (2019-01-01 to 2019-03-31)",
        "check the date, or move the probe to the audit of the right edition",
        "error",
    ),
    (
        "outside-audit",
        "audits[0].probes[0].sent_at",
        "sent on 2019-04-12, outside the audit's dates (2019-02-01 to 2019-02-28)",
        "widen the audit's started/ended dates or correct sent_at",
        "error",
    ),
    (
        "response-before-question",
        "audits[0].probes[0].acknowledgement.at",
        "earlier than sent_at (2019-04-12T10:15:00+02:00)",
        "a reply cannot come before the question; check the date, hour and offset",
        "error",
    ),
    (
        "response-before-question",
        "audits[0].probes[0].first_response.at",
        "earlier than sent_at (2019-04-12T10:15:00+02:00)",
        "a reply cannot come before the question; check the date, hour and offset",
        "error",
    ),
    (
        "response-before-question",
        "audits[0].probes[0].human_response.at",
        "earlier than sent_at (2019-04-12T10:15:00+02:00)",
        "a reply cannot come before the question; check the date, hour and offset",
        "error",
    ),
    (
        "human-response-misplaced",
        "audits[0].probes[0].human_response",
        "human_response is only for a person replying after a bot or auto-reply",
        "when a person replied first, record it as first_response with by: human",
        "error",
    ),
    (
        "response-order",
        "audits[0].probes[0].human_response.at",
        "earlier than first_response.at",
        "first_response is the first reply of any kind; swap the two",
        "error",
    ),
    (
        "invalid-duration",
        "audits[0].probes[0].acknowledgement.promised",
        "PT0S is not a positive duration",
        "write an ISO 8601 duration such as PT15M, PT24H or P2D",
        "error",
    ),
    (
        "unknown-rubric-item",
        "audits[0].probes[0].quality.nosuch_item",
        "'nosuch_item' is not a rubric item of the edition's methodology",
        "known: answered_question, complete_correct, data_request_explained, next_step, "
        "no_needless_redirect, personal, polite_literate, went_beyond",
        "error",
    ),
    (
        "marketing-after-answer",
        "audits[0].probes[0].marketing_after_no_answer",
        "marketing after no answer is recorded, but a person answered",
        "set it to 0, or remove the human reply if none came",
        "error",
    ),
    (
        "evidence-path",
        "audits[0].probes[0].evidence[0]",
        "evidence path 'evidence/other/mail.png' is outside evidence/many-rules/",
        "put the file under evidence/many-rules/ and name it there",
        "error",
    ),
    (
        "invalid-timestamp",
        "audits[0].probes[1].sent_at",
        "2019-02-30T10:15:00+01:00 is not a real moment in time",
        "check the day of the month and the hour (e.g. there is no 30 February)",
        "error",
    ),
    (
        "quality-without-answer",
        "audits[0].probes[1].quality",
        "quality is marked but no person answered",
        "mark quality only on probes with a human reply; remove it or record the reply",
        "error",
    ),
    (
        "redirect-without-answer",
        "audits[0].probes[1].redirected_to",
        "a redirect is recorded but nothing replied",
        "record the reply that redirected, or remove redirected_to",
        "error",
    ),
    (
        "future-timestamp",
        "audits[0].probes[2].first_response.at",
        "2099-02-11T10:15:00+01:00 is in the future",
        "record only what has happened; check the year and the UTC offset",
        "error",
    ),
    (
        "offset-not-edition-zone",
        "audits[0].probes[2].sent_at",
        "offset +02:00 is not that of Europe/Warsaw on 2019-02-11 (+01:00)",
        "the edition's times are in Europe/Warsaw: if the clock time is right, write "
        "2019-02-11T10:15:00+01:00; if the moment is right, write 2019-02-11T09:15:00+01:00",
        "warning",
    ),
]


def test_probe_rules_report_the_same_problems_in_the_same_order(tree: Path) -> None:
    """Audit and probe rules: the very problems of before they were rule functions, in order."""
    assert many_rules_problems(tree) == MANY_RULES
