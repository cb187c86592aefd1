"""Edits of data files that lose nothing: every byte outside the change stays as written.

A command that changes an existing data file does not load and re-dump it (a dumper would
respell escapes, re-indent, drop comments or reorder keys). It finds, from the YAML parser's
marks, the one place where the new lines belong and inserts them there, in the file's own
indentation and line ends; comments, key order, quoting, escapes and layout cannot change.
The result is then read back and must equal the old data plus the addition, or nothing is
returned. Pure: text in, text out; the CLI reads and writes the file.
"""

from __future__ import annotations

from typing import Any

import yaml

from .errors import DataError


def _one_line(key: str, value: Any) -> str:
    """``key: value`` as one YAML line, quoted only when the value needs it.

    A mapping or list (a correction's ``effect``) is written in flow style on the same line:
    ``effect: {edition: e, score: [61, 64], rank: [12–18, 9–15]}``.
    """
    flow = isinstance(value, dict | list)
    line = yaml.safe_dump(
        {key: value},
        allow_unicode=True,
        width=float("inf"),
        default_flow_style=None if flow else False,
        sort_keys=False,
    )
    if flow:
        inner = yaml.safe_dump(
            value, allow_unicode=True, width=float("inf"), default_flow_style=True, sort_keys=False
        )
        line = f"{key}: {inner}"
    if line.count("\n") != 1:  # a value a plain or quoted line cannot hold as it is
        raise DataError(
            f"the {key} cannot be written on one line",
            "give it as one sentence, without line breaks",
        )
    return line.rstrip("\n")


def _last_end(node: yaml.Node) -> yaml.Mark:
    """Where the last scalar inside ``node`` ends (block collections end at the next token)."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark


def line_after(text: str, index: int) -> int:
    """The index just past the line break that ends the line holding ``index``."""
    end = text.find("\n", index)
    return len(text) if end < 0 else end + 1


def compose(body: str, file: str) -> yaml.Node | None:
    """The YAML nodes of a data file's text, with the parser's marks; DataError if unreadable."""
    try:
        return yaml.compose(body, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise DataError(
            f"{file}: cannot be read as YAML",
            f"run ccr validate {file} and fix what it reports first",
        ) from error


def add_correction(text: str, correction: dict[str, Any], file: str = "<text>") -> str:
    """The company file with ``correction`` added as the last of its corrections.

    The new entry goes after the last existing correction, in that list's indentation; without
    a list, a ``corrections:`` block goes before ``statement:`` or at the end of the file.
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    newline = "\r\n" if "\r\n" in body else "\n"
    root = compose(body, file)
    if not isinstance(root, yaml.MappingNode):
        raise DataError(
            f"{file}: not a company file (a mapping of fields)", f"run ccr validate {file}"
        )
    keys = {
        key.value: (key, value) for key, value in root.value if isinstance(key, yaml.ScalarNode)
    }
    fields = [_one_line(k, v) for k, v in correction.items()]
    if "corrections" in keys:
        listed = keys["corrections"][1]
        if not isinstance(listed, yaml.SequenceNode) or listed.flow_style or not listed.value:
            raise DataError(
                f"{file}: corrections is not a block list of entries",
                "write each correction as `- date: …` on its own lines, or remove "
                "an empty `corrections:`, then run the command again",
            )
        dash = listed.start_mark.column
        indent = listed.value[0].start_mark.column
        at = line_after(body, _last_end(listed).index - 1)
        head = ""
    else:
        dash, indent = 2, 4
        if "statement" in keys:
            at = keys["statement"][0].start_mark.index - keys["statement"][0].start_mark.column
        else:
            at = len(body)
        head = "corrections:" + newline
    if at > 0 and not body[:at].endswith("\n"):
        head = newline + head
    first = " " * dash + "-" + " " * (indent - dash - 1)
    lines = [first + fields[0], *(" " * indent + f for f in fields[1:])]
    new = body[:at] + head + newline.join(lines) + newline + body[at:]
    _check_only_added(body, new, correction, file)
    return bom + new


def _check_only_added(old: str, new: str, correction: dict[str, Any], file: str) -> None:
    """Read back, the new text is the old data plus one correction, and nothing else."""
    before: Any = yaml.safe_load(old)
    try:
        after: Any = yaml.safe_load(new)
    except yaml.YAMLError:
        after = None
    expected = {**before, "corrections": [*(before.get("corrections") or []), correction]}

    def order(data: dict[str, Any]) -> list[str]:
        return [key for key in data if key != "corrections"]

    if after != expected or order(after) != order(before):
        raise DataError(
            f"{file}: the rewritten file would change more than the correction",
            "nothing was written; please report this as a CCR bug",
        )
