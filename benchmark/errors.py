"""The library's own exceptions; only the CLI turns them into messages."""

from __future__ import annotations

from typing import Any


class CCRError(Exception):
    """Base of every error CCR raises on purpose; its message is meant for the user."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(CCRError):
    """The command was called wrongly (a path that does not exist, a bad option)."""

    exit_code = 2


class DataError(CCRError):
    """The data cannot be used as asked (a file exists already, an unknown edition)."""


class ProblemsFound(DataError):
    """What a command would write is not valid; ``problems`` says where and why."""

    def __init__(self, message: str, hint: str, problems: list[Any]) -> None:
        super().__init__(message, hint)
        self.problems = problems
