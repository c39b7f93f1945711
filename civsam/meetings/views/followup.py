"""Before and after the meeting: questions and invitations, minutes and outputs, surveys, results,
and the printable attendance list and name badges (PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from civsam.core.exports import FORMATS, Column, tabular_response
from civsam.core.privacy import personal_data

from .. import charts, printing, selectors, services
from ..forms import InvitationForm, MinutesForm, OutputForm, QuestionForm
from ..loaders import managed_event
from ..models import Registration, Survey, SurveyQuestion, SurveyResponse, TargetGroup
from .common import run_forms


@personal_data
def event_prepare(request, pk: int):
    """The organiser's own registration questions and personal invitations."""
    event = managed_event(request.user, pk)
    url = reverse("meetings:event-prepare", args=[pk])
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if post else None
    forms = {
        "question": QuestionForm(post if action == "question" else None, prefix="question"),
        "invitation": InvitationForm(post if action == "invitation" else None, prefix="invitation"),
    }
    actor = request.user

    def add_question(form):
        data = form.cleaned_data
        services.question_add(
            actor=actor,
            event=event,
            label=data["label"],
            kind=data["kind"],
            required=data["required"],
            choices=form.choice_list(),
        )
        return _("Frågan är tillagd i anmälningsformuläret.")

    def invite(form):
        services.invitation_create(actor=actor, event=event, **form.cleaned_data)
        return _("Inbjudan är skickad.")

    done = run_forms(request, forms, {"question": add_question, "invitation": invite}, url)
    if done:
        return done
    active = Registration.objects.exclude(status=Registration.Status.CANCELLED)
    invitations = event.invitations.prefetch_related(Prefetch("registrations", queryset=active, to_attr="active"))
    context = {"event": event, "forms": forms, "questions": event.questions.all(), "invitations": invitations}
    return render(request, "meetings/event_prepare.html", context, status=400 if action else 200)


@personal_data
def event_followup(request, pk: int):
    """After the meeting: minutes, outputs and the surveys."""
    event = managed_event(request.user, pk)
    url = reverse("meetings:event-followup", args=[pk])
    post = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if post else None
    forms = {
        "minutes": MinutesForm(
            post if action == "minutes" else None, prefix="minutes", initial={"minutes": event.minutes}
        ),
        "output": OutputForm(post if action == "output" else None, prefix="output"),
    }
    actor = request.user

    def save_minutes(form):
        services.minutes_save(actor=actor, event=event, minutes=form.cleaned_data["minutes"])
        return _("Minnesanteckningarna är sparade.")

    def add_output(form):
        services.output_add(actor=actor, event=event, **form.cleaned_data)
        return _("Resultatet är tillagt.")

    done = run_forms(request, forms, {"minutes": save_minutes, "output": add_output}, url)
    if done:
        return done
    surveys = {s.kind: s for s in event.surveys.prefetch_related("questions")}
    context = {
        "event": event,
        "forms": forms,
        "outputs": event.outputs.all(),
        "knowledge": surveys.get(Survey.Kind.KNOWLEDGE),
        "evaluation": surveys.get(Survey.Kind.EVALUATION),
        "attending_organisations": selectors.attending_organisations(event),
    }
    return render(request, "meetings/event_followup.html", context, status=400 if action else 200)


@require_POST
def survey_action(request, pk: int):
    """Create a survey or send it (before or after the meeting)."""
    event = managed_event(request.user, pk)
    kind = request.POST.get("kind", "")
    if kind not in Survey.Kind.values:
        raise Http404
    try:
        if request.POST.get("do") == "create":
            services.survey_create(actor=request.user, event=event, kind=kind)
            messages.success(request, _("Enkäten är skapad."))
        else:
            survey = get_object_or_404(Survey, event=event, kind=kind)
            count = services.survey_send(actor=request.user, survey=survey, phase=request.POST.get("phase", ""))
            messages.success(request, _("Enkäten skickas till %(n)s deltagare.") % {"n": count})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("meetings:event-followup", pk=pk)


@login_not_required
@require_http_methods(["GET", "POST"])
def survey_respond(request, survey_pk: int, phase: str, token: str):
    survey = get_object_or_404(Survey.objects.select_related("event"), pk=survey_pk)
    registration = survey.event.registrations.filter(cancel_token=token).first()
    if registration is None or phase not in SurveyResponse.Phase.values:
        raise Http404
    already = SurveyResponse.objects.filter(survey=survey, registration=registration, phase=phase).exists()
    errors: list[str] = []
    done = False
    if request.method == "POST" and not already:
        answers = {str(q.pk): request.POST.get(f"q{q.pk}", "") for q in survey.questions.all()}
        try:
            services.survey_respond(survey=survey, cancel_token=token, phase=phase, answers=answers)
            done = True
        except ValidationError as exc:
            errors = exc.messages
    context = {
        "survey": survey,
        "phase": phase,
        "phase_label": SurveyResponse.Phase(phase).label,
        "questions": survey.questions.all(),
        "scale": range(1, 6),
        "errors": errors,
        "done": done,
        "already": already,
        "scale_kind": SurveyQuestion.Kind.SCALE,
    }
    return render(request, "meetings/survey_respond.html", context, status=400 if errors else 200)


def _results_context(event):
    knowledge = selectors.knowledge_change(event)
    labels = {**{key: str(label) for key, label in TargetGroup.choices}, "all": _("Alla")}
    return {
        "event": event,
        "by_municipality": selectors.attendance_by(event, "municipality"),
        "by_target_group": selectors.attendance_by(event, "target_group"),
        "knowledge": knowledge,
        "knowledge_chart": charts.knowledge_chart(knowledge, labels),
        "evaluation": selectors.evaluation_summary(event),
        "attending_organisations": selectors.attending_organisations(event),
        "formats": FORMATS,
        "min_cell": 5,
    }


def event_results(request, pk: int):
    event = managed_event(request.user, pk)
    return render(request, "meetings/event_results.html", _results_context(event))


ATTENDANCE_COLUMNS = [
    Column("indelning", "Indelning", lambda r: r[0]),
    Column("grupp", "Grupp", lambda r: r[1].label),
    Column("anmalda", "Anmälda", lambda r: r[1].registered),
    Column("narvarande", "Närvarande", lambda r: r[1].attended),
]


@personal_data
def attendance_export(request, pk: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    event = managed_event(request.user, pk)
    rows = [("kommun", r) for r in selectors.attendance_by(event, "municipality")]
    rows += [("målgrupp", r) for r in selectors.attendance_by(event, "target_group")]
    return tabular_response(fmt, ATTENDANCE_COLUMNS, rows, f"narvaro-{pk}")


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


@personal_data
def attendance_pdf(request, pk: int):
    """A printable attendance list with a column to sign, in name order."""
    event = managed_event(request.user, pk)
    pdf = printing.attendance_pdf(event, base_url=request.build_absolute_uri("/"))
    return _pdf_response(pdf, f"narvarolista-{pk}")


@personal_data
def badges_pdf(request, pk: int):
    event = managed_event(request.user, pk)
    return _pdf_response(printing.badges_pdf(event, base_url=request.build_absolute_uri("/")), f"namnbrickor-{pk}")
