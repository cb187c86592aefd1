"""The MkDocs hook that drops template indentation: same rendering, fewer bytes."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType

from tests.conftest import REPO, DemoRepo


def hooks() -> ModuleType:
    """overrides/hooks.py, loaded as MkDocs loads it (by path)."""
    spec = importlib.util.spec_from_file_location("ccr_hooks", REPO / "overrides" / "hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_indentation_goes_preformatted_text_stays() -> None:
    """Whitespace runs with a line break become one; <pre>, <script>, <textarea> are kept."""
    page = ("<div>\n      <p>a  b</p>\n\n    </div>\n<pre>  x\n\n    y</pre>\n   "
            "<script>\n  var s = 'a\n   b';\n</script>\n  <textarea>\n t</textarea>  \n<p>end")
    assert hooks().compact(page) == (
        "<div>\n<p>a  b</p>\n</div>\n<pre>  x\n\n    y</pre>\n"
        "<script>\n  var s = 'a\n   b';\n</script>\n<textarea>\n t</textarea>\n<p>end")


def test_built_pages_carry_no_indentation(demo_repo: DemoRepo) -> None:
    """No line of a built company page starts with spaces outside its <pre> blocks."""
    html = (demo_repo.site / "companies" / "alderbyte-goods" / "index.html").read_text()
    outside = re.sub(r"<pre\b.*?</pre>", "", html, flags=re.DOTALL)
    assert not re.search(r"\n[ \t]+<", outside)
    assert "<pre>" in html or "<pre " in html
