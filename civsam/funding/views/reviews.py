"""The reviewer's side: the applications assigned to them, the declaration of disqualification
(jäv), and scores against the call's criteria."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from civsam.accounts import permissions as seam
from civsam.core.loading import require
from civsam.core.privacy import personal_data

from .. import loaders, selectors, services
from ..forms import DeclarationForm, ScoreForm
from ..models import Application, ReviewAssignment
from .common import answers_shown, form_errors


@personal_data
def review_list(request):
    require(seam.is_reviewer(request.user))
    return render(request, "funding/review_list.html", {"assignments": selectors.assignments_for(request.user)})


@personal_data
def review_detail(request, pk: int):
    """Declare first; then, unless disqualified, read the application and score it."""
    assignment = loaders.own_assignment(request.user, pk)
    application = assignment.application
    declaration = DeclarationForm(request.POST or None if request.POST.get("step") == "declare" else None)
    criteria = list(application.call.criteria.all())
    scores = {s.criterion_id: s for s in assignment.scores.all()}
    initial = {"comment": assignment.comment}
    for criterion_id, score in scores.items():
        initial[f"score_{criterion_id}"] = score.score
        initial[f"note_{criterion_id}"] = score.comment
    score_form = ScoreForm(
        request.POST if request.POST.get("step") in ("scores", "submit") else None, criteria=criteria, initial=initial
    )
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "declare" and declaration.is_valid():
                services.review_declare(
                    actor=request.user,
                    assignment=assignment,
                    conflict=declaration.cleaned_data["conflict"],
                    note=declaration.cleaned_data["note"],
                )
                messages.success(request, _("Din jävsdeklaration är sparad."))
                return redirect("funding:review-detail", pk)
            if step in ("scores", "submit") and score_form.is_valid():
                services.review_scores_save(
                    actor=request.user,
                    assignment=assignment,
                    scores=score_form.score_data(),
                    comment=score_form.cleaned_data["comment"],
                )
                if step == "submit":
                    services.review_submit(actor=request.user, assignment=assignment)
                    messages.success(request, _("Din bedömning är lämnad."))
                else:
                    messages.success(request, _("Poängen är sparade."))
                return redirect("funding:review-detail", pk)
        except ValidationError as error:
            form_errors(score_form if step != "declare" else declaration, error)
    shows_application = (
        assignment.status != ReviewAssignment.Status.RECUSED and assignment.status != ReviewAssignment.Status.ASSIGNED
    )
    return render(
        request,
        "funding/review_detail.html",
        {
            "assignment": assignment,
            "application": application,
            "declaration": declaration,
            "score_form": score_form,
            "answers": answers_shown(application) if shows_application else [],
            "attachments": list(application.attachments.filter(report__isnull=True)) if shows_application else [],
            "can_score": assignment.status == ReviewAssignment.Status.CLEARED
            and application.status == Application.Status.IN_REVIEW,
        },
    )
