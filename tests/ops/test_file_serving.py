"""Stored files reach browsers through one helper, civsam.core.storage.serve_file, which streams
them from a local disk and redirects to a short-lived signed URL on S3. A view that made its own
FileResponse would stream a private file from S3 through the web process, or cache it."""

from __future__ import annotations

import ast
from pathlib import Path

import civsam

ROOT = Path(civsam.__file__).parent
ALLOWED = {ROOT / "core" / "storage.py"}


def test_no_module_but_the_helper_builds_a_file_response():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        if path in ALLOWED or "tests" in path.relative_to(ROOT).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name | ast.Attribute) and "FileResponse" in (
                node.id if isinstance(node, ast.Name) else node.attr
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
