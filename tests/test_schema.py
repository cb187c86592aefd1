"""The JSON Schemas: valid Draft 2020-12, closed, described, and in agreement with the fast path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.schema import SCHEMA_NAMES, _first_match, full_errors, is_valid, load_schema

from .helpers import REPO, VALID, json_values, mutate


def subschemas(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object below ``node`` with its JSON-pointer-ish location."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for name, sub in value.items():
                    yield from subschemas(sub, f"{where}/{key}/{name}")
            elif key in ("items", "additionalProperties", "propertyNames") and isinstance(
                value, dict
            ):
                yield from subschemas(value, f"{where}/{key}")
            elif key in ("oneOf", "anyOf", "allOf"):
                for i, sub in enumerate(value):
                    yield from subschemas(sub, f"{where}/{key}/{i}")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_valid_draft_2020_12(name: str) -> None:
    """The schema validates against the Draft 2020-12 meta-schema."""
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_object_is_closed_and_every_property_described(name: str) -> None:
    """AdditionalProperties is false on every object with properties; each property is described."""
    schema = load_schema(name)
    for where, node in subschemas(schema):
        if "properties" in node:
            assert node.get("additionalProperties") is False, where
            for prop, sub in node["properties"].items():
                described = "description" in sub or (
                    "$ref" in sub and "description" in schema["$defs"][sub["$ref"].split("/")[-1]]
                )
                assert described, f"{where}/properties/{prop}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.lists(st.integers(0, 50), max_size=7), value=json_values)
def test_fast_and_full_validators_agree(path: list[int], value: Any) -> None:
    """The compiled fast path accepts a document exactly when the collecting validator does."""
    doc = mutate(VALID, path, value)
    assert is_valid("company", doc) == (not full_errors("company", doc))


def patterns(node: Any) -> Iterator[str]:
    """Every regular expression anywhere in a schema (pattern and patternProperties)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            elif key == "patternProperties" and isinstance(value, dict):
                yield from value
            yield from patterns(value)
    elif isinstance(node, list):
        for item in node:
            yield from patterns(item)


SCHEMA_FILES = sorted(
    (Path(__file__).resolve().parent.parent / "benchmark" / "schemas").glob("*.json")
)
PATTERNS = sorted({p for f in SCHEMA_FILES for p in patterns(json.loads(f.read_text("utf-8")))})
END = "$(?!\\n)"  # the end of the text: ECMA-262 `$`, and Python's `$` without "before a \n"


def test_every_pattern_is_anchored_at_the_very_end() -> None:
    r"""Each pattern of every schema file starts with ^ and ends with $(?!\n).

    Python's `$` also matches before a final newline (jsonschema searches with it), while
    fastjsonschema rewrites `$` to `\Z` and ECMA-262 knows only the end: the lookahead makes
    all three agree that "online-shop\n" is not a sector.
    """
    assert len(PATTERNS) >= 12
    for pattern in PATTERNS:
        assert pattern.startswith("^"), pattern
        assert pattern.endswith(END), pattern


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_validators_agree_on_each_pattern(pattern: str, data: st.DataObject) -> None:
    """Strings matching a pattern, with a newline or space added, get one verdict from both."""
    import fastjsonschema

    base = data.draw(st.from_regex(pattern, fullmatch=True) | st.text(max_size=8))
    before = data.draw(st.sampled_from(["", "\n", " "]))
    after = data.draw(st.sampled_from(["", "\n", "\r\n", "\n\n", " ", "\t"]))
    value = before + base + after
    schema = {"type": "string", "pattern": pattern}
    full = jsonschema.Draft202012Validator(schema).is_valid(value)
    try:
        fastjsonschema.compile(schema)(value)
        fast = True
    except fastjsonschema.JsonSchemaException:
        fast = False
    assert full == fast, (pattern, value)
    if after or before:
        assert not full, (pattern, value)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("sector",), "software-house\n"),
        (("country",), "PL\n"),
        (("slug",), "valid\n"),
        (("website",), "https://valid-soft.example\n"),
        (("audits", 0, "probes", 0, "sent_at"), "2019-02-11T10:15:00+01:00\n"),
    ],
)
def test_trailing_newline_is_a_schema_problem(path: tuple[Any, ...], value: str) -> None:
    """A value that matches but for a trailing newline is rejected by both validators."""
    doc: Any = json.loads(json.dumps(VALID))
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert not is_valid("company", doc)
    errors = full_errors("company", doc)
    assert [(tuple(e.absolute_path), e.validator) for e in errors] == [(path, "pattern")]


METHODOLOGIES = [
    yaml.safe_load((REPO / "data" / "methodology" / f"{v}.yaml").read_text()) for v in ("v1", "v2")
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    which=st.sampled_from([0, 1]), path=st.lists(st.integers(0, 50), max_size=5), value=json_values
)
def test_fast_and_full_validators_agree_on_methodologies(
    which: int, path: list[int], value: Any
) -> None:
    """Both shapes of methodology file: the fast path and the collecting validator agree."""
    doc = mutate(METHODOLOGIES[which], path, value)
    assert is_valid("methodology", doc) == (not full_errors("methodology", doc))


ONE_OF_VALUES: list[Any] = [
    True,
    False,
    0,
    1,
    1.0,
    None,
    "n/a",
    "to_review",
    "x",
    "",
    [],
    {},
    {"at": 1},
]
ONE_OF_PLACES = [
    ("audits", 0, "support_hours"),
    ("audits", 0, "probes", 0, "first_response"),
    ("audits", 0, "probes", 0, "quality", "personal"),
    ("audits", 0, "probes", 0, "evidence"),
]


@pytest.mark.parametrize("place", ONE_OF_PLACES, ids=lambda p: "/".join(map(str, p)))
@pytest.mark.parametrize("value", ONE_OF_VALUES, ids=repr)
def test_a_one_of_made_any_of_accepts_the_same(place: tuple[Any, ...], value: Any) -> None:
    """Where the fast path reads a oneOf as an anyOf, both validators still agree."""
    doc = json.loads(json.dumps(VALID))
    parent = doc
    for key in place[:-1]:
        parent = parent[key]
    parent[place[-1]] = [value] if place[-1] == "evidence" else value
    assert is_valid("company", doc) == (not full_errors("company", doc))


def test_the_fast_path_reads_disjoint_one_ofs_as_any_ofs() -> None:
    """Only a oneOf whose branches no value can match two of is rewritten."""
    schema = load_schema("company")
    fast = json.dumps(_first_match(schema, schema))
    assert fast.count('"oneOf"') == 1  # a score: null or a number (numbers are not told apart)
    assert fast.count('"anyOf"') == json.dumps(schema).count('"oneOf"') - 1
    overlapping = {"oneOf": [{"type": "string"}, {"const": "n/a"}]}
    assert _first_match(overlapping, {}) == overlapping
