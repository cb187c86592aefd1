"""Look-alike text: domains and names that read the same to a person but differ as text.

A pull request can add a company whose website is a homoglyph of another's (a Cyrillic "а"
for the Latin "a"), written in punycode (``xn--…``), or a name that only differs in such
letters. ``skeleton`` maps text to what it looks like (a small table after Unicode's TR39
confusables, for the letters that pass for Latin ones), so that look-alikes compare equal;
``domain_findings`` says what makes one domain suspicious on its own.
"""

from __future__ import annotations

import unicodedata

# Letters of other scripts that pass for Latin letters in a lower-case domain or name.
_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic
        "а": "a",
        "с": "c",
        "ԁ": "d",
        "е": "e",
        "һ": "h",
        "і": "i",
        "ј": "j",
        "ӏ": "l",
        "о": "o",
        "р": "p",
        "ԛ": "q",
        "ѕ": "s",
        "у": "y",
        "ү": "y",
        "х": "x",
        "ԝ": "w",
        # Greek
        "α": "a",
        "ι": "i",
        "ν": "v",
        "ο": "o",
        "ρ": "p",
        "υ": "u",
        # Armenian
        "հ": "h",
        "ո": "n",
        "ս": "u",
        "օ": "o",
        "ց": "g",
        # Latin letters that pass for others, and digits that pass for letters
        "ı": "i",
        "ɑ": "a",
        "ɡ": "g",
        "ɩ": "i",
        "0": "o",
        "1": "l",
        "|": "l",
    }
)
_SEQUENCES = (("rn", "m"), ("vv", "w"))
# Scripts that are written together (a Japanese name mixes three of them).
_SCRIPT_FAMILY = {"HIRAGANA": "JAPANESE", "KATAKANA": "JAPANESE", "CJK": "HAN", "HANGUL": "KOREAN"}


def skeleton(text: str) -> str:
    """What ``text`` looks like: compatibility forms folded, case and homoglyphs ignored."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = " ".join(folded.translate(_HOMOGLYPHS).split())
    for seq, looks in _SEQUENCES:
        folded = folded.replace(seq, looks)
    return folded


def scripts(text: str) -> set[str]:
    """The scripts of the letters in ``text`` (LATIN, CYRILLIC, GREEK, …)."""
    found = set()
    for ch in text:
        if not unicodedata.category(ch).startswith("L"):
            continue
        name = unicodedata.name(ch, "UNKNOWN").split()[0]
        found.add(_SCRIPT_FAMILY.get(name, name))
    if "HAN" in found and found & {"JAPANESE", "KOREAN"}:
        found.discard("HAN")
    return found


def domain_findings(written: str, domain: str) -> list[str]:
    """Why a website domain may pass for another one; ``written`` is the host as given."""
    found: list[str] = []
    labels = domain.split(".")
    if any(label.startswith("xn--") for label in written.lower().split(".")):
        found.append(f"it is written in punycode; readers see it as {domain}")
    for label in labels:
        kinds = scripts(label)
        if len(kinds) > 1:
            found.append(f"the label '{label}' mixes {' and '.join(sorted(kinds)).lower()} letters")
        elif kinds and kinds != {"LATIN"} and skeleton(label).isascii():
            what = next(iter(kinds)).lower()
            found.append(f"the {what} label '{label}' looks like the Latin '{skeleton(label)}'")
    return found
