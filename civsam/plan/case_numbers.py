"""Case numbers (diarienummer) in Region Örebro län's form: two digits for the year the case was
opened, the registry's letters RS, then the case's serial number – for example ``24RS4154`` (the
culture committee's memo of 2024-06-11 on the regional conference). Pure: no database."""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

_FORM = re.compile(r"(\d{2})RS([1-9]\d{0,5})")


def normalise(value: str) -> str:
    """The number as the Region writes it: spaces removed, letters in capitals (``24 rs 4154`` → ``24RS4154``)."""
    return re.sub(r"\s+", "", value or "").upper()


def problem(value: str, *, decided_on: datetime.date | None = None) -> str | None:
    """What is wrong with a case number, in Swedish, or None when it is in the Region's form.

    A case is opened before anything in it is decided, so its year cannot be later than the
    decision's."""
    number = normalise(value)
    if not number:
        return _("Ange diarienumret.")
    match = _FORM.fullmatch(number)
    if match is None:
        return _("Diarienumret skrivs som regionens, till exempel 24RS4154: årtal med två siffror, RS och löpnummer.")
    if decided_on is not None and 2000 + int(match.group(1)) > decided_on.year:
        return _("Ärendet kan inte ha öppnats efter beslutsdagen (diarienumret börjar med %(yy)s).") % {
            "yy": match.group(1)
        }
    return None
