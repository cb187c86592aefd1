"""Stage 3, score: validated documents → tables, per-probe outcomes, scores, ranks.

Pure: documents in, data out. Each scoring concept has its module: tables (flattening),
business_time, probes (per-probe outcomes), subscores, composite (score, grade, tier),
ranking (ties, leaderboards, movement), uncertainty (Wilson intervals), statistics
(edition indicators) and explain (the score term by term).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import DataError
from ..load import Dataset
from ..methodology import Methodology, from_data
from .composite import composite
from .probes import probe_outcomes
from .ranking import add_movement, add_ranks
from .statistics import statistics
from .subscores import channel_figures, company_figures
from .tables import Tables, build_tables


@dataclass(frozen=True, slots=True)
class Scores:
    """Everything the score stage computes."""

    tables: Tables
    methodologies: dict[str, Methodology]
    probes: pd.DataFrame  # one row per probe, with outcomes
    companies: pd.DataFrame  # one row per company and edition: figures, scores, ranks
    statistics: pd.DataFrame  # one row per edition indicator (and segment)
    channels: pd.DataFrame  # one row per company, edition and probed channel


def methodologies_of(dataset: Dataset) -> dict[str, Methodology]:
    """Every methodology version in the dataset, by version."""
    found = {}
    for doc in dataset.methodologies:
        method = from_data(doc.data)
        found[method.version] = method
    return found


def score(dataset: Dataset) -> Scores:
    """Score a dataset that passed validation."""
    methods = methodologies_of(dataset)
    tables = build_tables(dataset.companies, dataset.editions, methods)
    if tables.audits.empty:
        raise DataError(
            "there is nothing to score: no company has an audit",
            "add company files under data/companies/",
        )
    if tables.probes.empty:
        raise DataError(
            "there is nothing to score: no audit records a probe",
            "record the questions sent (probes:) in at least one company file",
        )
    edition_method = dict(
        zip(tables.editions["edition"], tables.editions["methodology"], strict=True)
    )
    probe_parts, company_parts, channel_parts = [], [], []
    for version, method in sorted(methods.items()):
        editions = [e for e, v in edition_method.items() if v == version]
        if not editions:
            continue
        probes = probe_outcomes(tables.probes[tables.probes["edition"].isin(editions)], method)
        audits = tables.audits[tables.audits["edition"].isin(editions)]
        channels = tables.channels[tables.channels["edition"].isin(editions)]
        figures = company_figures(audits, channels, probes, method)
        company_parts.append(composite(figures, method))
        probe_parts.append(probes)
        channel_parts.append(channel_figures(probes, method))
    companies = pd.concat(company_parts, ignore_index=True)
    companies = companies.merge(
        tables.companies[
            ["slug", "name", "sector", "country", "domain", "website", "helpdesk", "file"]
        ],
        on="slug",
        how="left",
    )
    companies = add_movement(add_ranks(companies), tables.editions)
    companies = companies.sort_values(["edition", "rank_overall", "slug"]).reset_index(drop=True)
    probes = (
        pd.concat(probe_parts, ignore_index=True)
        .sort_values(["edition", "slug", "probe"])
        .reset_index(drop=True)
    )
    stats = statistics(tables, probes, methods)
    channels = (
        pd.concat(channel_parts, ignore_index=True)
        .sort_values(["edition", "slug", "channel"])
        .reset_index(drop=True)
    )
    return Scores(
        tables=tables,
        methodologies=methods,
        probes=probes,
        companies=companies,
        statistics=stats,
        channels=channels,
    )
