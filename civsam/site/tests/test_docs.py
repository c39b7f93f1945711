"""The documents a new engineer reads first stay in step with the code: the ADR index lists every
record, and every code name in the glossary exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ADR = ROOT / "docs" / "adr"
SOURCE = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "civsam").rglob("*.py"))


def test_the_adr_index_lists_every_record_once():
    index = (ADR / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\]\((\d{4}-[^)]+\.md)\)", index)
    records = sorted(path.name for path in ADR.glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert sorted(linked) == records, "docs/adr/README.md and docs/adr/ differ"


def glossary_code_names(text: str) -> set[str]:
    """`Class` and `Class.attribute` names in backticks (paths, URL names and calls left out)."""
    return set(re.findall(r"`([A-Z][A-Za-z]+(?:\.[a-z_]+|\.[A-Z_]+)?)`", text))


def test_every_class_and_field_in_the_glossary_exists():
    names = glossary_code_names((ROOT / "docs" / "glossary.md").read_text(encoding="utf-8"))
    assert len(names) > 40
    missing = []
    for name in sorted(names):
        cls, _, attribute = name.partition(".")
        defined = re.search(rf"^\s*class {cls}\b", SOURCE, re.M) and (
            not attribute or re.search(rf"^\s*(?:{attribute}\s*[:=]|def {attribute}\b)", SOURCE, re.M)
        )
        if not defined:
            missing.append(name)
    assert not missing, f"docs/glossary.md names what the code does not have: {missing}"


def test_the_glossary_check_sees_a_name_that_does_not_exist():
    assert glossary_code_names("| x | `Organisation.orgnr`, `NoSuchThing` | `registry/orgnr.py` |") == {
        "Organisation.orgnr",
        "NoSuchThing",
    }
