"""The upload check moved to civsam.core.filetypes (ADR 0132) so that every app can use it; this
name stays for funding's own imports."""

from civsam.core.filetypes import *  # noqa: F403
