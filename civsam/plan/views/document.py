"""The adopted plan document and the plan's contact people: the region administrator's page, and
the document's download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from civsam.core.loading import require
from civsam.core.privacy import personal_data
from civsam.core.storage import serve_file

from .. import forms, permissions, selectors, services
from ..models import PlanContact, PlanDocument


def _errors_to(form, exc: ValidationError) -> None:
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {None: exc.error_list}
    for field, errors in by_field.items():
        form.add_error(field if field in form.fields else None, errors)


@personal_data
def plan_document_manage(request, slug: str):
    """Upload the adopted plan (or link to it) and keep the contact people, each with its own form."""
    plan = selectors.plan_with_tree(slug)
    require(permissions.can_manage_plan_document(request.user, plan))
    action = request.POST.get("action") if request.method == "POST" else None
    upload = forms.PlanDocumentUploadForm(request.POST if action == "upload" else None, request.FILES or None)
    link = forms.PlanDocumentLinkForm(request.POST if action == "link" else None)
    contact = forms.PlanContactForm(request.POST if action == "contact" else None, prefix="contact")
    done = None
    try:
        if action == "upload" and upload.is_valid():
            services.plan_document_upload(actor=request.user, plan=plan, upload=upload.cleaned_data["file"])
            done = _("Den antagna planen är uppladdad.")
        elif action == "link" and link.is_valid():
            services.plan_document_link(actor=request.user, plan=plan, url=link.cleaned_data["url"])
            done = _("Länken till den antagna planen är sparad.")
        elif action == "remove-document":
            services.plan_document_remove(actor=request.user, plan=plan)
            done = _("Dokumentet är borttaget från planen.")
        elif action == "contact" and contact.is_valid():
            services.plan_contact_add(actor=request.user, plan=plan, **contact.cleaned_data)
            done = _("Kontaktpersonen är tillagd.")
        elif action == "remove-contact":
            person = get_object_or_404(PlanContact, pk=request.POST.get("contact_id") or 0, plan=plan)
            services.plan_contact_remove(actor=request.user, contact=person)
            done = _("Kontaktpersonen är borttagen.")
    except ValidationError as exc:
        _errors_to({"upload": upload, "link": link, "contact": contact}.get(action or "", contact), exc)
    if done:
        messages.success(request, done)
        return redirect("plan:plan-document", plan.slug)
    context = {
        "plan": plan,
        "document": selectors.plan_document(plan),
        "contacts": selectors.plan_contacts(plan),
        "upload_form": upload,
        "link_form": link,
        "contact_form": contact,
    }
    return render(request, "plan/plan_document.html", context)


@login_not_required
def plan_document_download(request, slug: str):
    """The adopted plan's PDF, as a download of a public document: never shown inline, never sniffed."""
    document = get_object_or_404(PlanDocument.objects.select_related("plan"), plan__slug=slug)
    if not document.file:
        raise Http404
    response = serve_file(
        document.file,
        filename=document.name or "plan.pdf",
        content_type="application/pdf",
        as_attachment=True,
        private=False,
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
