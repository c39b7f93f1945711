"""The data protection pages: the public privacy notice, the record of processing, the read-access
log and the staff tool for a person's data (ADR 0085)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civsam.accounts.permissions import requires_second_factor
from civsam.accounts.second_factor import has_authenticator, logged_in_with_eid
from civsam.core.exports import EXCEL_CSV, Column, tabular_response
from civsam.core.loading import require
from civsam.core.privacy import personal_data, processing_record

from . import loaders, permissions, selectors, services
from .forms import ReadLogForm, SubjectRequestForm, SubjectSearchForm
from .models import RetentionRun, SubjectAccessRequest

READ_LOG_PAGE_SIZE = 50


def _second_factor_redirect(request: HttpRequest) -> HttpResponse | None:
    """A data protection officer without a staff role still logs in with two factors before seeing
    others' personal data (staff get this from accounts' middleware)."""
    if not settings.CIVSAM_STAFF_MFA or settings.DEBUG or requires_second_factor(request.user):
        return None
    if has_authenticator(request.user) or logged_in_with_eid(request, request.user):
        return None
    messages.warning(
        request, _("Den här sidan kräver inloggning med två faktorer. Aktivera en autentiseringsapp först.")
    )
    return HttpResponseRedirect(reverse("mfa_activate_totp"))


@login_not_required
def notice(request: HttpRequest) -> HttpResponse:
    """How Civsam handles personal data, for everyone (GDPR art. 13–14)."""
    context = {
        "record": processing_record(),
        "dpo_email": settings.CIVSAM_DPO_EMAIL,
        "can_view_record": permissions.can_view_processing_record(request.user),
        "can_handle_requests": permissions.can_handle_subject_requests(request.user),
    }
    return render(request, "privacy/notice.html", context)


def record(request: HttpRequest) -> HttpResponse:
    require(permissions.can_view_processing_record(request.user))
    if response := _second_factor_redirect(request):
        return response
    context = {"record": processing_record(), "runs": RetentionRun.objects.all()[:10]}
    return render(request, "privacy/record.html", context)


def _read_log_filters(request: HttpRequest) -> tuple[ReadLogForm, selectors.ReadLogFilter]:
    form = ReadLogForm(request.GET or None)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = selectors.ReadLogFilter(
        actor=data.get("actor", ""),
        subject=data.get("subject", ""),
        organisation=data.get("organisation", ""),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    return form, filters


@personal_data
def read_log(request: HttpRequest) -> HttpResponse:
    require(permissions.can_review_read_log(request.user))
    if response := _second_factor_redirect(request):
        return response
    form, filters = _read_log_filters(request)
    page = Paginator(selectors.read_log(filters), READ_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "privacy/read_log.html", {"form": form, "page": page, "query": query.urlencode()})


READ_LOG_COLUMNS = [
    Column("tidpunkt", "Tidpunkt", lambda e: timezone.localtime(e.at).isoformat(timespec="seconds")),
    Column("anvandare", "Användare", lambda e: e.actor.username if e.actor else ""),
    Column("namn", "Namn", lambda e: e.actor.get_full_name() if e.actor else ""),
    Column("uppgift", "Sorts uppgift", lambda e: e.content_type.name),
    Column("vems", "Vems uppgifter", lambda e: e.object_repr),
    Column("post", "Post-id", lambda e: e.object_id),
    Column("kommentar", "Kommentar", lambda e: e.note),
]


@personal_data
def read_log_export(request: HttpRequest) -> HttpResponse:
    require(permissions.can_review_read_log(request.user))
    if response := _second_factor_redirect(request):
        return response
    _form, filters = _read_log_filters(request)
    rows = selectors.read_log(filters).iterator(chunk_size=2000)
    return tabular_response(EXCEL_CSV, READ_LOG_COLUMNS, rows, "lasloggen")


@personal_data
def subject_search(request: HttpRequest) -> HttpResponse:
    """Find a person by e-mail address or name: their accounts, and what is held about the address
    without an account, counted; then record their request."""
    require(permissions.can_handle_subject_requests(request.user))
    if response := _second_factor_redirect(request):
        return response
    search = SubjectSearchForm(request.GET or None)
    accounts: list = []
    by_email: dict = {}
    query = ""
    if search.is_valid():
        query = search.cleaned_data["q"].strip()
        accounts = selectors.accounts_matching(query)
        if "@" in query:
            by_email = {name: selectors.data_counts(part) for name, part in selectors.by_email(query).items()}
    create = SubjectRequestForm(request.POST or None, initial={"email": query if "@" in query else ""})
    if request.method == "POST" and create.is_valid():
        data = create.cleaned_data
        account = None
        if data.get("account"):
            account = get_object_or_404(get_user_model(), pk=data["account"], deleted_at__isnull=True)
        subject = services.subject_request_create(
            actor=request.user,
            email=data.get("email") or "",
            name=data.get("name") or "",
            reference=data.get("reference") or "",
            account=account,
        )
        return redirect("privacy:subject-request", pk=subject.pk)
    context = {
        "search": search,
        "create": create,
        "query": query,
        "accounts": accounts,
        "by_email": by_email,
        "requests": SubjectAccessRequest.objects.select_related("handled_by")[:20],
    }
    return render(request, "privacy/subject_search.html", context)


@personal_data
def subject_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview: what the export holds, part by part (reading it is logged)."""
    subject = loaders.handled_subject_request(request.user, pk)
    if response := _second_factor_redirect(request):
        return response
    data = selectors.subject_data(subject)
    services.subject_request_read(actor=request.user, request=subject, export=False)
    context = {
        "subject": subject,
        "data": data,
        "preview": json.dumps(data, ensure_ascii=False, indent=2, default=str),
        "account_parts": {
            name: selectors.data_counts(part)
            for name, part in (data["account"] or {}).items()
            if isinstance(part, dict)
        },
        "email_parts": {email: selectors.data_counts(part) for email, part in data["byEmail"].items()},
    }
    return render(request, "privacy/subject_request.html", context)


@personal_data
def subject_request_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The JSON file for the person (each download is logged and recorded on the request)."""
    subject = loaders.handled_subject_request(request.user, pk)
    if response := _second_factor_redirect(request):
        return response
    data = selectors.subject_data(subject)
    services.subject_request_read(actor=request.user, request=subject, export=True)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="registerutdrag-{subject.pk}.json"'
    return response
