"""What the statistics publish: the figures, their dimensions, and the arithmetic done on read.

Pure: no database. The stored rows (models.Figure) hold counts and the year's population; rates are
computed here when read, so a page, a download and the API never disagree (ADR 0112).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Person-based cells under this many are hidden (DESIGN.md: statistics suppress cells under 5).
SUPPRESS_BELOW = 5

TOTAL = "total"
MUNICIPALITY = "municipality"
LEGAL_FORM = "legal_form"
ACTIVITY_CLASS = "activity_class"
FLAG = "flag"
ROLE = "role"
SECTOR = "sector"

DIMENSIONS: dict[str, Promise] = {
    TOTAL: _("Hela länet"),
    MUNICIPALITY: _("Kommun"),
    LEGAL_FORM: _("Juridisk form"),
    ACTIVITY_CLASS: _("Verksamhetsområde"),
    FLAG: _("Märkning"),
    ROLE: _("Roll"),
    SECTOR: _("Sektor"),
}

# The key of a row whose organisation is not known (a participant who came on their own).
NO_ORGANISATION = "none"

COUNT = "count"
SEK = "sek"

FLAGS: dict[str, Promise] = {
    "social_enterprise": _("Sociala företag"),
    "work_integrating": _("Arbetsintegrerande sociala företag"),
    "ideburen_registered": _("Registrerade idéburna organisationer"),
}


@dataclass(frozen=True)
class FigureDefinition:
    code: str
    label: Promise
    description: Promise
    dimensions: tuple[str, ...]
    per_1000: bool = False  # also shown per 1,000 inhabitants (total and municipality)
    person_based: bool = False  # cells under SUPPRESS_BELOW are hidden
    unit: str = COUNT  # COUNT, or SEK: whole kronor


FIGURES: dict[str, FigureDefinition] = {
    f.code: f
    for f in (
        FigureDefinition(
            "organisations",
            _("Organisationer"),
            _(
                "Organisationer som fanns vid årets slut: registrerade senast den 31 december (eller grundade "
                "det året eller tidigare, eller införda i Civsam före årets slut om inget datum är känt) och "
                "inte avregistrerade före årets slut."
            ),
            (TOTAL, MUNICIPALITY, LEGAL_FORM, ACTIVITY_CLASS, ROLE, SECTOR, FLAG),
            per_1000=True,
        ),
        FigureDefinition(
            "in-official-registers",
            _("Varav i SCB:s eller Bolagsverkets register"),
            _(
                "De av årets organisationer vars status eller registreringsdatum kommer från SCB:s eller "
                "Bolagsverkets registerfil; resten är kända bara genom Civsam."
            ),
            (TOTAL, MUNICIPALITY),
        ),
        FigureDefinition(
            "founded",
            _("Nybildade organisationer"),
            _("Organisationer registrerade under året enligt den officiella källan, eller grundade det året."),
            (TOTAL, MUNICIPALITY, LEGAL_FORM, SECTOR),
        ),
        FigureDefinition(
            "ceased",
            _("Upphörda organisationer"),
            _("Organisationer avregistrerade under året."),
            (TOTAL, MUNICIPALITY, LEGAL_FORM, SECTOR),
        ),
        FigureDefinition(
            "new-social-enterprises",
            _("Nya sociala företag"),
            _("Organisationer märkta som sociala företag som registrerades eller grundades under året."),
            (TOTAL, MUNICIPALITY),
        ),
        FigureDefinition(
            "members",
            _("Medlemmar"),
            _(
                "Summan av det antal medlemmar som årets organisationer har uppgett i Civsam. Organisationer "
                "som inte uppgett något antal ingår inte; en person som är med i flera föreningar räknas flera gånger."
            ),
            (TOTAL, MUNICIPALITY),
        ),
        FigureDefinition(
            "members-reported",
            _("Organisationer som uppgett antal medlemmar"),
            _("Hur många av årets organisationer som har uppgett ett antal medlemmar i Civsam."),
            (TOTAL, MUNICIPALITY),
        ),
        FigureDefinition(
            "network-memberships",
            _("Medlemskap i nätverk"),
            _(
                "Organisationers medlemskap i nätverk i Civsam vid årets slut, per medlemmens hemkommun. "
                "En organisation i två nätverk räknas två gånger."
            ),
            (TOTAL, MUNICIPALITY),
        ),
        FigureDefinition(
            "events",
            _("Evenemang"),
            _("Evenemang i Civsam som började under året."),
            (TOTAL, MUNICIPALITY),
        ),
        FigureDefinition(
            "participants",
            _("Deltagare i evenemang"),
            _(
                "Bekräftade anmälningar till årets evenemang, per evenemangets kommun och per sektor för den "
                "organisation deltagaren anmälde sig för. Värden under fem visas inte."
            ),
            (TOTAL, MUNICIPALITY, SECTOR),
            person_based=True,
        ),
        FigureDefinition(
            "new-collaborations",
            _("Ny samverkan från möten"),
            _("Ny samverkan som rapporterats som resultat av årets möten, per mötets kommun."),
            (TOTAL, MUNICIPALITY),
        ),
        FigureDefinition(
            "initiatives",
            _("Pågående insatser"),
            _(
                "Insatser i handlingsplanen som pågick någon gång under året, utom avbrutna; per kommun och "
                "sektor efter ansvarig."
            ),
            (TOTAL, MUNICIPALITY, SECTOR),
        ),
        FigureDefinition(
            "cross-sector-initiatives",
            _("Insatser i samverkan över sektorsgränser"),
            _(
                "De av årets pågående insatser där ansvarig och partner tillsammans kommer från minst två "
                "sektorer (till exempel en kommun och en förening)."
            ),
            (TOTAL, MUNICIPALITY),
        ),
        FigureDefinition(
            "grants",
            _("Beviljade bidrag"),
            _("Bidragsbeslut i Civsams bidragsregister med beslutsdatum under året, per mottagarens kommun."),
            (TOTAL, MUNICIPALITY, LEGAL_FORM),
        ),
        FigureDefinition(
            "grants-amount",
            _("Beviljat belopp"),
            _("Summan av beviljade belopp i årets bidragsbeslut, i hela kronor."),
            (TOTAL, MUNICIPALITY, LEGAL_FORM),
            unit=SEK,
        ),
    )
}

COVERAGE_NOTE = _(
    "Räknat bland organisationer kända av Civsam. De flesta ideella föreningar får sitt organisationsnummer "
    "från Skatteverket och finns inte i någon öppen registerfil; de räknas bara om de är registrerade i Civsam."
)


def per_1000(value: int | None, population: int | None) -> Decimal | None:
    """value per 1,000 inhabitants, to two decimals; None without a value or a population."""
    if value is None or not population:
        return None
    return (Decimal(value) * 1000 / Decimal(population)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def suppress(value: int, *, person_based: bool) -> tuple[int | None, bool]:
    """(value to publish, hidden?): person-based counts from 1 to 4 are hidden; zero is shown."""
    if person_based and 0 < value < SUPPRESS_BELOW:
        return None, True
    return value, False


def share(part: int | None, whole: int | None) -> Decimal | None:
    """part of whole in per cent, to one decimal."""
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def change(current: int | None, previous: int | None) -> Decimal | None:
    """The change from the year before in per cent, to one decimal; None where it cannot be said."""
    if current is None or not previous:
        return None
    return ((Decimal(current) - previous) * 100 / previous).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
