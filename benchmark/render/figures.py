"""Report figures chosen for their data (issue 17).

Companies with their intervals, response rate against evidence, sectors side by side, trends
across editions.

``report_figures`` is what an edition report shows after its key findings; it returns the
charts in the order they appear, each with its own caption and data table.
"""

from __future__ import annotations

from .charts import Chart
from .common import Context


def report_figures(ctx: Context, edition: str) -> list[Chart]:
    """The report's figures for ``edition`` (none yet: the figures land with issue 17)."""
    del ctx, edition
    return []
