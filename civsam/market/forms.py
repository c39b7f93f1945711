"""Forms of the market pages. Writes go through the services; the forms only parse and check."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civsam.core.models import Municipality

from . import permissions
from .models import CpvCode, Offer, OfferCategory, Procedure, Procurement, Reservation
from .services import AwardData, LotData, OfferData, ProcurementData


class CpvChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CpvCode) -> str:
        return f"{obj.full_code} {obj.name}"


class OfferSearchForm(forms.Form):
    q = forms.CharField(label=_("Sök"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Kategori"), required=False)
    municipality = forms.ChoiceField(label=_("Levererar i"), required=False)
    cpv = forms.ChoiceField(label=_("CPV-huvudgrupp"), required=False)
    verified = forms.ChoiceField(
        label=_("Verifierad som"),
        required=False,
        choices=[
            ("", _("Alla")),
            ("social_enterprise", _("Socialt företag")),
            ("work_integrating", _("Arbetsintegrerande socialt företag")),
            ("ideburen", _("Registrerad idéburen organisation")),
        ],
    )
    work_integration = forms.BooleanField(label=_("Tar emot arbetsintegrerande uppdrag"), required=False)

    def __init__(self, *args, divisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Alla")), *OfferCategory.choices]
        self.fields["municipality"].choices = [("", _("Hela länet"))] + [
            (m.code, m.name) for m in Municipality.objects.all()
        ]
        self.fields["cpv"].choices = [("", _("Alla"))] + [(c.code[:2], f"{c.code[:2]} {c.name}") for c in divisions]


class OfferForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    title = forms.CharField(label=_("Rubrik"), max_length=150)
    kind = forms.ChoiceField(label=_("Vara eller tjänst"), choices=Offer.Kind.choices)
    category = forms.ChoiceField(label=_("Kategori"), choices=OfferCategory.choices)
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Kommuner där ni levererar"),
        queryset=Municipality.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    cpv_codes = CpvChoiceField(
        label=_("CPV-koder"),
        queryset=CpvCode.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Koderna som upphandlare söker med (EU:s gemensamma terminologi vid offentlig upphandling)."),
    )
    capacity = forms.CharField(
        label=_("Kapacitet"),
        max_length=300,
        required=False,
        help_text=_("Till exempel ”upp till 200 luncher per dag” eller ”två arbetslag”."),
    )
    work_integration = forms.BooleanField(label=_("Vi tar emot arbetsintegrerande uppdrag"), required=False)
    is_published = forms.BooleanField(label=_("Visa erbjudandet publikt"), required=False, initial=True)

    def __init__(self, *args, user, offer: Offer | None = None, **kwargs):
        if offer is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "organisation": offer.organisation,
                "title": offer.title,
                "kind": offer.kind,
                "category": offer.category,
                "description": offer.description,
                "municipalities": list(offer.municipalities.all()),
                "cpv_codes": list(offer.cpv_codes.all()),
                "capacity": offer.capacity,
                "work_integration": offer.work_integration,
                "is_published": offer.is_published,
            }
        super().__init__(*args, **kwargs)
        if offer is not None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = permissions.organisations_offering_for(user)

    def offer_data(self) -> OfferData:
        data = self.cleaned_data
        return OfferData(
            title=data["title"],
            kind=data["kind"],
            category=data["category"],
            description=data["description"],
            municipalities=list(data["municipalities"]),
            cpv_codes=list(data["cpv_codes"]),
            capacity=data["capacity"],
            work_integration=data["work_integration"],
            is_published=data["is_published"],
        )


class ContactForm(forms.Form):
    sender_name = forms.CharField(label=_("Ditt namn"), max_length=150)
    sender_email = forms.EmailField(label=_("Din e-postadress"), help_text=_("Organisationen svarar till den."))
    sender_organisation = forms.CharField(label=_("Din organisation"), max_length=200, required=False)
    message = forms.CharField(label=_("Meddelande"), widget=forms.Textarea(attrs={"rows": 6}), max_length=3000)


def _amount(text: str) -> Decimal | None:
    text = text.strip().replace(" ", "").replace("\xa0", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("”%(value)s” är inte ett belopp.") % {"value": text}) from None
    return value


class ProcurementForm(forms.Form):
    buyer = forms.ChoiceField(label=_("Köpare"))
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    reference = forms.CharField(label=_("Diarienummer"), max_length=50, required=False)
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    cpv_codes = CpvChoiceField(
        label=_("CPV-koder"),
        queryset=CpvCode.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    procedure = forms.ChoiceField(label=_("Förfarande"), choices=Procedure.choices)
    status = forms.ChoiceField(label=_("Status"), choices=Procurement.Status.choices)
    estimated_value = forms.DecimalField(
        label=_("Uppskattat värde (kr)"), required=False, min_value=0, decimal_places=2
    )
    awarded_value = forms.DecimalField(label=_("Tilldelat värde (kr)"), required=False, min_value=0, decimal_places=2)
    published_on = forms.DateField(
        label=_("Annonserad"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    tender_deadline = forms.DateField(
        label=_("Sista anbudsdag"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    awarded_on = forms.DateField(
        label=_("Tilldelningsbeslut"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    contract_start = forms.DateField(
        label=_("Avtalet börjar"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    contract_end = forms.DateField(
        label=_("Avtalet slutar"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reservation = forms.ChoiceField(label=_("Reserverat deltagande"), choices=Reservation.choices, required=False)
    employment_requirement = forms.BooleanField(
        label=_("Krav på anställning som särskilt kontraktsvillkor"), required=False
    )
    employment_requirement_text = forms.CharField(
        label=_("Beskrivning av anställningskravet"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    employment_positions = forms.IntegerField(
        label=_("Antal anställningar eller praktikplatser"), required=False, min_value=0
    )
    social_award_criteria = forms.BooleanField(label=_("Sociala tilldelningskriterier"), required=False)
    social_award_criteria_text = forms.CharField(
        label=_("Beskrivning av tilldelningskriterierna"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lots = forms.CharField(
        label=_("Delområden"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Ett delområde per rad: nummer; rubrik; uppskattat värde; ”reserverat” om det är reserverat."),
    )
    awards = forms.CharField(
        label=_("Leverantörer"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("En leverantör per rad: namn; organisationsnummer; värde; delområdets nummer."),
    )

    def __init__(self, *args, buyers: list[tuple[str, str]], procurement: Procurement | None = None, **kwargs):
        if procurement is not None and "initial" not in kwargs:
            initial = {name: getattr(procurement, name) for name in self.base_fields if hasattr(procurement, name)}
            initial["buyer"] = buyer_key(procurement.buyer)
            initial["cpv_codes"] = list(procurement.cpv_codes.all())
            initial["lots"] = "\n".join(
                "; ".join(
                    [str(lot.number), lot.title, "" if lot.estimated_value is None else str(lot.estimated_value)]
                    + (["reserverat"] if lot.reserved else [])
                )
                for lot in procurement.lots.all()
            )
            initial["awards"] = "\n".join(
                "; ".join(
                    [
                        a.supplier_name,
                        a.supplier_orgnr,
                        "" if a.value is None else str(a.value),
                        str(a.lot.number) if a.lot_id else "",
                    ]
                )
                for a in procurement.awards.all()
            )
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.fields["buyer"].choices = buyers

    def clean_lots(self) -> list[LotData]:
        lots = []
        for number, line in enumerate(self.cleaned_data["lots"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if not parts[0].isdigit() or len(parts) < 2:
                raise ValidationError(_("Rad %(n)s: skriv nummer; rubrik (och värde, ”reserverat”).") % {"n": number})
            lots.append(
                LotData(
                    number=int(parts[0]),
                    title=parts[1],
                    estimated_value=_amount(parts[2]) if len(parts) > 2 else None,
                    reserved=len(parts) > 3 and parts[3].casefold().startswith("reserv"),
                )
            )
        return lots

    def clean_awards(self) -> list[AwardData]:
        awards = []
        for number, line in enumerate(self.cleaned_data["awards"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")] + ["", "", ""]
            lot = parts[3]
            if lot and not lot.isdigit():
                raise ValidationError(_("Rad %(n)s: delområdets nummer ska vara en siffra.") % {"n": number})
            awards.append(
                AwardData(
                    supplier_name=parts[0],
                    supplier_orgnr=parts[1],
                    value=_amount(parts[2]),
                    lot_number=int(lot) if lot else None,
                )
            )
        return awards

    def procurement_data(self) -> ProcurementData:
        data = self.cleaned_data
        return ProcurementData(
            title=data["title"],
            procedure=data["procedure"],
            status=data["status"],
            reference=data["reference"],
            description=data["description"],
            cpv_codes=list(data["cpv_codes"]),
            estimated_value=data["estimated_value"],
            awarded_value=data["awarded_value"],
            published_on=data["published_on"],
            tender_deadline=data["tender_deadline"],
            awarded_on=data["awarded_on"],
            contract_start=data["contract_start"],
            contract_end=data["contract_end"],
            reservation=data["reservation"] or "",
            employment_requirement=data["employment_requirement"],
            employment_requirement_text=data["employment_requirement_text"],
            employment_positions=data["employment_positions"],
            social_award_criteria=data["social_award_criteria"],
            social_award_criteria_text=data["social_award_criteria_text"],
            lots=data["lots"],
            awards=data["awards"],
        )


def buyer_key(buyer) -> str:
    return f"m{buyer.municipality.code}" if buyer.municipality_id else f"o{buyer.organisation_id}"


class SpendUploadForm(forms.Form):
    buyer = forms.ChoiceField(label=_("Köpare"))
    file = forms.FileField(
        label=_("Inköpsfil (CSV eller XLSX)"),
        help_text=_("En rad per fakturarad med kolumnerna köpare, leverantörens orgnr, belopp och datum."),
    )
    keep_rows = forms.BooleanField(
        label=_("Spara fakturaraderna"),
        required=False,
        help_text=_("Annars sparas bara summorna per år och lager när andelarna har räknats ut."),
    )

    def __init__(self, *args, buyers: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].choices = buyers
