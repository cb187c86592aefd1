"""The data reference page: every field of company and edition files, from the JSON Schemas.

Written from the schemas at every build, so it cannot drift from what `ccr validate` checks.
`ccr new` and the validator's hints point here.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..schema import load_schema
from .jinja import render_template
from .text import front_matter

URL = "data-reference/"
SCHEMAS = (
    ("company", "Company files", "data/companies/<slug>.yaml"),
    ("edition", "Edition files", "data/editions/<id>.yaml"),
)


def _type(node: dict[str, Any]) -> str:
    """A field's type in words."""
    if "$ref" in node:
        return str(node["$ref"]).rsplit("/", 1)[-1].replace("_", " ")
    if "enum" in node:
        return "one of: " + ", ".join(str(v) for v in node["enum"])
    if "oneOf" in node:
        return " or ".join(_type(branch) for branch in node["oneOf"])
    kind = node.get("type", "any")
    if kind == "array":
        return "list of " + _type(node.get("items", {}))
    return {
        "object": "mapping",
        "string": "text",
        "integer": "whole number",
        "boolean": "true or false",
        "null": "null",
    }.get(str(kind), str(kind))


def _objects(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The schema's mappings with fields: the file itself, then each definition."""
    found = [("the file", schema)]
    for name, node in schema.get("$defs", {}).items():
        if "properties" in node:
            found.append((name.replace("_", " "), node))
    for name, node in schema.get("properties", {}).items():
        inner = node.get("items", node)
        if "properties" in inner and node is not schema:
            found.append((name.replace("_", " "), inner))
    return found


def data_reference() -> str:
    """The page's Markdown (template ``data_reference.html``)."""
    schemas = []
    for name, title, where in SCHEMAS:
        schema = load_schema(name)
        defs = schema.get("$defs", {})
        objects = [
            {
                "label": label,
                "fields": [
                    {
                        "name": field,
                        "type": _type(sub),
                        "required": field in node.get("required", []),
                        "description": sub.get("description")
                        or defs.get(str(sub.get("$ref", "")).rsplit("/", 1)[-1], {}).get(
                            "description", ""
                        ),
                    }
                    for field, sub in node["properties"].items()
                ],
            }
            for label, node in _objects(schema)
        ]
        schemas.append(
            {
                "name": name,
                "title": title,
                "kind": title.split()[0],
                "where": where,
                "description": schema.get("description", ""),
                "objects": objects,
            }
        )
    return render_template(
        "data_reference.html",
        schemas=schemas,
        front=Markup(
            front_matter(
                title="Data reference",
                description="Every field of Customer Care Review's company and edition files.",
            )
        ),
    )
