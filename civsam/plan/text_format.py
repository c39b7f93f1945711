"""The plan texts' safe, limited formatting: pure, no database.

What the coordinator may write: paragraphs (separated by a blank line), bulleted lists (lines that
begin with "- "), subheadings (a line that begins with "## ") and bold text (**so**). Everything
else is text: the input is escaped first, so no markup of the writer's own reaches the page."""

from __future__ import annotations

import re
from html import escape

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
MAX_LENGTH = 20_000


def _inline(text: str) -> str:
    return _BOLD.sub(r"<strong>\1</strong>", escape(text, quote=True))


def _flush(out: list[str], paragraph: list[str], items: list[str]) -> None:
    if paragraph:
        out.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
        paragraph.clear()
    if items:
        out.append("<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in items) + "</ul>")
        items.clear()


def to_html(source: str, *, heading_level: int = 3) -> str:
    """The text as HTML: <p>, <ul><li>, <h3> (or the level given) and <strong>, nothing else."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", (source or "").replace("\r\n", "\n").strip()):
        paragraph: list[str] = []
        items: list[str] = []
        for line in (raw.strip() for raw in block.split("\n")):
            if not line:
                continue
            if line.startswith("## "):
                _flush(out, paragraph, items)
                out.append(f"<h{heading_level}>{_inline(line[3:].strip())}</h{heading_level}>")
            elif line.startswith("- "):
                if paragraph:
                    _flush(out, paragraph, items)
                items.append(line[2:].strip())
            else:
                if items:
                    _flush(out, paragraph, items)
                paragraph.append(line)
        _flush(out, paragraph, items)
    return "\n".join(out)
