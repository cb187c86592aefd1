"""The demo generator's YAML writer and its output: edition and company files under a folder.

A small, deterministic emitter (block style, fixed key order, conservative quoting), much
faster than ``yaml.safe_dump`` and independent of the PyYAML version, so the files are
byte-identical on every run and on every machine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .vocabulary import Company

COMPANY_HEADER = "# yaml-language-server: $schema=../../benchmark/schemas/company.schema.json\n"
EDITION_HEADER = "# yaml-language-server: $schema=../../benchmark/schemas/edition.schema.json\n"

_PLAIN_BLOCK = re.compile(r"[A-Za-z][A-Za-z0-9 _./,()+-]*[A-Za-z0-9_./)-]|[A-Za-z]")
_PLAIN_FLOW = re.compile(r"[A-Za-z][A-Za-z0-9_./+-]*")
# Text that folds safely: printable, single spaces, no leading or trailing blanks.
_FOLDABLE = re.compile(r"[^\s](?:[^\s]| (?! ))*[^\s]")
WIDTH = 100
_RESERVED = frozenset(
    ("y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf", "e")
)


def _scalar(value: Any, flow: bool = False) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    text = str(value)
    plain = _PLAIN_FLOW if flow else _PLAIN_BLOCK
    if plain.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    if "\n" in text or not text.isprintable():
        return json.dumps(text, ensure_ascii=False)
    return "'" + text.replace("'", "''") + "'"


def _emit_mapping(mapping: dict[str, Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        if isinstance(value, dict):
            if value:
                out.append(f"{pad}{key}:")
                _emit_mapping(value, indent + 2, out)
            else:
                out.append(f"{pad}{key}: {{}}")
        elif isinstance(value, list):
            if not value:
                out.append(f"{pad}{key}: []")
            elif all(not isinstance(item, dict | list) for item in value):
                out.append(f"{pad}{key}: [" + ", ".join(_scalar(v, True) for v in value) + "]")
            else:
                out.append(f"{pad}{key}:")
                _emit_sequence(value, indent + 2, out)
        else:
            line = f"{pad}{key}: {_scalar(value)}"
            if len(line) > WIDTH and isinstance(value, str) and _foldable(value):
                out.append(f"{pad}{key}: >-")
                _fold(value, indent + 2, out)
            else:
                out.append(line)


def _foldable(text: str) -> bool:
    return text.isprintable() and _FOLDABLE.fullmatch(text) is not None


def _fold(text: str, indent: int, out: list[str]) -> None:
    """Append ``text`` as the lines of a folded block scalar, wrapped at spaces."""
    pad = " " * indent
    line = ""
    for word in text.split(" "):
        if line and len(pad) + len(line) + 1 + len(word) > WIDTH:
            out.append(pad + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(pad + line)


def _emit_sequence(items: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            start = len(out)
            _emit_mapping(item, indent + 2, out)
            out[start] = pad + "- " + out[start][indent + 2 :]
        elif isinstance(item, dict | list):
            raise ValueError("nested empty containers in sequences are not emitted")
        else:
            out.append(f"{pad}- {_scalar(item)}")


def to_yaml(document: dict[str, Any], header: str = "") -> str:
    """Return ``document`` as block-style YAML text, preceded by ``header``."""
    out: list[str] = []
    _emit_mapping(document, 0, out)
    return header + "\n".join(out) + "\n"


def write(out: Path, editions: list[dict[str, Any]], companies: list[Company]) -> None:
    """Write edition and company files under ``out``, replacing earlier company files."""
    company_dir, edition_dir = out / "companies", out / "editions"
    company_dir.mkdir(parents=True, exist_ok=True)
    edition_dir.mkdir(parents=True, exist_ok=True)
    for old in sorted(company_dir.glob("*.yaml")):
        old.unlink()
    for edition in editions:
        text = to_yaml(edition, EDITION_HEADER)
        (edition_dir / f"{edition['id']}.yaml").write_text(text, encoding="utf-8", newline="\n")
    slugs = [c.slug for c in companies]
    if len(set(slugs)) != len(slugs):
        raise RuntimeError("duplicate company slugs")
    for c in companies:
        text = to_yaml(c.as_dict(), COMPANY_HEADER)
        (company_dir / f"{c.slug}.yaml").write_text(text, encoding="utf-8", newline="\n")
