"""The JSON Schemas of company, edition and methodology files, and schema problems as problems.

A compiled validator (fastjsonschema) is the fast path: a document it accepts needs no
more work. Only a document it rejects goes through jsonschema's Draft 2020-12 validator,
which collects every error; each is turned into a problem with a position and a hint.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
import jsonschema
from jsonschema._utils import Unset  # what the stubs type an error's unset fields as
from jsonschema.exceptions import ValidationError

from .load import Document
from .problems import Problem, format_path

SCHEMA_NAMES = ("company", "edition", "methodology")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema called ``name`` (company, edition or methodology)."""
    text = resources.files("benchmark").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _fast(name: str) -> Callable[[Any], Any]:
    validator: Callable[[Any], Any] = fastjsonschema.compile(load_schema(name))
    return validator


@cache
def _full(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema(name))


def is_valid(name: str, data: Any) -> bool:
    """Fast check: True when ``data`` matches the schema."""
    try:
        _fast(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def full_errors(name: str, data: Any) -> list[ValidationError]:
    """Every schema error, from the collecting validator."""
    return list(_full(name).iter_errors(data))


def schema_problems(name: str, doc: Document) -> list[Problem]:
    """Check a parsed document against its schema; every error becomes one problem."""
    if is_valid(name, doc.data):
        return []
    problems: list[Problem] = []
    for error in _full(name).iter_errors(doc.data):  # one at a time: 200,000 errors fit
        problems.extend(_convert(error, doc, name))
    return problems


_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def _kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _description(error: ValidationError, schema_name: str) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    text = schema.get("description")
    if not text and "$ref" in schema:
        text = _resolve_ref(schema_name, schema["$ref"]).get("description")
    return str(text or "see the Data reference page of the site (data-reference/)")


def _resolve_ref(name: str, ref: str) -> dict[str, Any]:
    """The subschema a local ``#/…`` reference of schema ``name`` points to ({} if none)."""
    node: Any = load_schema(name)
    for part in ref.lstrip("#/").split("/"):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node if isinstance(node, dict) else {}


def _branches(error: ValidationError) -> Iterator[ValidationError]:
    """For oneOf/anyOf: the errors of the branches whose type fits the value."""
    by_branch: dict[int, list[ValidationError]] = {}
    for sub in error.context or []:
        by_branch.setdefault(int(sub.schema_path[0]), []).append(sub)
    fitting = [
        subs
        for subs in by_branch.values()
        if not any(s.validator in ("type", "const") and not s.path for s in subs)
    ]
    if len(fitting) == 1:
        yield from fitting[0]


def _convert(error: ValidationError, doc: Document, schema_name: str) -> list[Problem]:
    # A validator's errors have both set; the stubs also allow jsonschema's "unset" marker.
    assert not isinstance(error.instance, Unset)
    assert not isinstance(error.validator_value, Unset)
    path = tuple(error.absolute_path)
    keyword = error.validator
    value = error.instance
    hint = _description(error, schema_name)
    at_path = path
    if keyword in ("oneOf", "anyOf"):
        inner = list(_branches(error))
        if inner:
            return [p for sub in inner for p in _convert(sub, doc, schema_name)]
        branch_types = [
            str(b.get("type", b.get("const", "?"))) if isinstance(b, dict) else "?"
            for b in error.validator_value
        ]
        names = " or ".join(_TYPE_NAMES.get(a, a) for a in branch_types)
        message = f"expected {names}, got {_kind_of(value)}"
        kind = "schema-type"
    elif keyword == "required":
        missing = [
            key for key in error.validator_value if isinstance(value, dict) and key not in value
        ]
        key = missing[0] if missing else "?"
        message = f"missing required property '{key}'"
        prop = (
            error.schema.get("properties", {}).get(key, {})
            if isinstance(error.schema, dict)
            else {}
        )
        hint = f"add `{key}:` — " + str(
            prop.get("description")
            or _resolve_ref(schema_name, prop.get("$ref", "")).get("description")
            or "see the Data reference page of the site (data-reference/)"
        )
        kind = "schema-required"
    elif keyword == "additionalProperties" and isinstance(value, dict):
        allowed = list(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
        extras = [k for k in value if k not in allowed]
        problems = []
        for extra in extras:
            close = difflib.get_close_matches(str(extra), allowed, n=1)
            tip = (
                f"did you mean '{close[0]}'?" if close else ("allowed here: " + ", ".join(allowed))
            )
            line, col = doc.position((*path, extra))
            problems.append(
                Problem(
                    "schema-unknown-property",
                    doc.file,
                    line,
                    col,
                    format_path((*path, extra)),
                    f"unknown property '{extra}'",
                    tip,
                )
            )
        return problems
    elif keyword == "type":
        expected = error.validator_value
        type_names = [expected] if isinstance(expected, str) else list(expected)
        message = (
            f"expected {' or '.join(_TYPE_NAMES.get(n, n) for n in type_names)}, "
            f"got {_kind_of(value)} ({_short(value)})"
        )
        if not path:
            hint = (
                "a data file is one mapping of fields (slug: …, name: …), "
                "not a list or a single value"
            )
        elif "string" in type_names and isinstance(value, (bool, int, float)):
            hint = f"quote the value: '{value}' — {hint}"
        kind = "schema-type"
    elif keyword == "enum":
        options = [str(o) for o in error.validator_value]
        close = difflib.get_close_matches(str(value), options, n=1)
        message = f"{_short(value)} is not one of: {', '.join(options)}"
        hint = f"did you mean '{close[0]}'?" if close else hint
        kind = "schema-enum"
    elif keyword == "pattern":
        message = f"{_short(value)} is not in the expected format"
        kind = "schema-format"
    elif keyword in ("minLength", "maxLength"):
        message = (
            "must not be empty"
            if keyword == "minLength" and error.validator_value == 1
            else f"text is {len(value)} characters; "
            f"{'at least' if keyword == 'minLength' else 'at most'} "
            f"{error.validator_value} allowed"
        )
        kind = "schema-length"
    elif keyword in ("minItems", "maxItems"):
        message = (
            f"has {len(value)} entries; "
            f"{'at least' if keyword == 'minItems' else 'at most'} "
            f"{error.validator_value} required"
        )
        kind = "schema-length"
    elif keyword in ("minimum", "maximum"):
        side = "below the minimum" if keyword == "minimum" else "above the maximum"
        message = f"{_short(value)} is {side} of {error.validator_value}"
        kind = "schema-range"
    elif keyword in ("exclusiveMinimum", "exclusiveMaximum"):
        side = "above" if keyword == "exclusiveMinimum" else "below"
        message = f"{_short(value)} is not {side} {error.validator_value}"
        kind = "schema-range"
    elif keyword == "minProperties":
        message = (
            "has no entries"
            if error.validator_value == 1
            else (f"has {len(value)} entries; at least {error.validator_value} required")
        )
        kind = "schema-length"
    elif keyword == "uniqueItems":
        message = "has the same entry twice"
        hint = "remove the repeated entry"
        kind = "schema-unique"
    elif keyword == "propertyNames":
        message = f"key {_short(value)} is not a valid name"
        kind = "schema-format"
    else:
        message = error.message
        kind = f"schema-{keyword}"
    line, col = doc.position(at_path)
    return [Problem(kind, doc.file, line, col, format_path(at_path), message, hint)]
