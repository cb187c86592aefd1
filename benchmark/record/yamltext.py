"""Changes to a YAML data file that keep every other byte: insertions and in-place values.

Three operations, each located from the YAML parser's marks in the file as it stands:

- ``Append(path, items)``: new items after the last one of the list at ``path`` (an empty
  ``[]`` or ``null`` there becomes a block list on the lines below its key);
- ``AddKey(path, key, value, after)``: a new key in the block mapping at ``path``, after the
  value of ``after`` (default: after its last key);
- ``Replace(path, value)``: the scalar at ``path`` (``null``, ``to_review``, ``3`` …)
  replaced on its own line; a mapping or list value goes on new lines below the key.

New lines take the file's own indentation (read from its existing lists and mappings) and
line ends. The result is read back with CCR's own loader and must equal the old data with
exactly these changes, keys in the same order, or ``DataError`` is raised and nothing is
returned. Pure: text in, text out.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from ..edit import compose, line_after
from ..errors import DataError
from ..load import parse_document

Path = tuple[str | int, ...]

_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*\Z")
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"})


@dataclass(frozen=True, slots=True)
class Append:
    """Add ``items`` at the end of the list at ``path``."""

    path: Path
    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class AddKey:
    """Add ``key: value`` to the mapping at ``path``, after the key ``after`` (or last)."""

    path: Path
    key: str
    value: Any
    after: str | None = None


@dataclass(frozen=True, slots=True)
class Replace:
    """Replace the scalar (or empty ``[]``/``{}``) at ``path`` with ``value``."""

    path: Path
    value: Any


Op = Append | AddKey | Replace


def scalar(value: Any) -> str:
    """One scalar as YAML that CCR's loader (YAML 1.2 core) and YAML 1.1 readers read back."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"not a scalar: {value!r}")
    if _PLAIN.match(value) and value.lower() not in _RESERVED:
        return value
    if value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value)  # a double-quoted YAML scalar, escapes in ASCII


def flow(value: Any) -> str:
    """A scalar, an empty list or mapping, or a list of scalars, on one line."""
    if isinstance(value, list):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in value.items()) + "}"
    return scalar(value)


def _flowable(value: Any) -> bool:
    if isinstance(value, list):
        return all(not isinstance(v, list | dict) for v in value)
    if isinstance(value, dict):
        return not value
    return True


@dataclass(frozen=True, slots=True)
class Style:
    """How a file indents: a nested mapping's step, a list's dash and the gap after it."""

    map_step: int = 2
    seq_offset: int = 2
    dash_gap: int = 2


def detect_style(root: yaml.Node) -> Style:
    """The indentation a file uses, from its first nested block mapping and block list."""
    map_step = seq_offset = dash_gap = None
    todo: list[yaml.Node] = [root]
    while todo and (map_step is None or seq_offset is None):
        node = todo.pop(0)
        if isinstance(node, yaml.MappingNode) and not node.flow_style:
            for key, value in node.value:
                if (
                    isinstance(value, yaml.MappingNode)
                    and not value.flow_style
                    and value.value
                    and map_step is None
                    and value.start_mark.line > key.start_mark.line
                ):
                    map_step = value.start_mark.column - key.start_mark.column
                if (
                    isinstance(value, yaml.SequenceNode)
                    and not value.flow_style
                    and value.value
                    and seq_offset is None
                ):
                    seq_offset = value.start_mark.column - key.start_mark.column
                    dash_gap = value.value[0].start_mark.column - value.start_mark.column
                todo.append(value)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend(node.value)
    return Style(
        map_step if map_step and map_step > 0 else 2,
        seq_offset if seq_offset is not None and seq_offset >= 0 else 2,
        dash_gap if dash_gap and dash_gap > 0 else 2,
    )


def mapping_lines(data: dict[str, Any], col: int, style: Style) -> list[str]:
    """A mapping in block style, its keys at column ``col``."""
    lines: list[str] = []
    pad = " " * col
    for key, value in data.items():
        if _flowable(value):
            lines.append(f"{pad}{scalar(key)}: {flow(value)}")
        elif isinstance(value, dict):
            lines.append(f"{pad}{scalar(key)}:")
            lines += mapping_lines(value, col + style.map_step, style)
        else:
            lines.append(f"{pad}{scalar(key)}:")
            for item in value:
                lines += item_lines(item, col + style.seq_offset, style)
    return lines


def item_lines(item: Any, dash: int, style: Style) -> list[str]:
    """One list item in block style, its dash at column ``dash``."""
    if isinstance(item, dict) and item:
        lines = mapping_lines(item, dash + style.dash_gap, style)
        lines[0] = " " * dash + "-" + " " * (style.dash_gap - 1) + lines[0].lstrip(" ")
        return lines
    return [" " * dash + "- " + flow(item)]


def _last_end(node: yaml.Node) -> yaml.Mark:
    """Where the last scalar inside a block ``node`` ends (a flow collection: its bracket)."""
    while (
        isinstance(node, yaml.MappingNode | yaml.SequenceNode)
        and node.value
        and not node.flow_style
    ):
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node.end_mark


def _locate(root: yaml.Node, path: Path, file: str) -> tuple[yaml.Node, yaml.Node | None]:
    """The node at ``path`` and the key node it is the value of (None for list items)."""
    node, key_node = root, None
    for part in path:
        if (
            isinstance(part, int)
            and isinstance(node, yaml.SequenceNode)
            and 0 <= part < len(node.value)
        ):
            node, key_node = node.value[part], None
            continue
        if isinstance(part, str) and isinstance(node, yaml.MappingNode):
            found = [
                (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part
            ]
            if found:
                key_node, node = found[-1]
                continue
        raise DataError(
            f"{file}: no {'.'.join(map(str, path))} to change",
            "run ccr validate on the file; this is a CCR bug if it is valid",
        )
    return node, key_node


def _insert(body: str, at: int, lines: list[str], newline: str) -> str:
    head = newline if at > 0 and not body[:at].endswith("\n") else ""
    return body[:at] + head + newline.join(lines) + newline + body[at:]


def _apply_one(body: str, op: Op, file: str, newline: str) -> str:
    root = compose(body, file)
    if root is None:
        raise DataError(f"{file}: the file is empty", f"run ccr validate {file}")
    style = detect_style(root)
    node, key_node = _locate(root, op.path, file)
    if isinstance(op, Append):
        if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
            dash = node.start_mark.column
            gap = node.value[0].start_mark.column - dash
            item_style = Style(style.map_step, style.seq_offset, gap if gap > 0 else 2)
            lines = [line for item in op.items for line in item_lines(item, dash, item_style)]
            return _insert(body, line_after(body, _last_end(node).index - 1), lines, newline)
        empty = (isinstance(node, yaml.SequenceNode) and not node.value) or (
            isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"
        )
        if not empty:
            raise DataError(
                f"{file}: {_dotted(op.path)} is not a block list",
                f"write each entry of {_dotted(op.path)} as `- …` on its own lines",
            )
        return _replace(body, node, key_node, list(op.items), op.path, style, file, newline)
    if isinstance(op, AddKey):
        if not isinstance(node, yaml.MappingNode) or node.flow_style or not node.value:
            raise DataError(
                f"{file}: {_dotted(op.path)} is not a block mapping",
                "write its keys one per line, then run the command again",
            )
        col = node.value[0][0].start_mark.column
        after = node
        if op.after is not None:
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == op.after:
                    after = v
        at = line_after(body, _last_end(after).index - 1)
        return _insert(body, at, mapping_lines({op.key: op.value}, col, style), newline)
    return _replace(body, node, key_node, op.value, op.path, style, file, newline)


def _replace(
    body: str,
    node: yaml.Node,
    key_node: yaml.Node | None,
    value: Any,
    path: Path,
    style: Style,
    file: str,
    newline: str,
) -> str:
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and (
        node.value or not node.flow_style
    ):
        raise DataError(
            f"{file}: {_dotted(path)} holds more than one value",
            "CCR replaces only single values in place; this is a CCR bug",
        )
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        raise DataError(
            f"{file}: {_dotted(path)} is a block of text",
            "CCR replaces only one-line values in place; this is a CCR bug",
        )
    start, end = node.start_mark.index, node.end_mark.index
    if node.start_mark.line != node.end_mark.line:
        raise DataError(
            f"{file}: {_dotted(path)} spans several lines",
            "CCR replaces only one-line values in place; this is a CCR bug",
        )
    if _flowable(value) or key_node is None:
        text = flow(value)
        if start == end and body[start - 1 : start] == ":":
            text = " " + text
        return body[:start] + text + body[end:]
    head = body[:start].rstrip(" ")
    rest = body[end:]
    line_end = line_after(head + rest, len(head)) - len(head)  # rest of the key's line
    col = key_node.start_mark.column
    if isinstance(value, dict):
        lines = mapping_lines(value, col + style.map_step, style)
    else:
        lines = [line for item in value for line in item_lines(item, col + style.seq_offset, style)]
    return (
        _insert(head + rest[:line_end], len(head + rest[:line_end]), lines, newline)
        + rest[line_end:]
    )


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def expected(data: Any, ops: Sequence[Op]) -> Any:
    """The data as it must read after ``ops``: a changed copy, keys in file order."""
    new = copy.deepcopy(data)
    for op in ops:
        parent: Any = new
        for part in op.path[:-1]:
            parent = parent[part]
        last = op.path[-1] if op.path else None
        target = parent[last] if last is not None else parent
        if isinstance(op, Append):
            items = copy.deepcopy(list(op.items))
            if target is None:
                parent[last] = items
            else:
                target.extend(items)
        elif isinstance(op, AddKey):
            keys = list(target)
            at = keys.index(op.after) + 1 if op.after in target else len(keys)
            moved = {k: target.pop(k) for k in keys[at:]}
            target[op.key] = copy.deepcopy(op.value)
            target.update(moved)
        else:
            parent[last] = copy.deepcopy(op.value)
    return new


def same(a: Any, b: Any) -> bool:
    """Equal, with mapping keys in the same order and no 1 == True or 1 == 1.0."""
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    return type(a) is type(b) and a == b


def apply(text: str, ops: Sequence[Op], file: str = "<text>") -> str:
    """``text`` with ``ops`` applied by insertion and in-place replacement, checked."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    newline = "\r\n" if "\r\n" in body else "\n"
    before = parse_document(file, text.encode("utf-8"))
    if not before.ok:
        raise DataError(
            f"{file} cannot be read, so it was left as it is",
            f"run ccr validate {file} and fix what it reports first",
        )
    new = body
    for op in ops:
        new = _apply_one(new, op, file, newline)
    after = parse_document(file, (bom + new).encode("utf-8"))
    if not after.ok or not same(after.data, expected(before.data, ops)):
        raise DataError(
            f"{file}: the rewritten file would change more than the new entries",
            "nothing was written; please report this as a CCR bug",
        )
    return bom + new
