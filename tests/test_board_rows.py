"""A board's rows are picked from its edition's rows, made once: the same rows, same order."""

from __future__ import annotations

from benchmark.pipeline import run
from benchmark.render.common import Context
from benchmark.render.leaderboard import _edition_rows, board_rows, scope_rows
from benchmark.score.ranking import leaderboard
from tests.helpers import NOW, REPO, SETTINGS


def test_every_board_is_its_edition_rows_of_its_scope() -> None:
    """The demo's every sector and country board: the rows board_rows makes of it alone."""
    result = run(REPO, NOW)
    ctx = Context.make(result.dataset, result.scores, SETTINGS)
    companies = ctx.scores.companies
    boards = 0
    for edition in ctx.edition_order():
        every = _edition_rows(ctx, edition)
        assert every == board_rows(ctx, companies[companies["edition"] == edition])
        assert scope_rows(every, "overall", None) == every
        for scope in ("sector", "country"):
            for value in sorted(companies[scope].unique()):
                alone = board_rows(ctx, leaderboard(companies, edition, scope, str(value)))
                assert scope_rows(every, scope, str(value)) == alone, (scope, value)
                boards += 1
    assert boards > 10
