"""gettext for the engine, which must also run without Django (bench/, plain scripts).

The msgids are Swedish like everywhere else; makemessages finds them through the `_` name. Without
configured settings and a ready app registry the Swedish source text is returned as it is.
"""

from __future__ import annotations


def _(message: str) -> str:
    try:
        from django.conf import settings
        from django.core.exceptions import AppRegistryNotReady
        from django.utils.translation import gettext
    except ImportError:  # the engine used outside the project
        return message
    if not settings.configured:
        return message
    try:
        return gettext(message)
    except AppRegistryNotReady:
        return message
