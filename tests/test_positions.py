"""Positions found on first use: a document is loaded without them and located from its bytes."""

from __future__ import annotations

import json

from benchmark import load
from benchmark.cache import ParseCache

TEXT = b"""\
name: Acme
audits:
  - edition: x
    probes:
      - a: 1
        b: [2, 3]
tags:
  - one
"""

EXPECTED = {
    (): (1, 1),
    ("name",): (1, 1),
    ("audits",): (2, 1),
    ("audits", 0): (3, 5),
    ("audits", 0, "edition"): (3, 5),
    ("audits", 0, "probes"): (4, 5),
    ("audits", 0, "probes", 0): (5, 9),
    ("audits", 0, "probes", 0, "a"): (5, 9),
    ("audits", 0, "probes", 0, "b"): (6, 9),
    ("audits", 0, "probes", 0, "b", 0): (6, 13),
    ("audits", 0, "probes", 0, "b", 1): (6, 16),
    ("tags",): (7, 1),
    ("tags", 0): (8, 5),
}


def test_a_document_is_located_only_when_asked() -> None:
    """Loading records no position; the first ``position`` finds them all, then lets go."""
    doc = load.parse_document("data/companies/acme.yaml", TEXT)
    assert doc.ok
    assert doc.located is None
    assert doc.source == TEXT
    assert doc.position(("audits", 0, "probes", 0, "b", 1)) == (6, 16)
    assert doc.located == EXPECTED
    assert doc.source is None


def test_every_node_is_placed_at_its_line_and_column() -> None:
    """Keys at the key, list items at the item; a missing path at its nearest ancestor."""
    doc = load.parse_document("data/companies/acme.yaml", TEXT)
    for path, where in EXPECTED.items():
        assert doc.position(path) == where, path
    assert doc.position(("audits", 0, "probes", 0, "c")) == (5, 9)
    assert doc.position(("audits", 7, "edition")) == (2, 1)
    assert doc.position(("nowhere",)) == (1, 1)


def test_a_file_that_stopped_is_located_as_far_as_it_was_read() -> None:
    """A duplicate key stops the file: what came before it is still placed."""
    raw = b"name: Acme\nsector: x\nname: again\nlast: 1\n"
    doc = load.parse_document("data/companies/acme.yaml", raw)
    assert [p.line for p in doc.problems] == [3]
    assert doc.position(("sector",)) == (2, 1)
    assert doc.position(("last",)) == (1, 1)  # never read: the root's position


def test_a_document_from_the_parse_cache_is_located_the_same() -> None:
    """A cache hit carries no positions, yet places every node where a fresh parse does."""
    cache = ParseCache()
    source = load.Source("data/companies/acme.yaml", TEXT, len(TEXT))
    fresh = load.parse_all([source], cache)[0]
    payload = cache.used[next(iter(cache.used))]
    assert len(json.loads(payload)) == 2  # the key and the data: no positions kept
    hit = load.parse_all([source], ParseCache(dict(cache.used)))[0]
    assert hit.data == fresh.data
    assert hit.located is None
    assert {p: hit.position(p) for p in EXPECTED} == EXPECTED
    assert {p: fresh.position(p) for p in EXPECTED} == EXPECTED


def test_undecodable_bytes_are_located_nowhere() -> None:
    """Bytes that are not UTF-8 keep no source: every position is line 1, column 1."""
    doc = load.parse_document("data/companies/acme.yaml", b"name: \xff\n")
    assert doc.source is None
    assert doc.position(("name",)) == (1, 1)


def test_a_validated_dataset_lets_its_bytes_go() -> None:
    """``forget_sources`` drops every document's bytes (the build does it once valid)."""
    doc = load.parse_document("data/companies/acme.yaml", TEXT)
    dataset = load.Dataset(companies=[doc])
    dataset.forget_sources()
    assert doc.source is None


def test_repeated_keys_and_short_values_are_one_object() -> None:
    """Two files' equal keys and short values are the same string objects (less memory)."""
    first = load.parse_document("a.yaml", b"channel_kind: live_chat\n")
    second = load.parse_document("b.yaml", b"channel_kind: live_chat\n")
    assert first.data == second.data
    [(key_a, value_a)] = first.data.items()
    [(key_b, value_b)] = second.data.items()
    assert key_a is key_b
    assert value_a is value_b
