"""The public market of the social economy (offers), the county's procurement records and the
share of each public buyer's spend that goes to the social economy (issue #17)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civsam.core.models import BilingualNameMixin, Municipality, TimeStampedModel
from civsam.registry.models import Organisation


class CpvCode(BilingualNameMixin):
    """A code of the Common Procurement Vocabulary (Regulation (EC) No 213/2008, Annex I): the
    divisions and the groups and classes the social economy most often offers."""

    code = models.CharField(_("kod"), max_length=8, unique=True)
    check_digit = models.CharField(_("kontrollsiffra"), max_length=1)
    source = models.CharField(_("källa"), max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("CPV-kod")
        verbose_name_plural = _("CPV-koder")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{8}$"), name="cpv_code_8_digits"),
            models.CheckConstraint(condition=Q(check_digit__regex=r"^[0-9]$"), name="cpv_check_digit"),
        ]

    @property
    def full_code(self) -> str:
        return f"{self.code}-{self.check_digit}"

    @property
    def is_division(self) -> bool:
        return self.code[2:] == "000000"


class OfferCategory(models.TextChoices):
    FOOD = "food", _("Mat, café och catering")
    CLEANING = "cleaning", _("Städ och fastighetsservice")
    GREEN = "green", _("Grönyteskötsel och utemiljö")
    REUSE = "reuse", _("Återbruk, reparation och second hand")
    CARE = "care", _("Vård, omsorg och stöd")
    EDUCATION = "education", _("Utbildning och handledning")
    CULTURE = "culture", _("Kultur, evenemang och fritid")
    CRAFTS = "crafts", _("Hantverk, textil och tillverkning")
    TRANSPORT = "transport", _("Transport och logistik")
    OFFICE = "office", _("Kontorsservice och administration")
    OTHER = "other", pgettext_lazy("offer category", "Annat")


class Offer(TimeStampedModel):
    """What an organisation offers buyers: a product or a service, where it delivers, how much."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("Tjänst")
        PRODUCT = "product", _("Vara")
        BOTH = "both", _("Vara och tjänst")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="market_offers", verbose_name=_("organisation")
    )
    title = models.CharField(_("rubrik"), max_length=150)
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices, default=Kind.SERVICE)
    category = models.CharField(_("kategori"), max_length=12, choices=OfferCategory.choices)
    description = models.TextField(_("beskrivning"), max_length=4000)
    cpv_codes = models.ManyToManyField(CpvCode, blank=True, related_name="offers", verbose_name=_("CPV-koder"))
    municipalities = models.ManyToManyField(Municipality, related_name="market_offers", verbose_name=_("levererar i"))
    capacity = models.CharField(_("kapacitet"), max_length=300, blank=True)
    work_integration = models.BooleanField(_("tar emot arbetsintegrerande uppdrag"), default=False)
    is_published = models.BooleanField(_("publicerat"), default=True)
    # When the organisation last said the listing is current; the yearly reminder reads it.
    confirmed_on = models.DateField(_("senast bekräftat"))
    reminded_on = models.DateField(_("senast påmint"), null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    # Stemmed words of title, description, organisation name and category (registry/search.py).
    search_document = models.TextField(default="", editable=False)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("erbjudande")
        verbose_name_plural = _("erbjudanden")
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="offer_title_present")]
        indexes = [models.Index(fields=["is_published", "category"], name="offer_published_category_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:offer-detail", args=[self.pk])


class Buyer(models.Model):
    """A public buyer of the county: a municipality itself, or a public organisation in the
    register (the Region, a municipal company). Exactly one of the two."""

    municipality = models.OneToOneField(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="market_buyer"
    )
    organisation = models.OneToOneField(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="market_buyer"
    )

    class Meta:
        verbose_name = _("upphandlande organisation")
        verbose_name_plural = _("upphandlande organisationer")
        constraints = [
            models.CheckConstraint(
                condition=(Q(municipality__isnull=False) & Q(organisation__isnull=True))
                | (Q(municipality__isnull=True) & Q(organisation__isnull=False)),
                name="buyer_one_body",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.municipality.body_name if self.municipality_id else self.organisation.name

    @property
    def orgnr(self) -> str:
        return (self.organisation.orgnr or "") if self.organisation_id else ""


class Procedure(models.TextChoices):
    """The procedures of the Public Procurement Act (LOU, SFS 2016:1145)."""

    OPEN = "open", _("Öppet förfarande")
    RESTRICTED = "restricted", _("Selektivt förfarande")
    NEGOTIATED = "negotiated", _("Förhandlat förfarande med föregående annonsering")
    DIALOGUE = "dialogue", _("Konkurrenspräglad dialog")
    INNOVATION = "innovation", _("Innovationspartnerskap")
    NEGOTIATED_NO_NOTICE = "negotiated_no_notice", _("Förhandlat förfarande utan föregående annonsering")
    SIMPLIFIED = "simplified", _("Förenklat förfarande")
    SELECTION = "selection", _("Urvalsförfarande")
    DIRECT = "direct", _("Direktupphandling")


class Reservation(models.TextChoices):
    """Reserved participation: the paragraph of LOU the procurement documents cite."""

    NONE = "", _("Ingen reservation")
    LOU_4_18 = "lou_4_18", _("Reserverad enligt 4 kap. 18 § LOU")
    LOU_19_25 = "lou_19_25", _("Reserverad enligt 19 kap. 25 § LOU")
    LOU_19_25A = "lou_19_25a", _("Reserverad enligt 19 kap. 25 a § LOU")


class Procurement(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ACTIVE = "active", _("Annonserad")
        AWARDED = "awarded", _("Tilldelad")
        CANCELLED = "cancelled", _("Avbruten")

    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="procurements", verbose_name=_("köpare"))
    reference = models.CharField(_("diarienummer"), max_length=50, blank=True)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True, max_length=4000)
    cpv_codes = models.ManyToManyField(CpvCode, blank=True, related_name="procurements", verbose_name=_("CPV-koder"))
    procedure = models.CharField(_("förfarande"), max_length=24, choices=Procedure.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    estimated_value = models.DecimalField(
        _("uppskattat värde (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    awarded_value = models.DecimalField(
        _("tilldelat värde (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    published_on = models.DateField(_("annonserad"), null=True, blank=True)
    tender_deadline = models.DateField(_("sista anbudsdag"), null=True, blank=True)
    awarded_on = models.DateField(_("tilldelningsbeslut"), null=True, blank=True)
    contract_start = models.DateField(_("avtalet börjar"), null=True, blank=True)
    contract_end = models.DateField(_("avtalet slutar"), null=True, blank=True)
    reservation = models.CharField(
        _("reserverat deltagande"), max_length=12, choices=Reservation.choices, blank=True, default=""
    )
    # Social considerations: employment requirements as contract conditions, social award criteria.
    employment_requirement = models.BooleanField(_("krav på anställning som särskilt kontraktsvillkor"), default=False)
    employment_requirement_text = models.TextField(_("beskrivning av anställningskravet"), blank=True, max_length=2000)
    employment_positions = models.PositiveIntegerField(
        _("antal anställningar eller praktikplatser"), null=True, blank=True
    )
    social_award_criteria = models.BooleanField(_("sociala tilldelningskriterier"), default=False)
    social_award_criteria_text = models.TextField(
        _("beskrivning av tilldelningskriterierna"), blank=True, max_length=2000
    )
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("upphandling")
        verbose_name_plural = _("upphandlingar")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="procurement_title_present"),
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0), name="procurement_estimate_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(awarded_value__isnull=True) | Q(awarded_value__gte=0), name="procurement_award_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(contract_start__isnull=True)
                | Q(contract_end__isnull=True)
                | Q(contract_end__gte=models.F("contract_start")),
                name="procurement_contract_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("market:procurement-detail", args=[self.pk])

    @property
    def is_reserved(self) -> bool:
        return bool(self.reservation)


class ProcurementLot(models.Model):
    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("rubrik"), max_length=200)
    estimated_value = models.DecimalField(
        _("uppskattat värde (kr)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    reserved = models.BooleanField(_("reserverat delområde"), default=False)

    class Meta:
        ordering = ["number"]
        verbose_name = _("delområde")
        verbose_name_plural = _("delområden")
        constraints = [models.UniqueConstraint(fields=["procurement", "number"], name="lot_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class ProcurementAward(models.Model):
    """A supplier awarded the procurement (or one of its lots). The supplier is recorded as a fact of
    the buyer's decision, by name and orgnr; it binds no record to the supplier (ADR 0135)."""

    procurement = models.ForeignKey(Procurement, on_delete=models.CASCADE, related_name="awards")
    lot = models.ForeignKey(ProcurementLot, null=True, blank=True, on_delete=models.CASCADE, related_name="awards")
    supplier_name = models.CharField(_("leverantör"), max_length=200)
    supplier_orgnr = models.CharField(_("leverantörens organisationsnummer"), max_length=10, blank=True)
    value = models.DecimalField(_("värde (kr)"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("tilldelning")
        verbose_name_plural = _("tilldelningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(supplier_orgnr="") | Q(supplier_orgnr__regex=r"^[0-9]{10}$"), name="award_orgnr_10_digits"
            )
        ]

    def __str__(self) -> str:
        return self.supplier_name


class SpendLayer(models.TextChoices):
    """The layers of the share of spend, each reported on its own (never one blended figure)."""

    TOTAL = "total", _("Alla inköp")
    NONPROFIT = "nonprofit", _("Ideella juridiska former")
    COOPERATIVE = "cooperative", _("Ekonomiska föreningar (kooperativ)")
    IDEBUREN = "ideburen", _("Registrerade idéburna organisationer")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Verifierade sociala företag")
    WORK_INTEGRATING = "work_integrating", _("Verifierade arbetsintegrerande sociala företag")
    RESERVED = "reserved", _("Avtal efter reserverad upphandling")
    IOP = "iop", _("Avtal inom idéburet offentligt partnerskap (IOP)")


class SpendUpload(models.Model):
    """One spend file a buyer uploaded: what was read and computed from it."""

    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="spend_uploads")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uppladdad"), auto_now_add=True)
    file_name = models.CharField(_("fil"), max_length=255)
    row_count = models.PositiveIntegerField(_("fakturarader"))
    first_year = models.PositiveSmallIntegerField(_("första år"))
    last_year = models.PositiveSmallIntegerField(_("sista år"))
    keep_rows = models.BooleanField(_("fakturaraderna sparas"), default=False)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("inköpsfil")
        verbose_name_plural = _("inköpsfiler")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.first_year}–{self.last_year})"


class SpendShare(models.Model):
    """A buyer's spend in one year in one layer, from the newest upload covering the year."""

    buyer = models.ForeignKey(Buyer, on_delete=models.CASCADE, related_name="spend_shares")
    upload = models.ForeignKey(SpendUpload, on_delete=models.CASCADE, related_name="shares")
    year = models.PositiveSmallIntegerField(_("år"))
    layer = models.CharField(_("lager"), max_length=20, choices=SpendLayer.choices)
    amount = models.DecimalField(_("belopp (kr)"), max_digits=16, decimal_places=2)
    supplier_count = models.PositiveIntegerField(_("leverantörer"))
    invoice_count = models.PositiveIntegerField(_("fakturarader"))

    class Meta:
        ordering = ["buyer", "year", "layer"]
        verbose_name = _("andel av inköp")
        verbose_name_plural = _("andelar av inköp")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "year", "layer"], name="spend_share_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.layer}"


class SpendInvoice(models.Model):
    """An invoice row, kept only when the buyer chose to keep them (otherwise only aggregates)."""

    upload = models.ForeignKey(SpendUpload, on_delete=models.CASCADE, related_name="invoices")
    supplier_orgnr = models.CharField(max_length=10)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    date = models.DateField()

    class Meta:
        verbose_name = _("fakturarad")
        verbose_name_plural = _("fakturarader")

    def __str__(self) -> str:
        return f"{self.date} {self.amount}"
