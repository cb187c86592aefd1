"""A board's rows are picked from its edition's rows, made once: the same rows, same order."""

from __future__ import annotations

from typing import Any

from benchmark.pipeline import run
from benchmark.render.common import Context
from benchmark.render.leaderboard import (
    _edition_rows,
    board_data,
    board_pages,
    board_rows,
    scope_rows,
)
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


def test_board_json_and_pages_share_the_rows_then_let_them_go() -> None:
    """The boards' JSON holds board_rows of each edition; board_pages drops the shared rows."""
    result = run(REPO, NOW)
    ctx = Context.make(result.dataset, result.scores, SETTINGS)
    companies = ctx.scores.companies
    made = dict(board_data(ctx))
    assert made
    for edition in ctx.edition_order():
        assert rows_of(made, edition) == board_rows(ctx, companies[companies["edition"] == edition])
    key = f"board rows {ctx.edition_order()[0]}"
    assert ctx.once(key, lambda: ["made again"]) == rows_of(made, ctx.edition_order()[0])
    assert dict(board_pages(ctx))
    assert ctx.once(key, lambda: ["made again"]) == ["made again"]  # let go


def rows_of(made: dict[str, Any], edition: str) -> Any:
    """An edition's rows in the boards' JSON."""
    return made[f"api/v1/leaderboards/{edition}.json"]["rows"]
