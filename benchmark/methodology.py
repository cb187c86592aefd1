"""The methodology file (data/methodology/<version>.yaml) as a typed object."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import DataError
from .values import parse_duration, plural, whole_unit_duration


@dataclass(frozen=True, slots=True)
class Methodology:
    """Weights, thresholds, rubric and cut-offs of one methodology version."""

    version: str
    rubric: tuple[str, ...]
    rubric_labels: dict[str, str]
    quality_scale: float
    families: dict[str, str]  # channel type → family
    never_answered_after: float  # seconds
    minimum_probes: int
    score_decimals: int
    thresholds: dict[str, tuple[float, ...]]  # family → seconds
    speed: dict[str, tuple[float, float]]  # family → (full, zero) seconds
    weights: dict[str, float]
    transparency_parts: dict[str, float]
    breadth_share: float
    breadth_cap: int
    breadth_families: tuple[str, ...]
    grades: tuple[tuple[str, float], ...]
    tiers: tuple[tuple[str, float], ...]  # v1: tiers by score; v2: empty (see grade_tiers)
    raw: dict[str, Any]
    # v2 (absent from v1, whose scores stay as published):
    grade_tiers: dict[str, str] | None = None  # grade → tier: one band system
    minimum_probed_families: int = 1
    promise_points: dict[str, float] | None = None  # kept / none / broken
    public_holidays: bool = False
    quality_complete: bool = False
    uncertainty: Uncertainty | None = None

    @property
    def pooled(self) -> bool:
        """Whether scores are shrunk, carry intervals and rank on evidence (v2 on)."""
        return self.uncertainty is not None

    def tier_of(self, grade: str, score: float) -> str:
        """The tier of a grade (v2) or of a score (v1's separate bands)."""
        if self.grade_tiers is not None:
            return self.grade_tiers[grade]
        return band(score, self.tiers)


@dataclass(frozen=True, slots=True)
class Uncertainty:
    """The shrinkage model's settings (methodology v2 and later)."""

    interval: float  # nominal coverage of the score interval, e.g. 0.90
    prior_min_companies: int
    between_sd_floor: float  # share of the probe part's maximum
    fallback_mean: float  # shares of the probe part's maximum
    fallback_between_sd: float
    fallback_within_sd: float


def band(value: float, bands: tuple[tuple[str, float], ...]) -> str:
    """The first band (highest first) whose lower bound the value reaches."""
    for name, lower in bands:
        if value >= lower:
            return name
    return bands[-1][0]


def _seconds(value: Any, where: str) -> float:
    parsed = parse_duration(value)
    if parsed is None:
        raise DataError(
            f"methodology: {where}: {value!r} is not an ISO 8601 duration",
            "write durations like PT15M or P7D",
        )
    return parsed.total_seconds()


def from_data(data: Any) -> Methodology:
    """Build a Methodology from a parsed methodology file; DataError when it is incomplete."""
    try:
        families = {
            ctype: family for family, types in data["channel_families"].items() for ctype in types
        }
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        if abs(sum(weights.values()) - 1) > 1e-9:
            raise DataError(
                f"methodology {data['version']}: weights sum to {sum(weights.values())}, not 1",
                "adjust the weights",
            )
        return Methodology(
            version=str(data["version"]),
            rubric=tuple(str(item["id"]) for item in data["rubric"]),
            rubric_labels={str(item["id"]): str(item["label"]) for item in data["rubric"]},
            quality_scale=float(data["quality_scale"]),
            families=families,
            never_answered_after=_seconds(data["never_answered_after"], "never_answered_after"),
            minimum_probes=int(data["minimum_probes"]),
            score_decimals=int(data["score_decimals"]),
            thresholds={
                f: tuple(_seconds(v, f"thresholds.{f}") for v in vs)
                for f, vs in data["thresholds"].items()
            },
            speed={
                f: (_seconds(v["full"], f"speed.{f}.full"), _seconds(v["zero"], f"speed.{f}"))
                for f, v in data["speed"].items()
            },
            weights=weights,
            transparency_parts={str(k): float(v) for k, v in data["transparency_parts"].items()},
            breadth_share=float(data["reachability_breadth_share"]),
            breadth_cap=int(data["breadth_cap"]),
            breadth_families=tuple(data["breadth_families"]),
            grades=tuple((str(g["grade"]), float(g["min"])) for g in data["grades"]),
            tiers=tuple((str(t["tier"]), float(t["min"])) for t in data.get("tiers", [])),
            raw=data,
            **_v2_fields(data),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(
            f"methodology file is incomplete: {exc}", "compare it with data/methodology/v1.yaml"
        ) from exc


def _v2_fields(data: Any) -> dict[str, Any]:
    """The settings v2 added; a v1 file has none of them."""
    if "uncertainty" not in data:
        return {}
    u = data["uncertainty"]
    fallback = u["fallback_prior"]
    return {
        "grade_tiers": {str(g["grade"]): str(g["tier"]) for g in data["grades"]},
        "minimum_probed_families": int(data["minimum_probed_families"]),
        "promise_points": {k: float(data["promise_points"][k]) for k in ("kept", "none", "broken")},
        "public_holidays": bool(data["public_holidays"]),
        "quality_complete": data["quality_marks"] == "complete",
        "uncertainty": Uncertainty(
            interval=float(u["interval"]),
            prior_min_companies=int(u["prior_min_companies"]),
            between_sd_floor=float(u["between_sd_floor"]),
            fallback_mean=float(fallback["mean"]),
            fallback_between_sd=float(fallback["between_sd"]),
            fallback_within_sd=float(fallback["within_sd"]),
        ),
    }


def to_markdown(method: Methodology) -> str:
    """The methodology's parameters as Markdown tables (the block docs/methodology.md holds)."""
    lines = [
        f"Parameters of methodology **{method.version}** "
        f"(`data/methodology/{method.version}.yaml`):",
        "",
        "| sub-score | weight | maximum points |",
        "|---|---:|---:|",
    ]
    for sub, weight in method.weights.items():
        lines.append(f"| {sub} | {weight:.2f} | {100 * weight:g} |")
    lines += [
        "",
        "| family | channels | speed: full points at | speed: zero points at | "
        "reference thresholds |",
        "|---|---|---:|---:|---|",
    ]
    by_family: dict[str, list[str]] = {}
    for ctype, family in method.families.items():
        by_family.setdefault(family, []).append(ctype)
    for family, types in by_family.items():
        full, zero = method.speed.get(family, (0.0, 0.0))
        limits = ", ".join(whole_unit_duration(t) for t in method.thresholds.get(family, ()))
        speed = (
            f"{whole_unit_duration(full)} | {whole_unit_duration(zero)}"
            if family in method.speed
            else "— | —"
        )
        lines.append(f"| {family} | {', '.join(types)} | {speed} | {limits or '—'} |")
    lines += ["", "| rubric item | meaning |", "|---|---|"]
    lines += [f"| `{item}` | {method.rubric_labels[item]} |" for item in method.rubric]
    lines += [
        "",
        "| setting | value |",
        "|---|---|",
        f"| never answered after | {whole_unit_duration(method.never_answered_after)} |",
    ]
    if method.pooled:
        lines += [
            f"| ranked from | {method.minimum_probes} probes in at least "
            f"{method.minimum_probed_families} channel "
            f"{plural(method.minimum_probed_families, 'family', 'families')} probed |"
        ]
    else:
        lines += [f"| limited evidence below | {method.minimum_probes} probes |"]
    lines += [
        f"| displayed decimals | {method.score_decimals} |",
        f"| quality scale | 0–{method.quality_scale:g} points |",
        "| quality marks | "
        + (
            "every rubric item, on every answered probe |"
            if method.quality_complete
            else "unmarked items left out |"
        ),
        "| transparency parts | "
        + ", ".join(f"{k.replace('_', ' ')} {v:.2f}" for k, v in method.transparency_parts.items())
        + " |",
    ]
    if method.promise_points is not None:
        lines.append(
            "| promise points of a probe | "
            + ", ".join(f"{k} {v:g}" for k, v in method.promise_points.items())
            + " |"
        )
    lines += [
        f"| breadth share of reachability | {method.breadth_share:.2f} |",
        f"| breadth cap | {method.breadth_cap} families ({', '.join(method.breadth_families)}) |",
        "| channel-count bound | "
        f"{100 * method.weights['reachability'] * method.breadth_share:g} points at most |",
        "| public holidays | "
        + (
            "closed days in business time |"
            if method.public_holidays
            else "not taken into account |"
        ),
    ]
    u = method.uncertainty
    if u is not None:
        from .score.shrinkage import probe_part_max, z_value  # the model's own definitions

        top = probe_part_max(method)
        lines += [
            f"| probe part maximum | {top:g} points |",
            f"| score interval | {100 * u.interval:g} % (z = {z_value(u.interval):.4f}) |",
            f"| prior from | the other companies of the edition; the fallback with fewer than "
            f"{u.prior_min_companies} |",
            f"| between-company spread floor | τ ≥ {u.between_sd_floor:g} × {top:g} |",
            f"| fallback prior | m = {u.fallback_mean:g} × {top:g}, τ = "
            f"{u.fallback_between_sd:g} × {top:g}, σ = {u.fallback_within_sd:g} × {top:g} |",
        ]
    if method.grade_tiers is not None:
        lines += ["", "| grade | shown score at least | tier |", "|---|---:|---|"]
        lines += [f"| {g} | {m:g} | {method.grade_tiers[g]} |" for g, m in method.grades]
        return "\n".join(lines) + "\n"
    lines += ["", "| grade | score at least |", "|---|---:|"]
    lines += [f"| {g} | {m:g} |" for g, m in method.grades]
    lines += ["", "| tier | score at least |", "|---|---:|"]
    lines += [f"| {t} | {m:g} |" for t, m in method.tiers]
    return "\n".join(lines) + "\n"
