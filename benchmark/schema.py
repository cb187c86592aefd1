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
from typing import TYPE_CHECKING, Any

import fastjsonschema

from . import problem_kinds as kinds
from .load import Document
from .problem_kinds import ProblemKind
from .problems import Problem, format_path

if TYPE_CHECKING:  # jsonschema is imported when a document is rejected (see _full)
    import jsonschema
    from jsonschema.exceptions import ValidationError

SCHEMA_NAMES = ("company", "edition", "methodology")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema called ``name`` (company, edition or methodology)."""
    text = resources.files("benchmark").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _fast(name: str) -> Callable[[Any], Any]:
    schema = load_schema(name)
    validator: Callable[[Any], Any] = fastjsonschema.compile(_first_match(schema, schema))
    return validator


# What the fast validator compiles: the schema with each ``oneOf`` whose branches no value
# can match two of written as ``anyOf`` (the same values hold). fastjsonschema tries every
# branch of a oneOf and raises, message formatted, for each that fails (ten times a probe:
# a quality mark is true, false, "n/a" or "to_review"); an anyOf stops at the first match.
_CONST_TYPES = ((bool, "boolean"), (str, "string"), (type(None), "null"))


def _types(branch: Any, root: dict[str, Any]) -> frozenset[str] | None:
    """The JSON types a branch can accept, when it says (by type, const or $ref); or None."""
    if not isinstance(branch, dict):
        return None
    ref = branch.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return _types(root.get("$defs", {}).get(ref.removeprefix("#/$defs/")), root)
    kind = branch.get("type")
    if isinstance(kind, str) and kind not in ("integer", "number"):
        return frozenset({kind})
    if "const" in branch:
        found = [name for cls, name in _CONST_TYPES if type(branch["const"]) is cls]
        return frozenset(found) if found else None
    return None


def _disjoint(a: Any, b: Any, root: dict[str, Any]) -> bool:
    """True when no value can match both branches (told by their types or string consts)."""
    kinds_a, kinds_b = _types(a, root), _types(b, root)
    if kinds_a is None or kinds_b is None:
        return False
    if not kinds_a & kinds_b:
        return True
    consts = [x.get("const") if isinstance(x, dict) and "$ref" not in x else None for x in (a, b)]
    return all(isinstance(c, str) for c in consts) and consts[0] != consts[1]


def _first_match(node: Any, root: dict[str, Any]) -> Any:
    """A copy of ``node`` with each oneOf of pairwise disjoint branches made an anyOf."""
    if isinstance(node, list):
        return [_first_match(item, root) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _first_match(value, root) for key, value in node.items()}
    branches = node.get("oneOf")
    if isinstance(branches, list) and "anyOf" not in node:
        pairs = [(a, b) for i, a in enumerate(branches) for b in branches[i + 1 :]]
        if all(_disjoint(a, b, root) for a, b in pairs):
            out["anyOf"] = out.pop("oneOf")
    return out


@cache
def _full(name: str) -> jsonschema.Draft202012Validator:
    import jsonschema  # only a rejected document needs it: a valid build does not import it

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


_SEE_REFERENCE = "see the Data reference page of the site (data-reference/)"


def _description(error: ValidationError, schema_name: str) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    text = schema.get("description")
    if not text and "$ref" in schema:
        text = _resolve_ref(schema_name, schema["$ref"]).get("description")
    return str(text or _SEE_REFERENCE)


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


Fields = dict[str, Any]
_Describe = Callable[["ValidationError", str, str], tuple[ProblemKind, Fields]]


def _instance(error: ValidationError) -> Any:
    """The value the error is about (a validator's error always has one)."""
    value = error.instance
    from jsonschema._utils import Unset  # what the stubs type an error's unset fields as

    assert not isinstance(value, Unset)  # the stubs also allow jsonschema's "unset" marker
    return value


def _wanted(error: ValidationError) -> Any:
    """The schema keyword's value the error is about (always set on a validator's error)."""
    value = error.validator_value
    from jsonschema._utils import Unset

    assert not isinstance(value, Unset)
    return value


def _convert(error: ValidationError, doc: Document, schema_name: str) -> list[Problem]:
    """One schema error as problems: usually one, one per extra key, or the fitting branch's."""
    keyword = str(error.validator)
    if keyword in ("oneOf", "anyOf"):
        inner = list(_branches(error))
        if inner:
            return [p for sub in inner for p in _convert(sub, doc, schema_name)]
    if keyword == "additionalProperties" and isinstance(_instance(error), dict):
        return _unknown_properties(error, doc)
    describe = _DESCRIBE.get(keyword, _other)
    kind, fields = describe(error, _description(error, schema_name), schema_name)
    path = tuple(error.absolute_path)
    line, col = doc.position(path)
    return [kind.problem(doc.file, line, col, format_path(path), **fields)]


def _unknown_properties(error: ValidationError, doc: Document) -> list[Problem]:
    """A problem for each key the schema does not allow, with the nearest allowed one."""
    path = tuple(error.absolute_path)
    allowed = list(error.schema.get("properties", {})) if isinstance(error.schema, dict) else []
    problems = []
    for extra in (k for k in _instance(error) if k not in allowed):
        close = difflib.get_close_matches(str(extra), allowed, n=1)
        tip = f"did you mean '{close[0]}'?" if close else ("allowed here: " + ", ".join(allowed))
        line, col = doc.position((*path, extra))
        problems.append(
            kinds.SCHEMA_UNKNOWN_PROPERTY.problem(
                doc.file, line, col, format_path((*path, extra)), key=extra, suggestion=tip
            )
        )
    return problems


def _branches_type(error: ValidationError, hint: str, _schema: str) -> tuple[ProblemKind, Fields]:
    """oneOf/anyOf where no branch fits the value's type: the types the branches want."""
    branch_types = [
        str(b.get("type", b.get("const", "?"))) if isinstance(b, dict) else "?"
        for b in _wanted(error)
    ]
    names = " or ".join(_TYPE_NAMES.get(a, a) for a in branch_types)
    got = _kind_of(_instance(error))
    return kinds.SCHEMA_TYPE, {"expected": names, "got": got, "description": hint}


def _required(error: ValidationError, _hint: str, schema_name: str) -> tuple[ProblemKind, Fields]:
    value = _instance(error)
    missing = [key for key in _wanted(error) if isinstance(value, dict) and key not in value]
    key = missing[0] if missing else "?"
    prop = error.schema.get("properties", {}).get(key, {}) if isinstance(error.schema, dict) else {}
    description = str(
        prop.get("description")
        or _resolve_ref(schema_name, prop.get("$ref", "")).get("description")
        or _SEE_REFERENCE
    )
    return kinds.SCHEMA_REQUIRED, {"key": key, "description": description}


def _type(error: ValidationError, hint: str, _schema: str) -> tuple[ProblemKind, Fields]:
    value = _instance(error)
    expected = _wanted(error)
    type_names = [expected] if isinstance(expected, str) else list(expected)
    if not error.absolute_path:
        hint = (
            "a data file is one mapping of fields (slug: …, name: …), not a list or a single value"
        )
    elif "string" in type_names and isinstance(value, (bool, int, float)):
        hint = f"quote the value: '{value}' — {hint}"
    return kinds.SCHEMA_TYPE, {
        "expected": " or ".join(_TYPE_NAMES.get(n, n) for n in type_names),
        "got": f"{_kind_of(value)} ({_short(value)})",
        "description": hint,
    }


def _enum(error: ValidationError, hint: str, _schema: str) -> tuple[ProblemKind, Fields]:
    options = [str(o) for o in _wanted(error)]
    close = difflib.get_close_matches(str(_instance(error)), options, n=1)
    return kinds.SCHEMA_ENUM, {
        "value": _short(_instance(error)),
        "options": ", ".join(options),
        "suggestion": f"did you mean '{close[0]}'?" if close else hint,
    }


def _pattern(error: ValidationError, hint: str, _schema: str) -> tuple[ProblemKind, Fields]:
    return kinds.SCHEMA_FORMAT, {"value": _short(_instance(error)), "description": hint}


def _key_pattern(error: ValidationError, hint: str, _schema: str) -> tuple[ProblemKind, Fields]:
    return kinds.SCHEMA_KEY_FORMAT, {"value": _short(_instance(error)), "description": hint}


def _text_length(error: ValidationError, hint: str, _schema: str) -> tuple[ProblemKind, Fields]:
    minimum = error.validator == "minLength"
    if minimum and _wanted(error) == 1:
        return kinds.SCHEMA_EMPTY_TEXT, {"description": hint}
    return kinds.SCHEMA_TEXT_LENGTH, {
        "length": len(_instance(error)),
        "bound": "at least" if minimum else "at most",
        "limit": _wanted(error),
        "description": hint,
    }


def _entries(error: ValidationError, hint: str, _schema: str) -> tuple[ProblemKind, Fields]:
    if error.validator == "minProperties" and _wanted(error) == 1:
        return kinds.SCHEMA_NO_ENTRIES, {"description": hint}
    return kinds.SCHEMA_ENTRIES, {
        "count": len(_instance(error)),
        "bound": "at most" if error.validator == "maxItems" else "at least",
        "limit": _wanted(error),
        "description": hint,
    }


def _range(error: ValidationError, hint: str, _schema: str) -> tuple[ProblemKind, Fields]:
    fields = {"value": _short(_instance(error)), "limit": _wanted(error), "description": hint}
    if error.validator in ("minimum", "maximum"):
        side = "below the minimum" if error.validator == "minimum" else "above the maximum"
        return kinds.SCHEMA_RANGE, {**fields, "side": side}
    side = "above" if error.validator == "exclusiveMinimum" else "below"
    return kinds.SCHEMA_EXCLUSIVE_RANGE, {**fields, "side": side}


def _unique(_error: ValidationError, _hint: str, _schema: str) -> tuple[ProblemKind, Fields]:
    return kinds.SCHEMA_UNIQUE, {}


def _const(error: ValidationError, hint: str, _schema: str) -> tuple[ProblemKind, Fields]:
    return kinds.SCHEMA_CONST, {"detail": error.message, "description": hint}


def _other(error: ValidationError, hint: str, _schema: str) -> tuple[ProblemKind, Fields]:
    return kinds.SCHEMA_OTHER, {"detail": error.message, "description": hint}


# Each schema keyword's problem; a keyword not listed (no shipped schema uses one) is _other.
_DESCRIBE: dict[str, _Describe] = {
    "oneOf": _branches_type,
    "anyOf": _branches_type,
    "required": _required,
    "type": _type,
    "enum": _enum,
    "pattern": _pattern,
    "propertyNames": _key_pattern,
    "minLength": _text_length,
    "maxLength": _text_length,
    "minItems": _entries,
    "maxItems": _entries,
    "minProperties": _entries,
    "minimum": _range,
    "maximum": _range,
    "exclusiveMinimum": _range,
    "exclusiveMaximum": _range,
    "uniqueItems": _unique,
    "const": _const,
}
