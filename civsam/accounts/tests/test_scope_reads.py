"""Only the permission seam reads a user's role scope.

Every rule about who may do what lives in an app's `permissions.py`, built on
`civsam.accounts.permissions`; nothing else imports `accounts.scopes` or reads a Scope's fields.
This test walks the source and fails on any other reader, naming the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the civsam package
SCOPE_FIELDS = {"region_admin", "municipality_ids", "organisation_ids", "is_staff_like", "is_officer"}
SCOPE_NAMES = {"scope_for", "Scope", "ANONYMOUS"}
ALLOWED = {"accounts/scopes.py", "accounts/permissions.py"}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative or relative in ALLOWED:
            continue
        yield relative, path


def scope_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) for every import of the scope module and every read of a Scope field."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith("accounts.scopes"):
            found.append((node.lineno, f"imports {', '.join(a.name for a in node.names)} from accounts.scopes"))
        elif isinstance(node, ast.ImportFrom) and node.module in ("scopes", None) and node.level:
            if any(a.name in SCOPE_NAMES or a.name == "scopes" for a in node.names):
                found.append((node.lineno, "imports the scope module"))
        elif isinstance(node, ast.Import) and any(a.name.endswith("accounts.scopes") for a in node.names):
            found.append((node.lineno, "imports accounts.scopes"))
        elif isinstance(node, ast.Attribute) and node.attr in SCOPE_FIELDS:
            found.append((node.lineno, f"reads .{node.attr}"))
    return found


def test_only_the_permission_seam_reads_role_scopes():
    offenders = [
        f"{relative}:{line}: {what}"
        for relative, path in _sources()
        for line, what in scope_reads(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "Role scopes read outside accounts/permissions.py:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from civsam.accounts.scopes import scope_for", 1),
        ("from .scopes import Scope", 1),
        ("import civsam.accounts.scopes", 1),
        ("x = scope.region_admin or scope.municipality_ids", 2),
        ("if user.is_officer: pass", 1),
        ("from civsam.accounts.permissions import acts_for_organisation", 0),
        ("analysis.reviewer = actor", 0),
    ],
)
def test_the_walker_sees_each_kind_of_read(source, expected):
    assert len(scope_reads(source)) == expected
