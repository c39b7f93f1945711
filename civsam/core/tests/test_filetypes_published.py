"""A PDF that others download from a public page may carry no active content (core.filetypes):
the same bytes are accepted as a private attachment and refused when published."""

from __future__ import annotations

import io

import pytest

from civsam.core import filetypes


def _pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(
    ("body", "active"),
    [
        (b"<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>", True),
        (b"<< /S /Launch /F (calc.exe) >>", True),
        (b"<< /Type /EmbeddedFile >>", True),
        (b"<< /S /J#61vaScript >>", True),  # a name written with an escape
        (b"<< /JSON (not a script) /Title (JS-kursen) >>", False),  # near miss: other names
        (b"<< /Type /Catalog >>", False),
    ],
)
def test_published_pdfs_are_refused_with_active_content(body, active):
    data = _pdf(body)
    assert filetypes.pdf_has_active_content(data) is active
    private = filetypes.check("avtal.pdf", io.BytesIO(data), size=len(data), max_bytes=10_000)
    assert private.kind is filetypes.PDF
    stream = io.BytesIO(data)
    if active:
        with pytest.raises(filetypes.FileRejected, match="aktiva delar"):
            filetypes.check("avtal.pdf", stream, size=len(data), max_bytes=10_000, published=True)
    else:
        assert (
            filetypes.check("avtal.pdf", stream, size=len(data), max_bytes=10_000, published=True).kind is filetypes.PDF
        )
    assert stream.tell() == 0
