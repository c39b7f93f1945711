"""Payments: the instalments due, payment files for the finance system (CSV), and confirming a
file paid."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civsam.core.exports import Column, csv_stream
from civsam.core.loading import require
from civsam.core.privacy import personal_data

from .. import loaders, permissions, selectors, services
from ..forms import BatchConfirmForm
from ..models import Funder, Instalment
from .common import error_messages


@personal_data
def payments(request):
    """Instalments due, grouped by funder, to put in a payment file; and the files made."""
    require(permissions.can_pay_grants(request.user))
    today = timezone.localdate()
    due = list(selectors.instalments_due(user=request.user, today=today))
    if request.method == "POST":
        chosen = [i for i in due if str(i.pk) in request.POST.getlist("instalment")]
        funder = Funder.objects.filter(pk=request.POST.get("funder")).first()
        if funder is None or not chosen:
            messages.error(request, _("Välj minst en delbetalning."))
        else:
            try:
                batch = services.payment_batch_create(
                    actor=request.user,
                    funder=funder,
                    instalments=[i for i in chosen if i.application.call.source.funder_id == funder.pk],
                    today=today,
                )
            except ValidationError as error:
                error_messages(request, error)
            else:
                messages.success(request, _("Utbetalningsfilen är skapad. Ladda ner den och lämna den till ekonomi."))
                return redirect("funding:payment-batch", batch.pk)
    funders: dict[int, dict] = {}
    for instalment in due:
        funder = instalment.application.call.source.funder
        funders.setdefault(funder.pk, {"funder": funder, "instalments": []})["instalments"].append(instalment)
    return render(
        request,
        "funding/payments.html",
        {"groups": list(funders.values()), "batches": selectors.payment_batches(user=request.user)[:50]},
    )


@personal_data
def payment_batch(request, pk: int):
    batch = loaders.handled_batch(request.user, pk)
    form = BatchConfirmForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_batch_confirm(actor=request.user, batch=batch, paid_on=form.cleaned_data["paid_on"])
        except ValidationError as error:
            error_messages(request, error)
        else:
            messages.success(request, _("Filen är markerad som utbetald."))
            return redirect("funding:payment-batch", batch.pk)
    rows = list(selectors.payment_file_rows(batch))
    return render(
        request,
        "funding/payment_batch.html",
        {"batch": batch, "rows": rows, "total": sum(r.amount for r in rows), "form": form},
    )


@require_POST
def instalment_return(request, pk: int, instalment_pk: int):
    batch = loaders.handled_batch(request.user, pk)
    instalment = batch.instalments.filter(pk=instalment_pk).first()
    if instalment is None:
        messages.error(request, _("Delbetalningen finns inte i filen."))
    else:
        try:
            services.instalment_return(actor=request.user, instalment=instalment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Delbetalningen är tillbaka bland de planerade."))
    return redirect("funding:payment-batch", batch.pk)


# The finance system's file: one row per instalment, amounts with a decimal point, accounts as digits.
PAYMENT_COLUMNS = [
    Column("betalningstyp", "Betalningstyp", lambda i: "BG" if i.account_kind == "bankgiro" else "PG"),
    Column("konto", "Konto", lambda i: i.account_number),
    Column("belopp", "Belopp", lambda i: f"{i.amount:.2f}"),
    Column("referens", "Referens", lambda i: f"{i.application.case_number}-{i.number}"),
    Column("mottagare", "Mottagare", lambda i: i.application.organisation.name),
    Column("organisationsnummer", "Organisationsnummer", lambda i: i.application.organisation.orgnr),
    Column("betalningsdag", "Tidigast", lambda i: i.due_date.isoformat()),
]


@personal_data
def payment_batch_file(request, pk: int):
    batch = loaders.handled_batch(request.user, pk)
    rows = selectors.payment_file_rows(batch).exclude(status=Instalment.Status.PLANNED)
    response = HttpResponse("".join(csv_stream(PAYMENT_COLUMNS, rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="utbetalning-{batch.pk}.csv"'
    return response
