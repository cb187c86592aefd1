"""Property-based: arbitrary YAML-like input never makes the loader or validator raise."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.load import Dataset, parse_document
from benchmark.problems import Problem
from benchmark.validate import validate

from .helpers import FIXTURES, NOW, REPO, VALID, json_values, mutate

EDITION = parse_document(
    "data/editions/fixture-edition.yaml",
    (FIXTURES / "tree/data/editions/fixture-edition.yaml").read_bytes(),
)
METHODOLOGY = parse_document(
    "data/methodology/v1.yaml", (REPO / "data/methodology/v1.yaml").read_bytes()
)


def check(raw: bytes) -> list[Problem]:
    """Load and validate one company file's bytes next to the fixture edition."""
    doc = parse_document("data/companies/valid.yaml", raw)
    return validate(Dataset([doc], [EDITION], [METHODOLOGY]), NOW)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.lists(st.integers(0, 50), max_size=7), value=json_values)
def test_mutated_documents_only_report_problems(path: list[int], value: Any) -> None:
    """A valid file with any subtree replaced by any value yields problems, never an exception."""
    raw = yaml.safe_dump(mutate(VALID, path, value), allow_unicode=True).encode()
    for problem in check(raw):
        assert problem.line >= 1
        assert problem.column >= 1
        assert problem.message
        assert problem.hint


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=json_values)
def test_arbitrary_documents_only_report_problems(value: Any) -> None:
    """Any YAML-serialisable document at all yields problems (or none), never an exception."""
    check(yaml.safe_dump(value, allow_unicode=True).encode())


@settings(max_examples=500, deadline=None)
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_only_report_problems(raw: bytes) -> None:
    """Any bytes at all yield problems (or none), never an exception."""
    check(raw)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab:- \n'\"[]{}&*!|>#%@`,?\t")), max_size=80))
def test_yaml_punctuation_soup_only_reports_problems(text: str) -> None:
    """Text made of YAML's special characters yields problems, never an exception."""
    check(text.encode())


def test_valid_fixture_has_no_problems() -> None:
    """The unmutated valid fixture is clean, so the properties above start from a valid file."""
    assert check((FIXTURES / "valid.yaml").read_bytes()) == []


METHODOLOGIES = {
    v: yaml.safe_load((REPO / f"data/methodology/{v}.yaml").read_text()) for v in ("v1", "v2")
}


def check_methodology(version: str, data: Any) -> list[Problem]:
    """Validate the valid company on the fixture edition scored with methodology ``data``."""
    raw = yaml.safe_dump(data, allow_unicode=True).encode()
    methodology = parse_document(f"data/methodology/{version}.yaml", raw)
    edition = parse_document(
        EDITION.file,
        (FIXTURES / "tree/data/editions/fixture-edition.yaml")
        .read_bytes()
        .replace(b"methodology: v1", f"methodology: {version}".encode()),
    )
    company = parse_document("data/companies/valid.yaml", (FIXTURES / "valid.yaml").read_bytes())
    return validate(Dataset([company], [edition], [methodology]), NOW)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    version=st.sampled_from(["v1", "v2"]),
    path=st.lists(st.integers(0, 50), max_size=5),
    value=json_values,
)
def test_mutated_methodologies_only_report_problems(
    version: str, path: list[int], value: Any
) -> None:
    """A methodology with any subtree replaced by any value yields problems, never an exception.

    The fixture edition names it, so the company's checks run against it too.
    """
    for problem in check_methodology(version, mutate(METHODOLOGIES[version], path, value)):
        assert problem.line >= 1
        assert problem.column >= 1
        assert problem.message
        assert problem.hint


def test_methodology_without_rubric_items_only_reports_problems() -> None:
    """An empty rubric under complete quality marks is a schema problem, not an exception."""
    problems = check_methodology("v2", {**METHODOLOGIES["v2"], "rubric": []})
    assert [(p.path, p.message) for p in problems if p.file.startswith("data/methodology/")] == [
        ("rubric", "has 0 entries; at least 1 required")
    ]


def test_an_edition_that_is_a_list_only_reports_problems() -> None:
    """Hypothesis found it: an audit's edition as a list crashed the to_review rule."""
    data = yaml.safe_load((FIXTURES / "valid.yaml").read_text(encoding="utf-8"))
    data["audits"][0]["edition"] = []
    problems = check(yaml.safe_dump(data).encode())
    assert problems
    assert all(isinstance(p, Problem) for p in problems)
