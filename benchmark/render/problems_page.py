"""The problem reference page: every kind of problem `ccr validate` and `ccr record` report.

Written from the catalogue (``benchmark/problem_kinds.py``) at every build, like the data
reference page is from the schemas, so it lists exactly the kinds the checks can report. Each
kind shows its severity, what it means, and an example of its message and hint.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..problem_kinds import CATALOGUE, STAGES, ProblemKind
from .jinja import render_template
from .text import front_matter

URL = "problems/"
PATH = "problems.md"


def _variant(kind: ProblemKind) -> dict[str, Any]:
    message, hint = kind.example_text()
    return {
        "severity": kind.severity,
        "meaning": kind.meaning,
        "message": message,
        "hint": hint,
    }


def _stages() -> list[dict[str, Any]]:
    """The catalogue by stage, each kind's variants (entries sharing its id) together."""
    stages = []
    for stage in STAGES:
        by_id: dict[str, list[dict[str, Any]]] = {}
        for kind in CATALOGUE:
            if kind.stage == stage:
                by_id.setdefault(kind.id, []).append(_variant(kind))
        kinds = [{"id": ident, "variants": variants} for ident, variants in by_id.items()]
        stages.append({"title": stage, "kinds": kinds})
    return stages


def problem_reference() -> str:
    """The page's Markdown (template ``problem_reference.html``)."""
    return render_template(
        "problem_reference.html",
        stages=_stages(),
        count=len({kind.id for kind in CATALOGUE}),
        front=Markup(
            front_matter(
                title="Problem reference",
                description="Every problem Customer Care Review's checks can report, "
                "with what it means and how to fix it.",
            )
        ),
    )
