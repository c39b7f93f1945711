"""Every Swedish source string has an English translation (ADR 0003).

The catalogue is regenerated from the code in a scratch copy of the project, so a string added
without a translation fails here even if nobody ran `make messages`.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def parse_po(text: str) -> list[dict]:
    """A small .po reader: each entry's flags, msgid and msgstr values (plural forms included)."""
    entries, entry, key = [], None, None
    for line in [*text.splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": "", "msgid": "", "msgstr": []}
        if line.startswith("#,"):
            entry["flags"] += line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = line[1:-1]
            if key == "msgid":
                entry["msgid"] += value
            elif key == "msgstr":
                entry["msgstr"][-1] += value
        else:
            name, _, value = line.partition(" ")
            value = value[1:-1]
            if name == "msgid":
                key, entry["msgid"] = "msgid", value
            elif name.startswith("msgstr"):
                key = "msgstr"
                entry["msgstr"].append(value)
            else:
                key = None
    return entries


def _untranslated(po_text: str) -> list[str]:
    return [
        e["msgid"]
        for e in parse_po(po_text)
        if e["msgid"] and ("fuzzy" in e["flags"] or not e["msgstr"] or not all(e["msgstr"]))
    ]


def test_every_source_string_has_an_english_translation(tmp_path):
    for name in ("civsam", "locale", "manage.py"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, tmp_path / name)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    po_text = (tmp_path / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
    missing = _untranslated(po_text)
    assert not missing, f"{len(missing)} strings lack an English translation (run `make messages`): {missing[:20]}"


@pytest.mark.parametrize(
    ("po", "expected"),
    [
        ('msgid "Hej"\nmsgstr "Hello"\n', []),
        ('msgid "Hej"\nmsgstr ""\n', ["Hej"]),
        ('#, fuzzy\nmsgid "Hej"\nmsgstr "Hello"\n', ["Hej"]),
        ('msgid ""\n"Lång "\n"text"\nmsgstr ""\n"Long text"\n', []),
        ('msgid "en"\nmsgid_plural "flera"\nmsgstr[0] "one"\nmsgstr[1] ""\n', ["en"]),
        ('msgid ""\nmsgstr "Content-Type: text/plain"\n', []),
    ],
)
def test_untranslated_detector(po, expected):
    assert _untranslated(po) == expected
