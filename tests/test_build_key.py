"""The MkDocs part's key: what MkDocs reads, resolved, so an `!ENV` value is an input too."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmark.build import Docs, SiteOptions, Written, _mkdocs_key, read_settings

CONFIG = 'site_name: !ENV [CCR_KEY_TEST_NAME, "Default name"]\nsite_url: https://ccr.example/\n'


def _key(root: Path) -> str:
    docs = Docs(Written(0, 0, 0), {"index.md": "0" * 64}, set(), {}, {}, 0)
    return _mkdocs_key(root, docs, SiteOptions(extra={}, epoch=0))


def test_an_env_variable_the_config_reads_changes_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same mkdocs.yml bytes, another `!ENV` value: another key (MkDocs would build anew)."""
    (tmp_path / "mkdocs.yml").write_text(CONFIG)
    monkeypatch.delenv("CCR_KEY_TEST_NAME", raising=False)
    unset = _key(tmp_path)
    assert read_settings(tmp_path).site_name == "Default name"
    monkeypatch.setenv("CCR_KEY_TEST_NAME", "Named by the environment")
    named = _key(tmp_path)
    assert read_settings(tmp_path).site_name == "Named by the environment"
    assert named != unset
    assert _key(tmp_path) == named  # and the key is stable while nothing changes
